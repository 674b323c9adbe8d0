/**
 * `npm run bench:ingest`: sustained OTLP/HTTP protobuf ingest into the real built server, with ack after commit,
 * against the raw better-sqlite3 insert rate of the same rows into the same schema.
 *
 * Per run: start `node apps/server/dist/index.js` on free ports and a fresh temporary database; fork a separate
 * load process that POSTs pre-encoded 500-span requests (10-span traces, 10 attributes per span, unique trace
 * ids per request) over keep-alive connections for a warm-up and then a measured window; check through the
 * trace API that sampled acknowledged traces are complete; stop the server (SIGTERM) and record its peak RSS;
 * then insert the same requests straight through the store's insert code into another fresh database.
 * Prints each run and the median over runs. A benchmark, not a test: it never fails on its figures.
 *
 * Options (defaults shown; each also as BENCH_RUNS=…, BENCH_DURATION=… in the environment):
 *   --runs 3 --duration 20 --warmup 3 --concurrency 8 --spans-per-request 500 --templates 8 --keep
 */
import { fork, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { TraceResponse } from "@meshscope/model";
import { getText } from "./lib/http.js";
import { type LoadConfig, LoadResult } from "./lib/load-protocol.js";
import { buildRequestSet, SPANS_PER_TRACE, traceIdFor } from "./lib/otlp-requests.js";
import { rawInsert } from "./lib/raw-insert.js";
import { fmtFixed, fmtInt, table } from "./lib/report.js";
import { startServer } from "./lib/server-process.js";
import { median, quantile } from "./lib/stats.js";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

const TARGET_SPANS_PER_S = 50_000;
const TARGET_RATIO = 0.6;
const TARGET_RSS_MB = 300;

// Each option also reads BENCH_<NAME> from the environment (BENCH_RUNS=1 npm run bench:ingest), because npm
// hands arguments after `npm run bench:ingest --` to the nested `npm run -w` rather than to this script.
const env = (name: string, fallback: string) =>
  process.env[`BENCH_${name.toUpperCase().replaceAll("-", "_")}`] ?? fallback;
const { values: opts } = parseArgs({
  options: {
    runs: { type: "string", default: env("runs", "3") },
    duration: { type: "string", default: env("duration", "20") },
    warmup: { type: "string", default: env("warmup", "3") },
    concurrency: { type: "string", default: env("concurrency", "8") },
    "spans-per-request": { type: "string", default: env("spans-per-request", "500") },
    templates: { type: "string", default: env("templates", "8") },
    keep: { type: "boolean", default: env("keep", "") === "1" },
  },
});

function positive(name: string, text: string | undefined): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number, got ${text}`);
  return n;
}

const runs = Math.floor(positive("runs", opts.runs));
const durationS = positive("duration", opts.duration);
const warmupS = Number(opts.warmup);
if (!Number.isFinite(warmupS) || warmupS < 0) throw new Error(`--warmup must be 0 or more seconds, got ${opts.warmup}`);
const concurrency = Math.floor(positive("concurrency", opts.concurrency));
const spansPerRequest = Math.floor(positive("spans-per-request", opts["spans-per-request"]));
const templates = Math.floor(positive("templates", opts.templates));

interface RunFigures {
  servedSpansPerS: number;
  metricsSpansPerS: number;
  p50Ms: number;
  p99Ms: number;
  peakRssMb: number;
  rawSpansPerS: number;
  prepareSpansPerS: number;
  ratio: number;
  rejected429: number;
  otherErrors: number;
  verified: string;
}

/** The server runs from dist/: make sure it is built from the current sources (tsc -b is a no-op when it is). */
function buildServer(): void {
  const tsc = path.join(repoRoot, "node_modules/.bin/tsc");
  const res = spawnSync(tsc, ["-b", "apps/server"], { cwd: repoRoot, stdio: "inherit" });
  if (res.status !== 0) throw new Error("tsc -b apps/server failed");
}

function runLoad(config: LoadConfig): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    // fork() inherits tsx's loader flags and --conditions=source from this process's execArgv.
    const child = fork(path.join(repoRoot, "bench/lib/load-process.ts"), [JSON.stringify(config)], {
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    let result: LoadResult | null = null;
    child.on("message", (message) => {
      const parsed = LoadResult.safeParse(message);
      if (parsed.success) result = parsed.data;
    });
    child.once("error", reject);
    child.once("exit", (code) => {
      if (result !== null) resolve(result);
      else reject(new Error(`the load process exited with code ${code} without a result`));
    });
  });
}

/** Reads sampled acknowledged traces back through GET /api/traces/{id}: ack-after-commit means each one must
 * already be complete. Returns "complete/checked". */
async function verifyThroughApi(consoleUrl: string, nonce: Buffer, seqs: readonly number[]): Promise<string> {
  const set = { nonce, templates: [] };
  let checked = 0;
  let complete = 0;
  for (const seq of seqs) {
    for (const traceIndex of [0, spansPerRequest / SPANS_PER_TRACE - 1]) {
      checked++;
      const id = traceIdFor(set, seq, traceIndex);
      try {
        const res = await getText(`${consoleUrl}/api/traces/${id}`);
        if (res.status !== 200) continue;
        const trace = TraceResponse.safeParse(JSON.parse(res.body));
        if (trace.success && trace.data.spans.length === SPANS_PER_TRACE) complete++;
      } catch {
        // counted as incomplete
      }
    }
  }
  return `${complete}/${checked}`;
}

async function oneRun(run: number): Promise<RunFigures> {
  const dir = mkdtempSync(path.join(tmpdir(), "meshscope-bench-"));
  const nonce = randomBytes(8);
  const baseTimeNs = BigInt(Date.now()) * 1_000_000n;
  try {
    const server = await startServer({
      repoRoot,
      dbPath: path.join(dir, "served.db"),
      logFile: path.join(dir, "server.log"),
    });
    let load: LoadResult;
    let verified: string;
    try {
      load = await runLoad({
        otlpUrl: `${server.otlpHttpUrl}/v1/traces`,
        metricsUrl: `${server.consoleUrl}/metrics`,
        concurrency,
        warmupS,
        durationS,
        spansPerRequest,
        templates,
        baseTimeNs: baseTimeNs.toString(),
        nonceHex: nonce.toString("hex"),
      });
      verified = await verifyThroughApi(server.consoleUrl, nonce, load.sampleOkSeqs);
    } catch (err) {
      console.error(`server log (${server.logFile}):\n${readFileSync(server.logFile, "utf8").slice(-4000)}`);
      throw err;
    } finally {
      await server.stop();
    }
    const peakRssMb = server.peakRssBytes() / 1e6;
    if (load.firstError !== null) console.log(`  run ${run}: first non-2xx answer: ${load.firstError}`);

    const set = buildRequestSet({ spansPerRequest, templates, baseTimeNs }, nonce);
    const raw = rawInsert(set, path.join(dir, "raw.db"), load.totalOkRequests, concurrency);

    const servedSpansPerS = load.okSpans / load.windowS;
    const metricsSpansPerS =
      load.acceptedAtStart === null || load.acceptedAtEnd === null
        ? Number.NaN
        : (load.acceptedAtEnd - load.acceptedAtStart) / load.windowS;
    return {
      servedSpansPerS,
      metricsSpansPerS,
      p50Ms: quantile(load.latencyMs, 0.5),
      p99Ms: quantile(load.latencyMs, 0.99),
      peakRssMb,
      rawSpansPerS: raw.spansPerSecond,
      prepareSpansPerS: raw.spans / raw.prepareSeconds,
      ratio: servedSpansPerS / raw.spansPerSecond,
      rejected429: load.rejected429,
      otherErrors: load.otherErrors,
      verified,
    };
  } finally {
    if (opts.keep) console.log(`  run ${run}: kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

/** The figures only mean something on an otherwise idle machine: say so when it is not. */
function warnIfBusy(when: string): void {
  const [one = 0] = loadavg();
  const note = one > cpus().length * 0.5 ? "  <- the machine is busy: figures will be low and noisy" : "";
  console.log(`load average ${when}: ${one.toFixed(2)} (1 min)${note}`);
}

function verdict(ok: boolean): string {
  return ok ? "met" : "MISSED";
}

async function main(): Promise<void> {
  buildServer();
  console.log(
    `ingest bench: ${runs} run(s), ${warmupS}s warm-up + ${durationS}s window, concurrency ${concurrency}, ` +
      `${spansPerRequest} spans/request (${SPANS_PER_TRACE}-span traces, 10 attributes/span), OTLP/HTTP protobuf`,
  );
  console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? "unknown CPU"}, node ${process.version}`);
  warnIfBusy("before");
  console.log("");

  const figures: RunFigures[] = [];
  for (let run = 1; run <= runs; run++) {
    const f = await oneRun(run);
    figures.push(f);
    console.log(
      `  run ${run}: served ${fmtInt(f.servedSpansPerS)} spans/s (metrics ${fmtInt(f.metricsSpansPerS)}), ` +
        `p50 ${fmtFixed(f.p50Ms, 1)} ms, p99 ${fmtFixed(f.p99Ms, 1)} ms, peak RSS ${fmtInt(f.peakRssMb)} MB, ` +
        `raw ${fmtInt(f.rawSpansPerS)} spans/s, ratio ${fmtFixed(f.ratio, 2)}, 429s ${f.rejected429}, ` +
        `errors ${f.otherErrors}, traces verified via API ${f.verified}`,
    );
  }

  warnIfBusy("after");
  const m = (pick: (f: RunFigures) => number) => median(figures.map(pick));
  const served = m((f) => f.servedSpansPerS);
  const ratio = m((f) => f.ratio);
  const rss = m((f) => f.peakRssMb);
  console.log(`\nmedian of ${runs} run(s):\n`);
  console.log(
    table(
      ["figure", "value", "target", "verdict"],
      [
        [
          "sustained spans/s committed (acks)",
          fmtInt(served),
          `≥ ${fmtInt(TARGET_SPANS_PER_S)}`,
          verdict(served >= TARGET_SPANS_PER_S),
        ],
        ["  same, from meshscope_spans_accepted_total", fmtInt(m((f) => f.metricsSpansPerS)), "", ""],
        [
          "ack latency p50 (ms)",
          fmtFixed(
            m((f) => f.p50Ms),
            1,
          ),
          "",
          "",
        ],
        [
          "ack latency p99 (ms)",
          fmtFixed(
            m((f) => f.p99Ms),
            1,
          ),
          "",
          "",
        ],
        ["server peak RSS (MB)", fmtInt(rss), `≤ ${TARGET_RSS_MB}`, verdict(rss <= TARGET_RSS_MB)],
        ["raw better-sqlite3 insert spans/s", fmtInt(m((f) => f.rawSpansPerS)), "", ""],
        ["decode + row encoding spans/s (1 thread)", fmtInt(m((f) => f.prepareSpansPerS)), "", ""],
        ["ratio served / raw", fmtFixed(ratio, 2), `≥ ${TARGET_RATIO}`, verdict(ratio >= TARGET_RATIO)],
      ],
    ),
  );
  console.log(
    `\nraw = the same requests decoded and row-encoded outside the clock, inserted ${concurrency} requests ` +
      `(${fmtInt(concurrency * spansPerRequest)} spans) per transaction by the store's insert code.`,
  );
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exit(1);
});
