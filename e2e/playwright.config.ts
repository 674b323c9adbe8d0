/**
 * E2E against the BUILT meshscope server (`npm run build` first), driven through Debian's Chromium: Playwright
 * downloads no browser here (stack-notes §2). One worker: the specs of a project share one server and database.
 *
 * Three servers, one per project:
 * - `plain` (`--no-demo`): specs that post their own data and look for it (navigation, theme, trace search, hostile
 *   names); demo traffic would only blur their assertions, and their odd names must not reach the demo specs.
 * - `auth` (`--no-demo --auth token`): the sign-in spec. Its tokens file is written here at load, with random
 *   viewer and editor tokens; the file holds only their SHA-256 (as an operator's would) and the raw tokens reach
 *   the spec through the environment. Every other project runs in the default anonymous mode.
 * - `demo`: every other spec. The bundled Bookinfo demo runs (MESHSCOPE_DEMO), obeying a temporary mesh config
 *   directory (MESHSCOPE_MESH_CONFIG_DIR, exported to the specs so they can write Istio YAML into it), scraped
 *   every 2 s so charts and health fill within seconds instead of the default 15 s.
 * Each server has its own mesh config directory in the temporary directory, so no spec writes into the repository.
 * The demo's settings go through environment variables, not flags: a server built before a setting existed
 * ignores an unknown variable but would refuse an unknown flag.
 *
 * Ports and the temporary directory are chosen when the runner loads this file and handed to the worker
 * processes through the environment (workers load this file again and must agree). The receivers the specs do not
 * use are off (port 0); OTLP/HTTP is exercised on the console port, where the server also answers it.
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
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
if (!process.env.MESHSCOPE_E2E_AUTH_PORT) {
  process.env.MESHSCOPE_E2E_AUTH_PORT = String(await freePort());
}
if (!process.env.MESHSCOPE_E2E_DIR) {
  const dir = mkdtempSync(path.join(tmpdir(), "meshscope-e2e-"));
  process.env.MESHSCOPE_E2E_DIR = dir;
  for (const sub of ["mesh-config", "mesh-config-plain", "mesh-config-auth"]) mkdirSync(path.join(dir, sub));
  // 'exit' fires after the runner has stopped the web servers (a globalTeardown would run before that).
  process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
}
const tempDir = process.env.MESHSCOPE_E2E_DIR;
const port = Number(process.env.MESHSCOPE_E2E_PORT);
const demoPort = Number(process.env.MESHSCOPE_E2E_DEMO_PORT);
const baseURL = `http://127.0.0.1:${port}`;
const demoBaseURL = `http://127.0.0.1:${demoPort}`;
const authPort = Number(process.env.MESHSCOPE_E2E_AUTH_PORT);
const authBaseURL = `http://127.0.0.1:${authPort}`;
/** Where demo specs write Istio YAML for the demo to obey (one object per file, DESIGN §4 `files` target). */
const meshConfigDir = path.join(tempDir, "mesh-config");
process.env.MESHSCOPE_E2E_MESH_CONFIG_DIR = meshConfigDir;

/** The auth server's token names (revision authors) and roles; the raw tokens are random per run. */
const AUTH_TOKENS = [
  { name: "e2e-viewer", role: "viewer", env: "MESHSCOPE_E2E_VIEWER_TOKEN" },
  { name: "e2e-editor", role: "editor", env: "MESHSCOPE_E2E_EDITOR_TOKEN" },
] as const;
const tokensFile = path.join(tempDir, "tokens.yaml");
if (AUTH_TOKENS.some((t) => !process.env[t.env])) {
  for (const t of AUTH_TOKENS) process.env[t.env] = randomBytes(24).toString("base64url");
  const entries = AUTH_TOKENS.map((t) => {
    const sha256 = createHash("sha256")
      .update(process.env[t.env] ?? "", "utf8")
      .digest("hex");
    return `  - name: ${t.name}\n    role: ${t.role}\n    sha256: ${sha256}\n`;
  });
  writeFileSync(tokensFile, `tokens:\n${entries.join("")}`, { mode: 0o600 });
}

/** The specs that need a server without demo traffic; every other spec but the sign-in one runs against the demo. */
const PLAIN_SPECS = /(navigation|theme|trace-search|hostile-names)\.spec\.ts$/;
const AUTH_SPECS = /[/\\]auth\.spec\.ts$/;

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
    { name: "demo", testIgnore: [PLAIN_SPECS, AUTH_SPECS], use: { baseURL: demoBaseURL } },
    { name: "auth", testMatch: AUTH_SPECS, use: { baseURL: authBaseURL } },
  ],
  webServer: [
    {
      command: serverCommand(port, path.join(tempDir, "meshscope.db"), ["--no-demo"]),
      url: `${baseURL}/healthz`,
      env: { MESHSCOPE_MESH_CONFIG_DIR: path.join(tempDir, "mesh-config-plain") },
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
    {
      command: serverCommand(authPort, path.join(tempDir, "meshscope-auth.db"), [
        "--no-demo",
        "--auth token",
        `--tokens-file ${tokensFile}`,
      ]),
      url: `${authBaseURL}/healthz`,
      env: { MESHSCOPE_MESH_CONFIG_DIR: path.join(tempDir, "mesh-config-auth") },
      reuseExistingServer: false,
      timeout: 30_000,
      stdout: "ignore",
      stderr: "pipe",
    },
  ],
});
