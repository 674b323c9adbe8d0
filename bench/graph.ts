/**
 * `npm run bench:graph`: Istio metrics ingest by remote-write and service-graph build time, Meshscope against
 * Debian's Prometheus 2.42 given the same data.
 *
 * A seeded synthetic mesh (default 1,000 services in 20 namespaces, 5 calls each: ~20,000 istio_requests_total
 * series plus the destination proxies' duration histograms) is encoded as snappy-compressed remote-write bodies
 * and pushed, round by round (6 "scrapes" 60 s apart, timestamps in the past so a 5-minute window ending now is
 * full), to the built meshscope server and to `prometheus --web.enable-remote-write-receiver`. Each receiver is
 * timed alone on the same bytes, once both have gone quiet after the previous push (lib/proc-cpu.ts waitForQuiet);
 * samples/s = samples acknowledged / time spent pushing.
 * Then `/api/graph` for all namespaces over the last 5 minutes, asked as the live console asks it (no end time:
 * the window ends at the server's "now", so no call repeats an earlier one's window), is timed against the
 * equivalent PromQL instant query: the build time each server reports for itself (Meshscope's Server-Timing
 * header: reading the window's traffic and building the graph, with serialising the JSON apart; Prometheus'
 * `stats=all` evalTotalTime), which the ≤ 30 ms target is about, and the HTTP round trip from this process (whole
 * body read; parsing the answers is left out). A repeated query for one window, which the server may answer from
 * its memo (as between two scrapes), is timed too.
 * This process shares the machine with both servers, so it keeps out of their way while they are timed: the mesh
 * is encoded before the first push and dropped, its heap is collected before each timed phase (`--expose-gc`),
 * and timed calls read answers into one reused buffer (lib/draining-client.ts). It reports its own CPU and
 * collections during the live graph calls.
 * A benchmark, not a test: it never fails on its figures.
 *
 * Options (defaults shown; each also as BENCH_<NAME> in the environment, e.g. BENCH_SERVICES=200):
 *   --services 1000 --namespaces 20 --calls 5 --rounds 6 --series-per-request 2000 --concurrency 4
 *   --queries 20 --seed 42 --keep
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import path from "node:path";
import { PerformanceObserver } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { GraphResponse } from "@meshscope/model";
import { encodeLabels, writeRequestBody } from "@meshscope/wire";
import { z } from "zod";
import { type RunningPrometheus, startPrometheus } from "../packages/wire/src/testing/prometheus-process.js";
import { DrainingClient } from "./lib/draining-client.js";
import { getText } from "./lib/http.js";
import { CpuMeter, findPidByArgument, processesCpuSeconds, waitForQuiet } from "./lib/proc-cpu.js";
import { pushAll } from "./lib/remote-write-push.js";
import { fmtFixed, fmtInt, table } from "./lib/report.js";
import { type ServerHandle, startServer } from "./lib/server-process.js";
import { quantile } from "./lib/stats.js";
import { buildMesh, type MeshSeries } from "./lib/synthetic-mesh.js";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

const TARGET_INGEST_RATIO = 2;
const TARGET_GRAPH_P95_MS = 30;
const WINDOW_S = 300;
const ROUND_SPACING_MS = 60_000;
const PROMQL =
  "sum(rate(istio_requests_total[5m])) by (source_workload, source_workload_namespace, destination_service_name, " +
  "destination_service_namespace, destination_workload, response_code)";

// npm hands arguments after `npm run bench:graph --` to the nested `npm run -w`, so each option also reads
// BENCH_<NAME> from the environment.
const env = (name: string, fallback: string) =>
  process.env[`BENCH_${name.toUpperCase().replaceAll("-", "_")}`] ?? fallback;
const { values: opts } = parseArgs({
  options: {
    services: { type: "string", default: env("services", "1000") },
    namespaces: { type: "string", default: env("namespaces", "20") },
    calls: { type: "string", default: env("calls", "5") },
    rounds: { type: "string", default: env("rounds", "6") },
    "series-per-request": { type: "string", default: env("series-per-request", "2000") },
    concurrency: { type: "string", default: env("concurrency", "4") },
    queries: { type: "string", default: env("queries", "20") },
    seed: { type: "string", default: env("seed", "42") },
    keep: { type: "boolean", default: env("keep", "") === "1" },
  },
});

function positiveInt(name: string, text: string | undefined): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} must be a positive integer, got ${text}`);
  return n;
}

const services = positiveInt("services", opts.services);
const namespaces = positiveInt("namespaces", opts.namespaces);
const calls = positiveInt("calls", opts.calls);
const rounds = positiveInt("rounds", opts.rounds);
const seriesPerRequest = positiveInt("series-per-request", opts["series-per-request"]);
const concurrency = positiveInt("concurrency", opts.concurrency);
const queries = positiveInt("queries", opts.queries);
const seed = positiveInt("seed", opts.seed);

/** The server runs from dist/: make sure it is built from the current sources (tsc -b is a no-op when it is). */
function buildServer(): void {
  const tsc = path.join(repoRoot, "node_modules/.bin/tsc");
  const res = spawnSync(tsc, ["-b", "apps/server"], { cwd: repoRoot, stdio: "inherit" });
  if (res.status !== 0) throw new Error("tsc -b apps/server failed");
}

