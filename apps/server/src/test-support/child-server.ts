/**
 * Runs meshscope as a child process, the way `npm run dev` does (tsx with the `source` condition), for tests
 * that need a real process to kill or signal. The child picks ephemeral ports; they are read from its
 * "meshscope started" log line.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach } from "vitest";

const INDEX = fileURLToPath(new URL("../index.ts", import.meta.url));
const REPO_ROOT = fileURLToPath(new URL("../../../../", import.meta.url));

/** The child's environment: ours without Node flags a test runner may have set. */
function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  delete env.NODE_OPTIONS;
  return env;
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI to completion (for --help and invalid configurations). */
export function runCli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "--conditions=source", INDEX, ...args], {
      cwd: REPO_ROOT,
      env: childEnv(env),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}

export interface ChildServer {
  process: ChildProcess;
  consoleUrl: string;
  otlpHttpUrl: string;
  /** Every stdout line so far (JSON log records). */
  logLines: string[];
  /** Resolves with the exit code (null when killed by a signal) once the process has exited. */
  exited: Promise<number | null>;
}

interface StartedLine {
  msg: string;
  ports?: { console: number | null; otlpHttp: number | null };
}

function parseLogLine(line: string): StartedLine | null {
  try {
    const value: unknown = JSON.parse(line);
    if (typeof value !== "object" || value === null || !("msg" in value) || typeof value.msg !== "string") return null;
    const ports = "ports" in value && typeof value.ports === "object" && value.ports !== null ? value.ports : undefined;
    const port = (name: string): number | null => {
      if (ports === undefined || !(name in ports)) return null;
      const v: unknown = Reflect.get(ports, name);
      return typeof v === "number" ? v : null;
    };
    return { msg: value.msg, ports: { console: port("console"), otlpHttp: port("otlpHttp") } };
  } catch {
    return null;
  }
}

export interface ChildServerOptions {
  /** How long to wait for the "meshscope started" line; default 30 s. */
  timeoutMs?: number;
  /** More command-line flags (e.g. `--queue-spans 20000`); later flags win. */
  args?: string[];
  /** More environment variables for the child. */
  env?: Record<string, string>;
}

/** Starts meshscope on `dbPath` with ephemeral console and OTLP/HTTP ports (gRPC and Zipkin off). */
export function startChildServer(dbPath: string, options: number | ChildServerOptions = {}): Promise<ChildServer> {
  const opts: ChildServerOptions = typeof options === "number" ? { timeoutMs: options } : options;
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const args = [
    "--no-demo",
    "--port",
    "ephemeral",
    "--otlp-http-port",
    "ephemeral",
    "--otlp-grpc-port",
    "0",
    "--zipkin-port",
    "0",
    "--db",
    dbPath,
    ...(opts.args ?? []),
  ];
  const child = spawn(process.execPath, ["--import", "tsx", "--conditions=source", INDEX, ...args], {
    cwd: REPO_ROOT,
    env: childEnv(opts.env ?? {}),
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const logLines: string[] = [];
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`meshscope did not start within ${timeoutMs} ms; stderr: ${stderr}`));
    }, timeoutMs);
    let buffered = "";
    child.stdout?.on("data", (d: Buffer) => {
      buffered += d.toString();
      let nl = buffered.indexOf("\n");
      while (nl !== -1) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        logLines.push(line);
        const record = parseLogLine(line);
        if (record?.msg === "meshscope started" && record.ports?.console && record.ports.otlpHttp) {
          clearTimeout(timer);
          resolve({
            process: child,
            consoleUrl: `http://127.0.0.1:${record.ports.console}`,
            otlpHttpUrl: `http://127.0.0.1:${record.ports.otlpHttp}`,
            logLines,
            exited,
          });
        }
        nl = buffered.indexOf("\n");
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`meshscope exited with ${code} before starting; stderr: ${stderr}`));
    });
  });
}

export interface ChildServerPerTest {
  /** The running test's temporary directory. */
  readonly dir: string;
  /** Starts meshscope like startChildServer; the last child started is the one cleaned up after the test. */
  start(dbPath: string, options?: number | ChildServerOptions): Promise<ChildServer>;
}

/**
 * Registers hooks that give each test of the file a fresh temporary directory (named from `prefix`) and, after
 * it, SIGKILL the child it left running and remove the directory, so a failed test leaves no process behind.
 */
export function childServerPerTest(prefix: string): ChildServerPerTest {
  let dir: string | undefined;
  let child: ChildServer | null = null;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), prefix));
  });
  afterEach(async () => {
    if (child && child.process.exitCode === null && child.process.signalCode === null) {
      child.process.kill("SIGKILL");
      await child.exited;
    }
    child = null;
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });
  return {
    get dir() {
      if (dir === undefined) throw new Error("childServerPerTest: the directory exists only while a test runs");
      return dir;
    },
    async start(dbPath, options = {}) {
      child = await startChildServer(dbPath, options);
      return child;
    },
  };
}
