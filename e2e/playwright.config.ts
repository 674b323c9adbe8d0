/**
 * E2E against the BUILT meshscope server (`npm run build` first), driven through Debian's Chromium: Playwright
 * downloads no browser here (stack-notes §2). One worker: the specs share one server and one database.
 *
 * The console port and the SQLite file are chosen when the runner loads this file and handed to the worker
 * processes through the environment (workers load this file again and must agree on both). The receivers the
 * specs do not use are off (port 0); OTLP/HTTP is exercised on the console port, where the server also answers it.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { defineConfig } from "@playwright/test";

/** An ephemeral port the OS reports free right now (the server binds it a moment later). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

if (!process.env.MESHSCOPE_E2E_PORT) {
  process.env.MESHSCOPE_E2E_PORT = String(await freePort());
}
if (!process.env.MESHSCOPE_E2E_DIR) {
  const dir = mkdtempSync(path.join(tmpdir(), "meshscope-e2e-"));
  process.env.MESHSCOPE_E2E_DIR = dir;
  // 'exit' fires after the runner has stopped the web server (a globalTeardown would run before that).
  process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
}
const port = Number(process.env.MESHSCOPE_E2E_PORT);
const dbFile = path.join(process.env.MESHSCOPE_E2E_DIR, "meshscope.db");
const baseURL = `http://127.0.0.1:${port}`;

export default defineConfig({
  testDir: "./tests",
  outputDir: "test-results",
  timeout: 30_000,
  expect: { timeout: 5_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: Boolean(process.env.CI),
  reporter: [["list"]],
  use: {
    baseURL,
    browserName: "chromium",
    headless: true,
    viewport: { width: 1440, height: 900 },
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    },
    screenshot: "only-on-failure",
    trace: "off",
  },
  webServer: {
    command: [
      "node ../apps/server/dist/index.js",
      `--port ${port}`,
      "--otlp-http-port 0 --otlp-grpc-port 0 --zipkin-port 0",
      `--db ${dbFile}`,
      "--no-demo",
    ].join(" "),
    url: `${baseURL}/healthz`,
    reuseExistingServer: false,
    timeout: 30_000,
    stdout: "ignore",
    stderr: "pipe",
  },
});