/** Round k's request bodies: every series once, its counter at `timestampMs` (rate × seconds since baseMs). */
function encodeRound(
  series: readonly MeshSeries[],
  encodedLabels: readonly Uint8Array[],
  timestampMs: number,
  baseMs: number,
): Uint8Array[] {
  const elapsedS = (timestampMs - baseMs) / 1000;
  const bodies: Uint8Array[] = [];
  for (let at = 0; at < series.length; at += seriesPerRequest) {
    const chunk = series.slice(at, at + seriesPerRequest);
    bodies.push(
      writeRequestBody(
        encodedLabels.slice(at, at + seriesPerRequest),
        // Whole requests, as Envoy counts them.
        chunk.map((s) => Math.round(s.ratePerS * elapsedS)),
        timestampMs,
      ),
    );
  }
  return bodies;
}

interface EncodedMesh {
  /** Per round, its request bodies. */
  rounds: Uint8Array[][];
  seriesCount: number;
  requestSeries: number;
  durationSeries: number;
  edges: number;
}

/**
 * Every round's bodies, encoded before anything is timed. The mesh and its labels (~120 MB of label bytes in
 * 130,000 arrays) stay inside this function: the bodies (~8 MB a round) are all this process keeps while it
 * pushes and queries, so its own garbage collections stay short. With the mesh kept, this process ran
 * back-to-back full collections of ~40 ms each while it pushed, on the cores the receivers were being timed on.
 */
function encodeMesh(firstMs: number, baseMs: number): EncodedMesh {
  const mesh = buildMesh({ services, namespaces, callsPerService: calls, crossNamespaceShare: 0.2, seed });
  const series = [...mesh.requests, ...mesh.durations];
  const encodedLabels = series.map((s) => encodeLabels(s.labels));
  return {
    rounds: Array.from({ length: rounds }, (_, k) =>
      encodeRound(series, encodedLabels, firstMs + k * ROUND_SPACING_MS, baseMs),
    ),
    seriesCount: series.length,
    requestSeries: mesh.requests.length,
    durationSeries: mesh.durations.length,
    edges: mesh.edges,
  };
}

/**
 * A full collection of this process, when run with --expose-gc (`npm run bench:graph` does): before each timed
 * phase, so this client's garbage from the phase before is not collected on the cores the servers are timed on.
 */
function settleClientHeap(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** This process's CPU time and garbage collections over the calls it wraps: how much the client itself took. */
async function measureClient<T>(
  work: () => Promise<T>,
): Promise<{ result: T; cpuMs: number; gcs: number; gcMs: number }> {
  let gcs = 0;
  let gcMs = 0;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      gcs++;
      gcMs += entry.duration;
    }
  });
  observer.observe({ entryTypes: ["gc"] });
  const before = process.cpuUsage();
  try {
    const result = await work();
    const used = process.cpuUsage(before);
    // Entries are delivered asynchronously: let the last ones arrive.
    await new Promise((r) => setImmediate(r));
    return { result, cpuMs: (used.user + used.system) / 1000, gcs, gcMs };
  } finally {
    observer.disconnect();
  }
}

