/**
 * `npm run bench:soak -- --minutes 30`: a long run of the real built server (`apps/server/dist/index.js`, as a
 * child process on free ports and a temporary database) under a steady mixed load, to see whether anything
 * drifts: memory, ingest latency, read latency, errors.
 *
 * 1. Capacity: unless `--rate` is given, a short closed-loop probe (8 requests in flight) of the ingest mix —
 *    4 OTLP/HTTP protobuf span requests (SDK-encoded, 100 spans each, fresh trace ids) to 1 Prometheus
 *    remote-write push (~500 Istio series of a synthetic mesh, counters rising with time) — measures the
 *    requests/s the server acknowledges.
 * 2. Soak: an open-loop schedule at half that rate (same mix), plus reads every second: a trace search and a
 *    graph query. Latency counts from the scheduled send time, so a slow server is not hidden by a slow client.
 * 3. Every 30 s: RSS, ingest ok/s, ingest and read p50/p99, errors. At the end: drift as ratios of the last to
 *    the first window (5 min, or a third of a shorter run).
 * A benchmark, not a test: it never fails on its figures.
 *
 * Options (each also as BENCH_<NAME> in the environment): --minutes 30 --rate <requests/s> --probe-seconds 15
 *   --report-seconds 30 --drift-minutes 5 --keep (keep the database and log)
 */
