/**
 * E2E against the BUILT meshscope server (`npm run build` first), driven through Debian's Chromium: Playwright
 * downloads no browser here (stack-notes §2). One worker: the specs of a project share one server and database.
 *
 * Two servers, one per project:
 * - `plain` (`--no-demo`): specs that post their own data and look for it (navigation, theme, trace search, hostile
 *   names); demo traffic would only blur their assertions, and their odd names must not reach the demo specs.
 * - `demo`: every other spec. The bundled Bookinfo demo runs (MESHSCOPE_DEMO), obeying a temporary mesh config
 *   directory (MESHSCOPE_MESH_CONFIG_DIR, exported to the specs so they can write Istio YAML into it), scraped
 *   every 2 s so charts and health fill within seconds instead of the default 15 s.
 * The demo's settings go through environment variables, not flags: a server built before a setting existed
 * ignores an unknown variable but would refuse an unknown flag.
 *
 * Ports and the temporary directory are chosen when the runner loads this file and handed to the worker
 * processes through the environment (workers load this file again and must agree). The receivers the specs do not
 * use are off (port 0); OTLP/HTTP is exercised on the console port, where the server also answers it.
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
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
if (!process.env.MESHSCOPE_E2E_DEMO_PORT) {
  process.env.MESHSCOPE_E2E_DEMO_PORT = String(await freePort());
}
if (!process.env.MESHSCOPE_E2E_DIR) {
  const dir = mkdtempSync(path.join(tmpdir(), "meshscope-e2e-"));
  process.env.MESHSCOPE_E2E_DIR = dir;
  mkdirSync(path.join(dir, "mesh-config"));
  // 'exit' fires after the runner has stopped the web servers (a globalTeardown would run before that).
  process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
}
const tempDir = process.env.MESHSCOPE_E2E_DIR;
const port = Number(process.env.MESHSCOPE_E2E_PORT);
const demoPort = Number(process.env.MESHSCOPE_E2E_DEMO_PORT);
const baseURL = `http://127.0.0.1:${port}`;
const demoBaseURL = `http://127.0.0.1:${demoPort}`;
/** Where demo specs write Istio YAML for the demo to obey (one object per file, DESIGN §4 `files` target). */
const meshConfigDir = path.join(tempDir, "mesh-config");
process.env.MESHSCOPE_E2E_MESH_CONFIG_DIR = meshConfigDir;

/** The specs that need a server without demo traffic; every other spec runs against the demo. */
const PLAIN_SPECS = /(navigation|theme|trace-search|hostile-names)\.spec\.ts$/;

function serverCommand(consolePort: number, db: string, extra: string[]): string {
  return [
    "node ../apps/server/dist/index.js",
    `--port ${consolePort}`,
    "--otlp-http-port 0 --otlp-grpc-port 0 --zipkin-port 0",
    `--db ${db}`,
    ...extra,
  ].join(" ");
}

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
  projects: [
    { name: "plain", testMatch: PLAIN_SPECS, use: { baseURL } },
    { name: "demo", testIgnore: PLAIN_SPECS, use: { baseURL: demoBaseURL } },
  ],
  webServer: [
    {
      command: serverCommand(port, path.join(tempDir, "meshscope.db"), ["--no-demo"]),
      url: `${baseURL}/healthz`,
      reuseExistingServer: false,
      timeout: 30_000,
      stdout: "ignore",
      stderr: "pipe",
    },
    {
      command: serverCommand(demoPort, path.join(tempDir, "meshscope-demo.db"), []),
      url: `${demoBaseURL}/healthz`,
      env: {
        MESHSCOPE_DEMO: "true",
        MESHSCOPE_MESH_CONFIG_DIR: meshConfigDir,
        MESHSCOPE_DEMO_SCRAPE_INTERVAL: "2s",
        MESHSCOPE_SCRAPE_INTERVAL: "2s",
      },
      reuseExistingServer: false,
      timeout: 30_000,
      stdout: "ignore",
      stderr: "pipe",
    },
  ],
});