async function timeCalls(n: number, call: () => Promise<void>): Promise<number[]> {
  // Two untimed calls first: JIT and SQLite page cache on one side, Prometheus' postings cache on the other.
  await call();
  await call();
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const started = process.hrtime.bigint();
    await call();
    ms.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return ms;
}

const PromVector = z.object({
  status: z.literal("success"),
  data: z.object({
    result: z.array(z.object({ metric: z.record(z.string(), z.string()), value: z.tuple([z.number(), z.string()]) })),
  }),
});

function promPath(promql: string, timeS: number, stats: boolean): string {
  return `/api/v1/query?query=${encodeURIComponent(promql)}&time=${timeS}${stats ? "&stats=all" : ""}`;
}

async function promQuery(prom: RunningPrometheus, promql: string, timeS: number): Promise<z.infer<typeof PromVector>> {
  const res = await getText(`${prom.baseUrl}${promPath(promql, timeS, false)}`, 60_000);
  if (res.status !== 200) throw new Error(`Prometheus answered ${res.status} to ${promql}: ${res.body.slice(0, 300)}`);
  return PromVector.parse(JSON.parse(res.body));
}

/**
 * A timed PromQL call with `stats=all`: the whole answer read, Prometheus' own evaluation time (ms) taken from
 * its end (`"stats":{"timings":{..."evalTotalTime":s...}}` closes the answer).
 */
async function promEvalDrained(client: DrainingClient, promql: string, timeS: number): Promise<number> {
  const res = await client.get(promPath(promql, timeS, true));
  if (res.status !== 200) throw new Error(`Prometheus answered ${res.status} to ${promql}: ${res.tail.slice(-300)}`);
  const m = /"evalTotalTime":([-+\d.eE]+)/.exec(res.tail);
  if (m?.[1] === undefined)
    throw new Error(`no evalTotalTime at the end of Prometheus' answer: ${res.tail.slice(-300)}`);
  return Number(m[1]) * 1000;
}

/** The graph of the window ending at `endUs`, or at the server's now (a live view) when it is null. */
async function graphText(server: ServerHandle, endUs: number | null): Promise<string> {
  const res = await getText(`${server.consoleUrl}${graphPath(endUs)}`, 60_000);
  if (res.status !== 200) throw new Error(`/api/graph answered ${res.status}: ${res.body.slice(0, 300)}`);
  return res.body;
}

/** A timed graph call: the whole answer read (its bytes counted, not kept), its Server-Timing recorded. */
async function graphDrained(client: DrainingClient, endUs: number | null, timings?: ServerTimings): Promise<void> {
  const res = await client.get(graphPath(endUs));
  if (res.status !== 200) throw new Error(`/api/graph answered ${res.status}: ${res.tail.slice(-300)}`);
  if (res.byteLength === 0) throw new Error("/api/graph answered an empty body");
  if (timings !== undefined) timings.add(res.headers.get("server-timing") ?? "");
}

function graphPath(endUs: number | null): string {
  const end = endUs === null ? "" : `&end=${endUs}`;
  return `/api/graph?type=workload&window=${WINDOW_S}${end}`;
}

/** The phases the server reports in its Server-Timing header (api/graph-routes.ts), per call. */
class ServerTimings {
  readonly byPhase = new Map<string, number[]>();

  add(header: string): void {
    for (const part of header.split(",")) {
      const m = /^\s*([\w-]+);dur=([\d.]+)\s*$/.exec(part);
      if (m?.[1] === undefined || m[2] === undefined) continue;
      const list = this.byPhase.get(m[1]) ?? [];
      list.push(Number(m[2]));
      this.byPhase.set(m[1], list);
    }
  }

  /** traffic + build per call: the graph built, before it is serialised. */
  builds(): number[] {
    const traffic = this.byPhase.get("traffic") ?? [];
    const build = this.byPhase.get("build") ?? [];
    return traffic.map((t, i) => t + (build[i] ?? Number.NaN));
  }