import { mkdtempSync, rmSync } from "node:fs";
import { Agent, request } from "node:http";
import { cpus, loadavg, tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { encodeLabels, writeRequestBody } from "@meshscope/wire";
import { buildRequestSet, materialise, maxRequestBytes } from "./lib/otlp-requests.js";
import { fmtFixed, fmtInt, table } from "./lib/report.js";
import { readProcMemory, startServer } from "./lib/server-process.js";
import { quantile } from "./lib/stats.js";
import { buildMesh } from "./lib/synthetic-mesh.js";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const env = (name: string, fallback?: string) =>
  process.env[`BENCH_${name.toUpperCase().replaceAll("-", "_")}`] ?? fallback;
const { values: opts } = parseArgs({
  options: {
    minutes: { type: "string", default: env("minutes", "30") },
    rate: { type: "string", default: env("rate") },
    "probe-seconds": { type: "string", default: env("probe-seconds", "15") },
    "report-seconds": { type: "string", default: env("report-seconds", "30") },
    "drift-minutes": { type: "string", default: env("drift-minutes", "5") },
    keep: { type: "boolean", default: env("keep", "") === "1" },
  },
});

function positive(name: string, text: string | undefined): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number, got ${text}`);
  return n;
}

const minutes = positive("minutes", opts.minutes);
const probeSeconds = positive("probe-seconds", opts["probe-seconds"]);
const reportSeconds = positive("report-seconds", opts["report-seconds"]);
const driftMinutes = Math.min(positive("drift-minutes", opts["drift-minutes"]), minutes / 3);

const SPANS_PER_REQUEST = 100;
const SERIES_PER_PUSH = 500;
/** Of every 5 ingest requests, 4 carry spans and 1 carries metrics. */
const MIX = ["spans", "spans", "spans", "spans", "metrics"] as const;
type Kind = (typeof MIX)[number];
/** Open loop: past this many requests in flight the client is behind; further sends are counted as backlog. */
const MAX_IN_FLIGHT = 64;

interface Answer {
  status: number;
  error: string | null;
}

function send(agent: Agent, url: string, method: "GET" | "POST", headers: Record<string, string>, body?: Uint8Array) {
  return new Promise<Answer>((resolve) => {
    const req = request(url, { method, agent, headers, timeout: 60_000 }, (res) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode ?? 0, error: null }));
      res.on("error", (err) => resolve({ status: 0, error: err.message }));
    });
    req.on("timeout", () => req.destroy(new Error("timed out after 60 s")));
    req.on("error", (err) => resolve({ status: 0, error: err.message }));
    req.end(body);
  });
}

/** One report interval's observations. */
interface Interval {
  endS: number;
  rssBytes: number;
  ingestOk: number;
  ingestLatencyMs: number[];
  readLatencyMs: number[];
  errors: number;
  rejected429: number;
  backlog: number;
  firstError: string | null;
}

const newInterval = (): Interval => ({
  endS: 0,
  rssBytes: 0,
  ingestOk: 0,
  ingestLatencyMs: [],
  readLatencyMs: [],
  errors: 0,
  rejected429: 0,
  backlog: 0,
  firstError: null,
});

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), "meshscope-soak-"));
  const server = await startServer({
    repoRoot,
    dbPath: path.join(dir, "meshscope.db"),
    logFile: path.join(dir, "server.log"),
  });
  const agent = new Agent({ keepAlive: true, maxSockets: MAX_IN_FLIGHT });
  const readAgent = new Agent({ keepAlive: true, maxSockets: 2 });
  console.log(
    `soak: ${minutes} min, server pid ${server.pid}, ${cpus().length} cores, load ${loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")}, log ${server.logFile}`,
  );

  // Span requests: SDK-encoded templates, every request with fresh trace ids and advancing times.
  const spanSet = buildRequestSet({
    spansPerRequest: SPANS_PER_REQUEST,
    templates: 4,
    baseTimeNs: BigInt(Date.now()) * 1_000_000n,
  });
  const spanBuffer = Buffer.alloc(maxRequestBytes(spanSet));
  let spanSeq = 0;
  // Metric pushes: the synthetic mesh's series in chunks, counters at rate × seconds since the start.
  const mesh = buildMesh({ services: 40, namespaces: 4, callsPerService: 3, crossNamespaceShare: 0.2, seed: 11 });
  const series = [...mesh.requests, ...mesh.durations];
  const encodedLabels = series.map((s) => encodeLabels(s.labels));
  const baseMs = Date.now();
  let pushSeq = 0;

  const spansUrl = `${server.otlpHttpUrl}/v1/traces`;
  const writeUrl = `${server.consoleUrl}/api/v1/write`;
  const sendIngest = (kind: Kind): Promise<Answer> => {
    if (kind === "spans") {
      const body = materialise(spanSet, spanSeq++, spanBuffer);
      // Copied: the shared buffer is rewritten by the next request while this one may still be in flight.
      return send(agent, spansUrl, "POST", { "content-type": "application/x-protobuf" }, Buffer.from(body));
    }
    const chunks = Math.ceil(series.length / SERIES_PER_PUSH);
    const at = (pushSeq++ % chunks) * SERIES_PER_PUSH;
    const nowMs = Date.now();
    const body = writeRequestBody(
      encodedLabels.slice(at, at + SERIES_PER_PUSH),
      series.slice(at, at + SERIES_PER_PUSH).map((s) => Math.round((s.ratePerS * (nowMs - baseMs)) / 1000)),
      nowMs,
    );
    return send(
      agent,
      writeUrl,
      "POST",
      {
        "content-type": "application/x-protobuf",
        "content-encoding": "snappy",
        "x-prometheus-remote-write-version": "0.1.0",
      },
      body,
    );
  };

  let stopping = false;
  process.once("SIGINT", () => {
    console.log("SIGINT: finishing early");
    stopping = true;
  });

  try {
    let rate = opts.rate === undefined ? undefined : positive("rate", opts.rate);
    if (rate === undefined) {
      const capacity = await probeCapacity(sendIngest);
      rate = capacity / 2;
      console.log(`capacity: ${fmtFixed(capacity, 1)} ingest requests/s acknowledged (closed loop, 8 in flight)`);
    }
    console.log(
      `offering ${fmtFixed(rate, 1)} requests/s (${fmtInt((rate * 4 * SPANS_PER_REQUEST) / 5)} spans/s + ${fmtFixed(rate / 5, 1)} pushes/s of ${SERIES_PER_PUSH} series), reads: 1 trace search + 1 graph per s\n`,
    );

    const intervals: Interval[] = [];
    let current = newInterval();
    const start = performance.now();
    const endAt = start + minutes * 60_000;
    let inFlight = 0;
    let sent = 0;

    const ingestDone = (scheduled: number, answer: Answer) => {
      inFlight--;
      if (answer.status >= 200 && answer.status < 300) {
        current.ingestOk++;
        current.ingestLatencyMs.push(performance.now() - scheduled);
      } else if (answer.status === 429) {
        current.rejected429++;
      } else {
        current.errors++;
        current.firstError ??= answer.error ?? `HTTP ${answer.status}`;
      }
    };

    // Reads run in their own sequential loop: one search, one graph, then wait for the next second.
    const readLoop = (async () => {
      while (!stopping && performance.now() < endAt) {
        const tick = performance.now();
        for (const url of [
          `${server.consoleUrl}/api/traces?service=frontend&limit=20`,
          `${server.consoleUrl}/api/graph?type=versionedApp&namespaces=ns-00,ns-01,ns-02,ns-03&window=300`,
        ]) {
          const t = performance.now();
          const answer = await send(readAgent, url, "GET", {});
          if (answer.status === 200) current.readLatencyMs.push(performance.now() - t);
          else {
            current.errors++;
            current.firstError ??= `read ${url.split("?")[0]}: ${answer.error ?? `HTTP ${answer.status}`}`;
          }
        }
        await new Promise((r) => setTimeout(r, Math.max(0, 1000 - (performance.now() - tick))));
      }
    })();

    // The ingest schedule: request n is due at start + n/rate; a 5 ms tick sends whatever is due.
    let nextReport = start + reportSeconds * 1000;
    printHeader();
    while (!stopping && performance.now() < endAt) {
      const now = performance.now();
      while (start + (sent * 1000) / rate <= now) {
        const scheduled = start + (sent * 1000) / rate;
        const kind = MIX[sent % MIX.length] ?? "spans";
        sent++;
        if (inFlight >= MAX_IN_FLIGHT) {
          current.backlog++;
          continue;
        }
        inFlight++;
        void sendIngest(kind).then((answer) => ingestDone(scheduled, answer));
      }
      if (now >= nextReport) {
        current.endS = (now - start) / 1000;
        current.rssBytes = readProcMemory(server.pid)?.rss ?? 0;
        intervals.push(current);
        printInterval(current, reportSeconds);
        current = newInterval();
        nextReport += reportSeconds * 1000;
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    await readLoop;
    const drainUntil = performance.now() + 60_000;
    while (inFlight > 0 && performance.now() < drainUntil) await new Promise((r) => setTimeout(r, 20));
    // The tail since the last report (and the drain) is printed, but left out of the drift windows: it is shorter
    // than an interval, and its latencies include requests sent just before the schedule stopped.
    const tailS = (performance.now() - start) / 1000 - (intervals.at(-1)?.endS ?? 0);
    if (current.ingestOk + current.readLatencyMs.length + current.errors > 0) {
      current.endS = (performance.now() - start) / 1000;
      current.rssBytes = readProcMemory(server.pid)?.rss ?? 0;
      printInterval(current, tailS);
    }
    printDrift(intervals);
    console.log(
      `\npeak RSS ${fmtFixed(server.peakRssBytes() / 2 ** 20, 0)} MiB; ${fmtInt(sent)} ingest requests scheduled`,
    );
  } finally {
    const code = await server.stop();
    if (code !== 0) console.log(`server exited with code ${code}; see ${server.logFile}`);
    agent.destroy();
    readAgent.destroy();
    if (opts.keep) console.log(`kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

/** Closed loop, 8 in flight, for --probe-seconds after a 3 s warm-up: acknowledged ingest requests per second. */
async function probeCapacity(sendIngest: (kind: Kind) => Promise<Answer>): Promise<number> {
  const warmupEnd = performance.now() + 3_000;
  const end = warmupEnd + probeSeconds * 1000;
  let ok = 0;
  let n = 0;
  const worker = async () => {
    while (performance.now() < end) {
      const answer = await sendIngest(MIX[n++ % MIX.length] ?? "spans");
      if (answer.status >= 200 && answer.status < 300 && performance.now() >= warmupEnd) ok++;
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return ok / probeSeconds;
}

const COLUMNS = ["t s", "RSS MiB", "ingest ok/s", "ingest p50 ms", "ingest p99 ms", "read p50 ms", "read p99 ms"];
const COLUMNS_2 = ["errors", "429", "backlog"];

function printHeader(): void {
  console.log(table([...COLUMNS, ...COLUMNS_2], []));
}

function printInterval(i: Interval, seconds: number): void {
  const row = [
    fmtInt(i.endS),
    fmtFixed(i.rssBytes / 2 ** 20, 0),
    fmtFixed(i.ingestOk / seconds, 1),
    fmtFixed(quantile(i.ingestLatencyMs, 0.5), 1),
    fmtFixed(quantile(i.ingestLatencyMs, 0.99), 1),
    fmtFixed(quantile(i.readLatencyMs, 0.5), 1),
    fmtFixed(quantile(i.readLatencyMs, 0.99), 1),
    String(i.errors),
    String(i.rejected429),
    String(i.backlog),
  ];
  const widths = [...COLUMNS, ...COLUMNS_2].map((h) => h.length);
  console.log(row.map((c, k) => (k === 0 ? c.padEnd(widths[k] ?? 0) : c.padStart(widths[k] ?? 0))).join("  "));
  if (i.firstError !== null) console.log(`      first error: ${i.firstError}`);
}

interface WindowFigures {
  rssMiB: number;
  okPerS: number;
  ingestP50: number;
  ingestP99: number;
  readP50: number;
  readP99: number;
  errorsPerMin: number;
}

function windowFigures(intervals: readonly Interval[], seconds: number): WindowFigures {
  const all = (pick: (i: Interval) => number[]) => intervals.flatMap(pick);
  const sum = (pick: (i: Interval) => number) => intervals.reduce((s, i) => s + pick(i), 0);
  return {
    rssMiB: sum((i) => i.rssBytes) / intervals.length / 2 ** 20,
    okPerS: sum((i) => i.ingestOk) / seconds,
    ingestP50: quantile(
      all((i) => i.ingestLatencyMs),
      0.5,
    ),
    ingestP99: quantile(
      all((i) => i.ingestLatencyMs),
      0.99,
    ),
    readP50: quantile(
      all((i) => i.readLatencyMs),
      0.5,
    ),
    readP99: quantile(
      all((i) => i.readLatencyMs),
      0.99,
    ),
    errorsPerMin: (sum((i) => i.errors + i.backlog) / seconds) * 60,
  };
}

function printDrift(intervals: readonly Interval[]): void {
  const perWindow = Math.max(1, Math.floor((driftMinutes * 60) / reportSeconds));
  if (intervals.length < 2) {
    console.log("\ndrift: too short a run for two windows");
    return;
  }
  const n = Math.min(perWindow, Math.floor(intervals.length / 2));
  const first = windowFigures(intervals.slice(0, n), n * reportSeconds);
  const last = windowFigures(intervals.slice(-n), n * reportSeconds);
  const ratio = (a: number, b: number) => (a === 0 && b === 0 ? "1.00" : fmtFixed(b / a, 2));
  const label = `${fmtFixed((n * reportSeconds) / 60, 1)} min`;
  const rows: Array<[string, number, number]> = [
    ["RSS MiB (mean)", first.rssMiB, last.rssMiB],
    ["ingest ok/s", first.okPerS, last.okPerS],
    ["ingest p50 ms", first.ingestP50, last.ingestP50],
    ["ingest p99 ms", first.ingestP99, last.ingestP99],
    ["read p50 ms", first.readP50, last.readP50],
    ["read p99 ms", first.readP99, last.readP99],
    ["errors+backlog /min", first.errorsPerMin, last.errorsPerMin],
  ];
  console.log(`\ndrift: the first ${label} against the last ${label}`);
  console.log(
    table(
      ["figure", "first", "last", "last/first"],
      rows.map(([name, a, b]) => [name, fmtFixed(a, 1), fmtFixed(b, 1), ratio(a, b)]),
    ),
  );
}

await main();
