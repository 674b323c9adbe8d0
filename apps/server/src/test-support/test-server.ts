/**
 * Starts the real meshscope in-process for integration tests: every listener on an ephemeral port, a SQLite
 * file in a fresh temporary directory, no demo, no web build. `stop()` stops the server and deletes the
 * directory.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type RunningMeshscope, type StartOptions, startMeshscope } from "../app.js";
import { loadConfig, type MeshscopeConfig } from "../config/load-config.js";
import { createLogger, type Logger, silentLogger } from "../ops/logger.js";

export interface TestServer {
  running: RunningMeshscope;
  config: MeshscopeConfig;
  dir: string;
  /** http://127.0.0.1:<console port> */
  consoleUrl: string;
  otlpHttpUrl: string;
  zipkinUrl: string;
  /** 127.0.0.1:<grpc port>, for a gRPC client. */
  grpcTarget: string;
  stop(): Promise<void>;
}

/** Test logs are silent unless MESHSCOPE_TEST_LOGS=1. */
export function testLogger(): Logger {
  return process.env.MESHSCOPE_TEST_LOGS === "1" ? createLogger("debug") : silentLogger;
}

/**
 * `args` are extra command-line flags, read by the real config loader (e.g. `--auth token --tokens-file <f>`);
 * `overrides` then replace fields of the loaded configuration.
 */
export async function startTestServer(
  overrides: Partial<MeshscopeConfig> = {},
  options: StartOptions = {},
  args: readonly string[] = [],
): Promise<TestServer> {
  const dir = mkdtempSync(path.join(tmpdir(), "meshscope-test-"));
  const loaded = loadConfig({
    argv: [
      "--no-demo",
      ...["--port", "--otlp-http-port", "--otlp-grpc-port", "--zipkin-port"].flatMap((f) => [f, "ephemeral"]),
      ...args,
    ],
    env: {},
  });
  if (loaded.kind !== "config") throw new Error("unreachable: no --help given");
  const config: MeshscopeConfig = {
    ...loaded.config,
    dbPath: path.join(dir, "meshscope.db"),
    webDistDir: path.join(dir, "no-web-build"),
    // The files target watches this directory: a test server never reads the working directory's mesh-config/.
    meshConfigDir: path.join(dir, "mesh-config"),
    ...overrides,
  };
  let running: RunningMeshscope;
  try {
    running = await startMeshscope(config, { logger: testLogger(), ...options });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const { ports } = running;
  return {
    running,
    config,
    dir,
    consoleUrl: `http://127.0.0.1:${ports.console}`,
    otlpHttpUrl: `http://127.0.0.1:${ports.otlpHttp}`,
    zipkinUrl: `http://127.0.0.1:${ports.zipkin}`,
    grpcTarget: `127.0.0.1:${ports.otlpGrpc}`,
    async stop() {
      try {
        await running.stop();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
