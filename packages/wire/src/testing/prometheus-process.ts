import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Debian's package installs it here (`.ci/run` installs the package); tests use the real server as an oracle. */
export const PROMETHEUS_BIN = "/usr/bin/prometheus";

export interface RunningPrometheus {
  baseUrl: string;
  port: number;
  /** An instant query; returns the `data.result` vector entries as label sets and the value string. */
  query(promql: string): Promise<Array<{ metric: Record<string, string>; value: string }>>;
  /** Everything Prometheus printed, for failure messages. */
  log(): string;
  stop(): Promise<void>;
}

/** A free TCP port on 127.0.0.1 (bound then released: Prometheus takes a listen address, not a listener). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error("no port assigned"))));
    });
  });
}

/**
 * Starts Debian's Prometheus on 127.0.0.1 with `configYaml` and a temporary TSDB directory, and waits until it is
 * ready. `stop()` kills that one process (by its handle) and removes the directory.
 *
 * The port is chosen free and then handed to Prometheus, so another process (a test server binding port 0 in a
 * parallel test file) can take it in between. Readiness therefore means *this* process answers: it is still
 * running and `/-/ready` says "Prometheus"; a start that lost its port is retried on another one.
 */
export async function startPrometheus(
  configYaml: (selfAddress: string) => string,
  extraArgs: string[] = [],
): Promise<RunningPrometheus> {
  if (!existsSync(PROMETHEUS_BIN)) {
    throw new Error(`${PROMETHEUS_BIN} is missing: install Debian's package ("apt-get install -y prometheus")`);
  }
  for (let attempt = 1; ; attempt++) {
    const started = await startOnFreePort(configYaml, extraArgs);
    if (!("lostPort" in started)) return started;
    if (attempt >= 3) throw new Error(`prometheus could not bind a free port in 3 attempts:\n${started.lostPort}`);
  }
}

async function startOnFreePort(
  configYaml: (selfAddress: string) => string,
  extraArgs: string[],
): Promise<RunningPrometheus | { lostPort: string }> {
  const dir = await mkdtemp(join(tmpdir(), "meshscope-prom-"));
  const port = await freePort();
  const address = `127.0.0.1:${port}`;
  const configFile = join(dir, "prometheus.yml");
  await writeFile(configFile, configYaml(address));
  const child: ChildProcess = spawn(
    PROMETHEUS_BIN,
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${join(dir, "data")}`,
      `--web.listen-address=${address}`,
      ...extraArgs,
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const baseUrl = `http://${address}`;

  // SIGTERM first (Prometheus then closes its TSDB cleanly), SIGKILL if it is still flushing remote-write queues
  // after 3 s: a test must not wait out Prometheus' one-minute flush deadline, nor leave the process behind.
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
      await exited;
      clearTimeout(timer);
    }
    await rm(dir, { recursive: true, force: true });
  };

  try {
    await waitUntil(async () => {
      if (child.exitCode !== null) throw new PrometheusExited(output);
      const res = await fetch(`${baseUrl}/-/ready`).catch(() => undefined);
      // Prometheus answers "Prometheus Server is Ready."; anything else on the port is another server.
      const text = res?.status === 200 ? await res.text() : "";
      return text.includes("Prometheus") && child.exitCode === null;
    }, 15_000);
  } catch (err) {
    await stop();
    if (err instanceof PrometheusExited && /address already in use/i.test(err.output)) return { lostPort: err.output };
    throw err instanceof PrometheusExited ? new Error(`prometheus exited:\n${err.output}`) : err;
  }

  return {
    baseUrl,
    port,
    log: () => output,
    stop,
    async query(promql) {
      const res = await fetch(`${baseUrl}/api/v1/query?query=${encodeURIComponent(promql)}`);
      const body: unknown = await res.json();
      return parseVector(body, promql);
    },
  };
}

export async function waitUntil(check: () => Promise<boolean>, timeoutMs: number, intervalMs = 100): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function parseVector(body: unknown, promql: string): Array<{ metric: Record<string, string>; value: string }> {
  if (!isRecord(body) || body.status !== "success" || !isRecord(body.data) || !Array.isArray(body.data.result)) {
    throw new Error(`unexpected answer to ${promql}: ${JSON.stringify(body)}`);
  }
  return body.data.result.map((entry: unknown) => {
    if (!isRecord(entry) || !isRecord(entry.metric) || !Array.isArray(entry.value)) {
      throw new Error(`unexpected vector entry for ${promql}: ${JSON.stringify(entry)}`);
    }
    const metric: Record<string, string> = {};
    for (const [k, v] of Object.entries(entry.metric)) metric[k] = String(v);
    return { metric, value: String(entry.value[1]) };
  });
}

class PrometheusExited extends Error {
  constructor(readonly output: string) {
    super("prometheus exited");
  }
}