  phase(name: string): number[] {
    return this.byPhase.get(name) ?? [];
  }
}

async function graphCall(server: ServerHandle, endUs: number): Promise<GraphResponse> {
  return GraphResponse.parse(JSON.parse(await graphText(server, endUs)));
}

function verdict(ok: boolean): string {
  return ok ? "met" : "MISSED";
}

function warnIfBusy(when: string): void {
  const [one = 0] = loadavg();
  const note = one > cpus().length * 0.5 ? "  <- the machine is busy: figures will be low and noisy" : "";
  console.log(`load average ${when}: ${one.toFixed(2)} (1 min)${note}`);
}

async function main(): Promise<void> {
  buildServer();
  // The last round lands on a whole second just behind now; the window ends there.
  const lastMs = Math.floor(Date.now() / 1000) * 1000 - 1000;
  const firstMs = lastMs - (rounds - 1) * ROUND_SPACING_MS;
  const baseMs = firstMs - 3_600_000;
  const mesh = encodeMesh(firstMs, baseMs);
  settleClientHeap();
  console.log(
    `graph bench: ${services} services in ${namespaces} namespaces, ${fmtInt(mesh.edges)} calls; ` +
      `${fmtInt(mesh.requestSeries)} istio_requests_total + ${fmtInt(mesh.durationSeries)} histogram series; ` +
      `${rounds} rounds 60 s apart; ${seriesPerRequest} series/request, ${concurrency} in flight`,
  );
  console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? "unknown CPU"}, node ${process.version}`);
  warnIfBusy("before");

  const dir = mkdtempSync(path.join(tmpdir(), "meshscope-bench-graph-"));
  let server: ServerHandle | undefined;
  let prom: RunningPrometheus | undefined;
  const clients: DrainingClient[] = [];
  try {
    [server, prom] = await Promise.all([
      startServer({ repoRoot, dbPath: path.join(dir, "meshscope.db"), logFile: path.join(dir, "server.log") }),
      startPrometheus(() => "global:\n  scrape_interval: 1m\n", ["--web.enable-remote-write-receiver"]),
    ]);
    let meshscopeS = 0;
    let promS = 0;
    let retries = 0;
    // CPU each receiver spent on the pushes: steadier than wall-clock rates on a loaded machine.
    const meshscopeCpu = new CpuMeter(server.pid);
    const promCpu = new CpuMeter(findPidByArgument(`--web.listen-address=127.0.0.1:${prom.port}`));
    // Each receiver is timed alone: before each push (and each timed query phase below) both are left to finish
    // what they still do after answering (measured without this wait: Prometheus used up to 0.26 s of CPU during a
    // 0.45 s Meshscope push, and 310 ms during Meshscope's live graph calls), and the other receiver's CPU during
    // each push is reported, to show it stayed idle.
    const pids = [server.pid, promCpu.pid];
    const promDuringPushes = new CpuMeter(promCpu.pid);
    const meshscopeDuringPushes = new CpuMeter(server.pid);
    /** Timed phases (pushes and query phases) before which the servers did not go quiet within 5 s. */
    let notQuiet = 0;
    const settle = async () => {
      settleClientHeap();
      if (!(await waitForQuiet(() => processesCpuSeconds(pids))).quiet) notQuiet++;
    };
    for (const bodies of mesh.rounds) {
      const url = `${server.consoleUrl}/api/v1/write`;
      await settle();
      const m = await promDuringPushes.measure(() => meshscopeCpu.measure(() => pushAll(url, bodies, concurrency)));
      const promUrl = `${prom.baseUrl}/api/v1/write`;
      await settle();
      const p = await meshscopeDuringPushes.measure(() => promCpu.measure(() => pushAll(promUrl, bodies, concurrency)));
      meshscopeS += m.seconds;
      promS += p.seconds;
      retries += m.retries + p.retries;
    }
    const samples = mesh.seriesCount * rounds;
    const meshscopeRate = samples / meshscopeS;
    const promRate = samples / promS;

    const endUs = lastMs * 1000;
    const evalS = lastMs / 1000;
    const graph = await graphCall(server, endUs);
    const vector = await promQuery(prom, PROMQL, evalS);
    // Timed: the HTTP round trip with the whole body read, on both sides. Parsing and validating the answers is
    // this process's work, not the server's, so it is done once above and not inside the timed calls; the timed
    // calls read the answers through a client that keeps nothing of them (lib/draining-client.ts).
    const meshscope = DrainingClient.forUrl(server.consoleUrl);
    const prometheus = DrainingClient.forUrl(prom.baseUrl, 4096);
    clients.push(meshscope, prometheus);
    await settle();
    const graphMs = await timeCalls(queries, () => graphDrained(meshscope, endUs));
    const promEvalMs: number[] = [];
    await settle();
    const promMs = await timeCalls(queries, async () => {
      promEvalMs.push(await promEvalDrained(prometheus, PROMQL, evalS));
    });
    // timeCalls makes two untimed calls first; keep the timed ones.
    promEvalMs.splice(0, 2);
    // The same graph as a live console asks for it, "the last 5 minutes, now": nothing can be reused from an
    // earlier answer. The last round was pushed well under a minute ago, so the window holds 5 of the 6 rounds.
    const freshTimings = new ServerTimings();
    await settle();
    const promDuringLive = new CpuMeter(promCpu.pid);
    const fresh = await measureClient(() =>
      promDuringLive.measure(() => timeCalls(queries, () => graphDrained(meshscope, null, freshTimings))),
    );
    const freshMs = fresh.result;
    // The two untimed calls reported too; keep the timed ones.
    for (const list of freshTimings.byPhase.values()) list.splice(0, 2);
    warnIfBusy("after");

    // Requests into workloads: with service nodes injected (the default) each request crosses two edges, the
    // service → workload one counts it once. PromQL sums both proxies' reports of each request: halve it.
    const graphRps = graph.edges.filter((e) => e.target.startsWith("workload:")).reduce((sum, e) => sum + e.rps, 0);
    const promRps = vector.data.result.reduce((sum, r) => sum + Number(r.value[1]), 0);
    const builds = freshTimings.builds();
    const [b50, b95, e50, e95] = [
      quantile(builds, 0.5),
      quantile(builds, 0.95),
      quantile(promEvalMs, 0.5),
      quantile(promEvalMs, 0.95),
    ];
    const [g50, g95, p50, p95, f50, f95] = [
      quantile(graphMs, 0.5),
      quantile(graphMs, 0.95),
      quantile(promMs, 0.5),
      quantile(promMs, 0.95),
      quantile(freshMs, 0.5),
      quantile(freshMs, 0.95),
    ];
    console.log("");
    console.log(
      table(
        ["figure", "meshscope", "prometheus 2.42", "ratio", "target", "verdict"],
        [
          [
            "remote-write samples/s accepted",
            fmtInt(meshscopeRate),
            fmtInt(promRate),
            `${fmtFixed(meshscopeRate / promRate, 2)}×`,
            `≥ ${TARGET_INGEST_RATIO}×`,
            verdict(meshscopeRate / promRate >= TARGET_INGEST_RATIO),
          ],
          ["  push time (s)", fmtFixed(meshscopeS, 2), fmtFixed(promS, 2), "", "", ""],
          [
            "  samples per CPU-second (all threads)",
            fmtInt(samples / meshscopeCpu.seconds),
            fmtInt(samples / promCpu.seconds),
            `${fmtFixed(promCpu.seconds / meshscopeCpu.seconds, 2)}×`,
            "",
            "",
          ],
          [
            "graph build, new window per call, p50 (ms)",
            fmtFixed(b50, 1),
            fmtFixed(e50, 1),
            `${fmtFixed(e50 / b50, 2)}× speed-up`,
            "",
            "",
          ],
          [
            "graph build, new window per call, p95 (ms)",
            fmtFixed(b95, 1),
            fmtFixed(e95, 1),
            `${fmtFixed(e95 / b95, 2)}× speed-up`,
            `≤ ${TARGET_GRAPH_P95_MS} ms`,
            verdict(b95 <= TARGET_GRAPH_P95_MS),
          ],
          [
            "  of which reading traffic, p50 (ms)",
            fmtFixed(quantile(freshTimings.phase("traffic"), 0.5), 1),
            "",
            "",
            "",
            "",
          ],
          ["  serialising the JSON, p50 (ms)", fmtFixed(quantile(freshTimings.phase("json"), 0.5), 1), "", "", "", ""],
          [
            "HTTP round trip, new window per call, p50 (ms)",
            fmtFixed(f50, 1),
            fmtFixed(p50, 1),
            `${fmtFixed(p50 / f50, 2)}× speed-up`,
            "",
            "",
          ],
          [
            "HTTP round trip, new window per call, p95 (ms)",
            fmtFixed(f95, 1),
            fmtFixed(p95, 1),
            `${fmtFixed(p95 / f95, 2)}× speed-up`,
            "",
            "",
          ],
          ["  same window again (server memo), p50 (ms)", fmtFixed(g50, 1), "", "", "", ""],
          ["  same window again (server memo), p95 (ms)", fmtFixed(g95, 1), "", "", "", ""],
          ["check: requests/s (PromQL sum ÷ 2)", fmtFixed(graphRps, 1), fmtFixed(promRps / 2, 1), "", "", ""],
          ["graph edges / PromQL series", fmtInt(graph.edges.length), fmtInt(vector.data.result.length), "", "", ""],
        ],
      ),
    );
    // Every call, in order: a p95 of 20 calls is the second-slowest, so say where the slow ones were.
    console.log(`\ngraph build per call, in call order (ms): ${builds.map((b) => fmtFixed(b, 1)).join(" ")}`);
    // The client shares the cores with the server: say how much it took while the live calls were timed.
    console.log(
      `this process during those ${queries + 2} calls: ${fmtFixed(fresh.cpuMs, 0)} ms CPU, ` +
        `${fresh.gcs} garbage collections (${fmtFixed(fresh.gcMs, 1)} ms); Prometheus, idle meanwhile: ` +
        `${fmtFixed(promDuringLive.seconds * 1000, 0)} ms CPU`,
    );
    console.log(
      `pushes: each receiver timed alone, after both were quiet (≤ 20 ms CPU in 200 ms${notQuiet > 0 ? `; not reached within 5 s before ${notQuiet} of ${2 * rounds + 3} timed phases` : ""}); ` +
        `Prometheus' CPU during Meshscope's pushes ${fmtFixed(promDuringPushes.seconds * 1000, 0)} ms, ` +
        `Meshscope's during Prometheus' ${fmtFixed(meshscopeDuringPushes.seconds * 1000, 0)} ms`,
    );
    console.log(
      `\n${fmtInt(samples)} samples each (${fmtInt(mesh.seriesCount)} series × ${rounds} rounds)` +
        `${retries > 0 ? `, ${retries} backpressure retries` : ""}. Graph: GET /api/graph?type=workload, all ` +
        `namespaces, window ${WINDOW_S}s ending at the server's now (a live view: no call repeats a window); PromQL: ` +
        `${PROMQL}. ${queries} timed calls after 2 untimed. Build times are each server's own: Meshscope's ` +
        "Server-Timing (reading the window's traffic + building the graph; serialising reported apart), " +
        "Prometheus' evalTotalTime (stats=all). Round trips are HTTP from this process with the whole body read. " +
        "The same-window rows repeat one window, which the server may answer from its memo until new data arrives." +
        "\nPromQL sums both proxies' reports of each request; the graph pins one reporter (Kiali's rule).",
    );
  } catch (err) {
    if (server !== undefined) {
      console.error(`server log (${server.logFile}):\n${readFileSync(server.logFile, "utf8").slice(-4000)}`);
    }
    throw err;
  } finally {
    for (const client of clients) client.close();
    await Promise.all([server?.stop(), prom?.stop()]);
    if (opts.keep) console.log(`kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exit(1);
});
