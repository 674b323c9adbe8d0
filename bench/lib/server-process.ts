/**
 * Runs the real built meshscope server (`node apps/server/dist/index.js`) as its own process for a benchmark,
 * on free ports and a temporary database, and samples its memory from /proc while it runs.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import path from "node:path";
import { getText } from "./http.js";
import { freePort } from "./ports.js";

export interface ServerHandle {
  pid: number;
  consoleUrl: string;
  otlpHttpUrl: string;
  logFile: string;
  /** Highest resident set size seen so far, bytes (max of the kernel's VmHWM and our VmRSS samples). */
  peakRssBytes(): number;
  /** SIGTERM (the server drains its queue), then wait for exit; SIGKILL after the timeout. */
  stop(timeoutMs?: number): Promise<number | null>;
}

export interface ServerOptions {
  repoRoot: string;
  dbPath: string;
  logFile: string;
  extraArgs?: readonly string[];
}

/** VmHWM / VmRSS lines of /proc/<pid>/status, in bytes; null when the process is gone or not on Linux. */
export function readProcMemory(pid: number): { hwm: number; rss: number } | null {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, "utf8");
  } catch {
    return null;
  }
  const kib = (field: string) => {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status);
    return m?.[1] === undefined ? 0 : Number(m[1]) * 1024;
  };
  return { hwm: kib("VmHWM"), rss: kib("VmRSS") };
}

export async function startServer(options: ServerOptions): Promise<ServerHandle> {
  const entry = path.join(options.repoRoot, "apps/server/dist/index.js");
  const [port, otlpHttpPort] = [await freePort(), await freePort()];
  const args = [
    // The same V8 flag `npm start` passes (see the root package.json): a larger young generation lets the
    // per-request decode/row-encoding garbage die young instead of being promoted (measured: ~+25% spans/s).
    "--max-semi-space-size=32",
    // For profiling a run, e.g. BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof".
    ...(process.env.BENCH_SERVER_NODE_ARGS?.split(" ").filter((a) => a !== "") ?? []),
    entry,
    "--db",
    options.dbPath,
    "--port",
    String(port),
    "--otlp-http-port",
    String(otlpHttpPort),
    "--otlp-grpc-port",
    "0",
    "--zipkin-port",
    "0",
    "--no-demo",
    ...(options.extraArgs ?? []),
  ];
  const log = openSync(options.logFile, "w");
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: options.repoRoot,
    stdio: ["ignore", log, log],
    env: { ...process.env, NODE_ENV: "production" },
  });
  closeSync(log);
  const pid = child.pid;
  if (pid === undefined) throw new Error("could not start the server process");

  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) => {
    child.once("exit", (code) => {
      exitCode = code;
      resolve(code);
    });
  });

  let peak = 0;
  const sample = () => {
    const mem = readProcMemory(pid);
    if (mem !== null) peak = Math.max(peak, mem.hwm, mem.rss);
  };
  const sampler = setInterval(sample, 100);

  const consoleUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (exitCode !== undefined) {
      clearInterval(sampler);
      throw new Error(`the server exited with code ${exitCode} before it was ready; see ${options.logFile}`);
    }
    const ready = await getText(`${consoleUrl}/readyz`, 1_000).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      clearInterval(sampler);
      throw new Error(`the server was not ready within 30 s; see ${options.logFile}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  return {
    pid,
    consoleUrl,
    otlpHttpUrl: `http://127.0.0.1:${otlpHttpPort}`,
    logFile: options.logFile,
    peakRssBytes() {
      sample();
      return peak;
    },
    async stop(timeoutMs = 15_000) {
      sample();
      clearInterval(sampler);
      if (exitCode !== undefined) return exitCode;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}
