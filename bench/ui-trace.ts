/**
 * `npm run bench:ui-trace`: the trace page with one 100,000-span trace, in Debian's headless Chromium (issue #6,
 * scope 5). The trace (deep and wide, many services, events and errors, seeded) is ingested over OTLP/HTTP JSON
 * into the real built server on a temporary database, so the figures include the trace-by-id query, the JSON
 * transfer and the zod check of the answer, as a user would see them. Prints:
 *   - time to first rows: navigation start → the first waterfall row in the DOM (and when /api/traces/{id} ended);
 *   - scroll: frame times while the waterfall is scrolled programmatically, one step per animation frame;
 *   - collapse all / expand all: click → DOM updated (React flushes a click synchronously) and → next frame;
 *   - JS heap after the trace is open (CDP Runtime.getHeapUsage, after a GC).
 * Targets: first rows ≤ 2 s, ≥ 50 fps, expand/collapse ≤ 100 ms, heap ≤ 500 MB. A benchmark, not a test: it
 * never fails on its figures.
 *
 * The page is opened twice: once through a front server that answers the trace from memory (so those figures
 * measure the web app alone), then straight against meshscope (end to end: query, transfer and page, as a user
 * sees it).
 *
 * Options: --spans 100000 --services 60 --seed 11 --batch 2000 (or BENCH_SPANS etc.); --runs 3 (page loads per
 * kind, medians printed); --answer-encoding identity (the Accept-Encoding of the replayed answer); --save-dir DIR keeps the database and the answer there (to profile the server's
 * trace-by-id query on its own). `npm run build` first.
 */
/// <reference lib="dom" />
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, request as httpRequest, type Server } from "node:http";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { brotliDecompressSync, gunzipSync, inflateSync } from "node:zlib";
import type { Browser, Page } from "@playwright/test";
import { launchChromium, settledPage } from "./lib/chromium.js";
import { fmtFixed, fmtInt, spread, table } from "./lib/report.js";
import { startServer } from "./lib/server-process.js";
import { median, quantile } from "./lib/stats.js";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

const TARGET_FIRST_ROWS_MS = 2_000;
const TARGET_FPS = 50;
const TARGET_TOGGLE_MS = 100;
const TARGET_HEAP_MB = 500;

const { values: args } = parseArgs({
  options: {
    spans: { type: "string", default: process.env.BENCH_SPANS ?? "100000" },
    services: { type: "string", default: process.env.BENCH_SERVICES ?? "60" },
    seed: { type: "string", default: process.env.BENCH_SEED ?? "11" },
    batch: { type: "string", default: process.env.BENCH_BATCH ?? "2000" },
    runs: { type: "string", default: process.env.BENCH_RUNS ?? "3" },
    /** Writes a CPU profile of the page (load, scroll, toggles) to this file. */
    "cpu-profile": { type: "string" },
    /** Accept-Encoding of the answer the front server replays to the page (Chromium's own by default). */
    "answer-encoding": { type: "string", default: "gzip, deflate, br, zstd" },
    /** Keeps the database and the trace answer in this directory instead of a temporary one. */
    "save-dir": { type: "string" },
  },
});

/** mulberry32: a small seeded PRNG, so every run draws the same trace. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface GenSpan {
  spanId: string;
  parentSpanId: string | null;
  service: number;
  name: string;
  kind: number;
  startNs: bigint;
  endNs: bigint;
  error: boolean;
  events: number;
  attrs: number;
}

const hex = (n: number, width: number) => n.toString(16).padStart(width, "0");

/**
 * A trace shaped like a big batch job fanning out through a mesh: each span gets 0–6 children (wide), a few
 * spans start long call chains (deep: up to ~400 levels), children fit inside their parent's time.
 */
function generateTrace(total: number, services: number, random: () => number): GenSpan[] {
  const spans: GenSpan[] = [];
  const startNs = BigInt(Date.now() - 60_000) * 1_000_000n;
  const make = (parent: GenSpan | null, s: bigint, e: bigint): GenSpan => {
    const service = parent === null ? 0 : Math.floor(random() * services);
    const span: GenSpan = {
      spanId: hex(spans.length + 1, 16),
      parentSpanId: parent?.spanId ?? null,
      service,
      name: `${["GET", "POST", "query", "publish", "compute"][Math.floor(random() * 5)]} /op-${Math.floor(random() * 12)}`,
      kind: parent === null ? 2 : 1 + Math.floor(random() * 3),
      startNs: s,
      endNs: e,
      error: random() < 0.02,
      events: random() < 0.1 ? 1 + Math.floor(random() * 3) : 0,
      attrs: 4 + Math.floor(random() * 5),
    };
    spans.push(span);
    return span;
  };
  const queue: GenSpan[] = [make(null, startNs, startNs + 30_000_000_000n)];
  for (let q = 0; q < queue.length && spans.length < total; q++) {
    const parent = queue[q] as GenSpan;
    const chain = random() < 0.002;
    const kids = chain ? 1 : Math.floor(random() * 7);
    const width = parent.endNs - parent.startNs;
    for (let k = 0; k < kids && spans.length < total; k++) {
      const a = parent.startNs + (width * BigInt(Math.floor(random() * 600))) / 1000n;
      const b = a + ((parent.endNs - a) * BigInt(200 + Math.floor(random() * 800))) / 1000n;
      let child = make(parent, a, b > a ? b : a + 1000n);
      // A deep chain: each link a little shorter than the last.
      const depth = chain ? 50 + Math.floor(random() * 350) : 0;
      for (let d = 0; d < depth && spans.length < total; d++) {
        child = make(
          child,
          child.startNs + 1000n,
          child.endNs - 1000n > child.startNs + 1000n ? child.endNs - 1000n : child.startNs + 2000n,
        );
      }
      queue.push(child);
    }
    // Never let the frontier die out before the target count.
    if (q === queue.length - 1 && spans.length < total) queue.push(parent);
  }
  return spans;
}

function otlpBody(traceId: string, spans: readonly GenSpan[], serviceCount: number): string {
  const byService = new Map<number, GenSpan[]>();
  for (const s of spans) {
    const list = byService.get(s.service);
    if (list) list.push(s);
    else byService.set(s.service, [s]);
  }
  const resourceSpans = [...byService].map(([service, list]) => ({
    resource: {
      attributes: [
        {
          key: "service.name",
          value: { stringValue: `svc-${hex(service, 2)}.ns-${service % Math.max(1, Math.ceil(serviceCount / 10))}` },
        },
        { key: "k8s.pod.name", value: { stringValue: `svc-${service}-7d9f-x` } },
      ],
    },
    scopeSpans: [
      {
        scope: { name: "bench-ui-trace" },
        spans: list.map((s) => ({
          traceId,
          spanId: s.spanId,
          ...(s.parentSpanId ? { parentSpanId: s.parentSpanId } : {}),
          name: s.name,
          kind: s.kind,
          startTimeUnixNano: s.startNs.toString(),
          endTimeUnixNano: s.endNs.toString(),
          attributes: Array.from({ length: s.attrs }, (_, i) => ({
            key:
              ["http.method", "http.status_code", "net.peer.name", "db.system", "user.id", "retry", "region", "zone"][
                i
              ] ?? `k${i}`,
            value:
              i === 1 ? { intValue: String(s.error ? 500 : 200) } : { stringValue: `value-${i}-${s.spanId.slice(-4)}` },
          })),
          events: Array.from({ length: s.events }, (_, i) => ({
            timeUnixNano: (s.startNs + ((s.endNs - s.startNs) * BigInt(i + 1)) / BigInt(s.events + 1)).toString(),
            name: i === 0 ? "cache miss" : "retry",
            attributes: [],
          })),
          status: s.error ? { code: 2, message: "upstream failed" } : { code: 0 },
        })),
      },
    ],
  }));
  return JSON.stringify({ resourceSpans });
}

async function ingest(
  url: string,
  traceId: string,
  spans: readonly GenSpan[],
  services: number,
  batch: number,
): Promise<void> {
  for (let i = 0; i < spans.length; i += batch) {
    const response = await fetch(`${url}/v1/traces`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: otlpBody(traceId, spans.slice(i, i + batch), services),
    });
    if (!response.ok) throw new Error(`ingest answered ${response.status}: ${await response.text()}`);
  }
}

/** An answer as the server sent it on the wire: status, headers and the (possibly compressed) bytes. */
interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  bytes: Buffer;
  /** Request → last byte, ms. */
  ms: number;
}

/** GET `url` as Chromium asks (it accepts gzip, deflate, br and zstd), keeping the bytes as they came. */
function fetchRaw(url: string, acceptEncoding: string): Promise<RawAnswer> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      { headers: { accept: "application/json", "accept-encoding": acceptEncoding } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("error", reject);
        res.on("end", () => {
          const headers: Record<string, string> = {};
          for (const [k, v] of Object.entries(res.headers)) if (typeof v === "string") headers[k] = v;
          resolve({ status: res.statusCode ?? 0, headers, bytes: Buffer.concat(chunks), ms: performance.now() - t0 });
        });
      },
    );
    req.on("error", reject);
    req.end();
  });
}

/** The answer's JSON text (decompressed when the server compressed it), to count what the page parses. */
function answerText(answer: RawAnswer): string {
  const encoding = answer.headers["content-encoding"];
  if (encoding === undefined || encoding === "identity") return answer.bytes.toString("utf8");
  if (encoding === "gzip") return gunzipSync(answer.bytes).toString("utf8");
  if (encoding === "br") return brotliDecompressSync(answer.bytes).toString("utf8");
  if (encoding === "deflate") return inflateSync(answer.bytes).toString("utf8");
  throw new Error(`unexpected content-encoding ${encoding}`);
}

/**
 * A front server for the page: the trace's answers (its outline and the full trace) from memory, byte for byte as
 * meshscope sent them (so the page's figures do not include the server's query, printed apart), everything else
 * passed through to meshscope.
 * Playwright's request interception would do the same but moves a 50 MB body through the DevTools protocol in
 * base64, slowly.
 */
function cachingProxy(target: string, cached: ReadonlyMap<string, RawAnswer>): Promise<Server> {
  const server = createServer((req, res) => {
    const answer = cached.get(req.url ?? "");
    if (answer !== undefined) {
      const { "transfer-encoding": _chunked, ...headers } = answer.headers;
      res.writeHead(answer.status, { ...headers, "content-length": answer.bytes.length });
      res.end(answer.bytes);
      return;
    }
    // The page itself as index.html from `/`: the same bytes, without the trace-page prefetch meshscope starts
    // when it serves `/traces/{id}` (traces/outline-builder.ts), which would build an outline nobody here takes.
    const url = /^\/traces\/[^/?]+\/?(?:\?|$)/.test(req.url ?? "") ? "/" : (req.url ?? "/");
    const upstream = httpRequest(
      `${target}${url}`,
      { method: req.method, headers: { ...req.headers, host: new URL(target).host } },
      (upstreamAnswer) => {
        res.writeHead(upstreamAnswer.statusCode ?? 502, upstreamAnswer.headers);
        upstreamAnswer.pipe(res);
      },
    );
    upstream.on("error", () => res.destroy());
    req.pipe(upstream);
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

/** Scrolls the waterfall one step per animation frame and returns the frame intervals (ms). */
function scrollFrames(page: Page, frames: number, step: number): Promise<number[]> {
  // A string, not a function: tsx names inner functions with a helper (__name) that the page does not have.
  return page.evaluate(`new Promise((resolve) => {
    const el = document.querySelector('[data-testid="waterfall-viewport"]');
    const intervals = [];
    let last = performance.now();
    let n = 0;
    function tick(now) {
      intervals.push(now - last);
      last = now;
      el.scrollTop += ${step};
      if (++n < ${frames}) requestAnimationFrame(tick); else resolve(intervals.slice(2));
    }
    requestAnimationFrame(tick);
  })`);
}

/** Clicks a button and returns [ms until the click handler returned (DOM committed), ms until the next frame]. */
function timedClick(page: Page, testId: string): Promise<[number, number]> {
  return page.evaluate(`new Promise((resolve) => {
    const button = document.querySelector('[data-testid="${testId}"]');
    const t0 = performance.now();
    button.click();
    const t1 = performance.now();
    requestAnimationFrame(() => setTimeout(() => resolve([t1 - t0, performance.now() - t0]), 0));
  })`);
}

/** Milestones of one page load, ms after navigation start. */
interface LoadTimings {
  firstRows: number;
  apiRequest: number;
  apiFirstByte: number;
  apiEnd: number;
  validated: number;
  model: number;
}

async function loadTimings(page: Page, url: string): Promise<LoadTimings> {
  await page.addInitScript(`
    window.__benchFirstRows = null;
    new MutationObserver((_, observer) => {
      if (window.__benchFirstRows === null && document.querySelector('[data-testid="span-row"]')) {
        window.__benchFirstRows = performance.now();
        observer.disconnect();
      }
    }).observe(document, { childList: true, subtree: true });
  `);
  await page.goto(url);
  await page.waitForSelector('[data-testid="span-row"]', { timeout: 120_000 });
  const firstRows = Number(await page.evaluate("window.__benchFirstRows"));
  const marks = await page.evaluate(() =>
    Object.fromEntries(performance.getEntriesByType("mark").map((m) => [m.name, m.startTime] as const)),
  );
  const api = await page.evaluate(() => {
    const e = performance.getEntriesByType("resource").find((x) => x.name.includes("/api/traces/"));
    return e instanceof PerformanceResourceTiming ? [e.requestStart, e.responseStart, e.responseEnd] : [];
  });
  return {
    firstRows,
    apiRequest: api[0] ?? Number.NaN,
    apiFirstByte: api[1] ?? Number.NaN,
    apiEnd: api[2] ?? Number.NaN,
    validated: marks["meshscope:trace-validated"] ?? Number.NaN,
    model: marks["meshscope:trace-model"] ?? Number.NaN,
  };
}

async function interactions(page: Page) {
  await page.waitForTimeout(500);
  const frames = await scrollFrames(page, 240, 96);
  const collapse: number[][] = [];
  const expand: number[][] = [];
  for (let i = 0; i < 3; i++) {
    collapse.push(await timedClick(page, "collapse-all"));
    expand.push(await timedClick(page, "expand-all"));
  }
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("HeapProfiler.collectGarbage");
  const heap = await cdp.send("Runtime.getHeapUsage");
  const rows = await page.locator('[data-testid="span-row"]').count();
  return { frames, collapse, expand, heapMb: heap.usedSize / 1024 / 1024, rows };
}

async function newBenchPage(browser: Browser): Promise<Page> {
  const page = await settledPage(browser);
  await page.route("**/api/events", (route) => route.abort());
  page.on("pageerror", (error) => console.error(`page error: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") console.error(`page console: ${message.text()}`);
  });
  return page;
}

/** Loads the trace page `runs` times in fresh pages; the first load is profiled when asked. */
async function loadRuns(browser: Browser, url: string, runs: number, profile?: string): Promise<LoadTimings[]> {
  const out: LoadTimings[] = [];
  for (let r = 0; r < runs; r++) {
    const page = await newBenchPage(browser);
    const cdp = profile && r === 0 ? await page.context().newCDPSession(page) : null;
    await cdp?.send("Profiler.enable");
    await cdp?.send("Profiler.start");
    out.push(await loadTimings(page, url));
    if (cdp && profile) {
      writeFileSync(profile, JSON.stringify((await cdp.send("Profiler.stop")).profile));
      console.log(`CPU profile of the first page load written to ${profile} (open it in Chromium's DevTools)`);
    }
    await page.context().close();
  }
  return out;
}

function describeTrace(spans: readonly GenSpan[]): number {
  const depth = new Map<string, number>();
  let maxDepth = 0;
  for (const s of spans) {
    const d = s.parentSpanId === null ? 1 : (depth.get(s.parentSpanId) ?? 0) + 1;
    depth.set(s.spanId, d);
    maxDepth = Math.max(maxDepth, d);
  }
  return maxDepth;
}

async function main(): Promise<void> {
  if (
    !existsSync(path.join(repoRoot, "apps/web/dist/index.html")) ||
    !existsSync(path.join(repoRoot, "apps/server/dist/index.js"))
  ) {
    console.error("the built app is missing: run `npm run build` first.");
    process.exit(1);
  }
  const total = Number(args.spans);
  const serviceCount = Number(args.services);
  const runs = Math.max(1, Number(args.runs));
  const spans = generateTrace(total, serviceCount, rng(Number(args.seed)));
  const maxDepth = describeTrace(spans);
  const traceId = hex(0xbe7c, 32);
  const saveDir = args["save-dir"];
  if (saveDir) mkdirSync(saveDir, { recursive: true });
  const dir = saveDir ?? mkdtempSync(path.join(tmpdir(), "meshscope-ui-trace-"));
  const server = await startServer({
    repoRoot,
    dbPath: path.join(dir, "bench.db"),
    logFile: path.join(dir, "server.log"),
  });
  const browser = await launchChromium();
  let closeFront = () => {};
  try {
    const t0 = performance.now();
    await ingest(server.consoleUrl, traceId, spans, serviceCount, Number(args.batch));
    const ingestMs = performance.now() - t0;
    // The trace-by-id query on its own, as a browser asks for it; the page then gets the same bytes from memory,
    // so its figures measure the web app, not the server's query (printed apart).
    const tracePath = `/api/traces/${traceId}`;
    const queries: RawAnswer[] = [];
    for (let r = 0; r < runs; r++)
      queries.push(await fetchRaw(`${server.consoleUrl}${tracePath}`, args["answer-encoding"]));
    const answer = queries[queries.length - 1] as RawAnswer;
    // The outline the trace page asks for first (`?view=outline`), timed the same way: a breakdown row only.
    const outlines: RawAnswer[] = [];
    for (let r = 0; r < runs; r++)
      outlines.push(await fetchRaw(`${server.consoleUrl}${tracePath}?view=outline`, args["answer-encoding"]));
    const outline = outlines[outlines.length - 1] as RawAnswer;
    if (answer.status !== 200) throw new Error(`GET ${tracePath} answered ${answer.status}`);
    const text = answerText(answer);
    if (saveDir) writeFileSync(path.join(saveDir, "trace.json"), text);
    if (outline.status !== 200) throw new Error(`GET ${tracePath}?view=outline answered ${outline.status}`);
    // Both answers the page may ask for come from memory: the outline it opens with and the full trace.
    const front = await cachingProxy(
      server.consoleUrl,
      new Map([
        [tracePath, answer],
        [`${tracePath}?view=outline`, outline],
      ]),
    );
    closeFront = () => front.close();
    const address = front.address();
    const frontUrl = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
    const fromMemory = await loadRuns(browser, `${frontUrl}/traces/${traceId}`, runs, args["cpu-profile"]);
    const interactionPage = await newBenchPage(browser);
    await loadTimings(interactionPage, `${frontUrl}/traces/${traceId}`);
    const after = await interactions(interactionPage);
    await interactionPage.context().close();
    const endToEnd = await loadRuns(browser, `${server.consoleUrl}/traces/${traceId}`, runs);
    report({
      trace: { spans: spans.length, services: serviceCount, maxDepth },
      server: {
        ingestMs,
        queryMs: queries.map((q) => q.ms),
        textBytes: Buffer.byteLength(text),
        wireBytes: answer.bytes.length,
        encoding: answer.headers["content-encoding"] ?? "identity",
        outlineMs: outlines.map((q) => q.ms),
        outlineStatus: outline.status,
        outlineTextBytes: outline.status === 200 ? Buffer.byteLength(answerText(outline)) : 0,
        outlineWireBytes: outline.bytes.length,
      },
      fromMemory,
      endToEnd,
      after,
    });
  } finally {
    closeFront();
    await browser.close();
    await server.stop();
    if (!saveDir) rmSync(dir, { recursive: true, force: true });
  }
}

interface Report {
  trace: { spans: number; services: number; maxDepth: number };
  server: {
    ingestMs: number;
    queryMs: number[];
    textBytes: number;
    wireBytes: number;
    encoding: string;
    outlineMs: number[];
    outlineStatus: number;
    outlineTextBytes: number;
    outlineWireBytes: number;
  };
  fromMemory: LoadTimings[];
  endToEnd: LoadTimings[];
  after: Awaited<ReturnType<typeof interactions>>;
}

/** "median (min–max)" of one milestone over the runs. */
function loadRows(label: string, runs: readonly LoadTimings[], target: boolean): string[][] {
  const col = (k: keyof LoadTimings) => runs.map((r) => r[k]);
  const first = median(col("firstRows"));
  return [
    [
      `time to first rows, ${label} (ms)`,
      spread(col("firstRows")),
      target ? `≤ ${fmtInt(TARGET_FIRST_ROWS_MS)}` : "",
      target ? fmtFixed(TARGET_FIRST_ROWS_MS / first, 2) : "",
    ],
    ["  /api/traces/{id} requested at (ms)", spread(col("apiRequest")), "", ""],
    ["  first byte of the answer at (ms)", spread(col("apiFirstByte")), "", ""],
    ["  last byte of the answer at (ms)", spread(col("apiEnd")), "", ""],
    ["  answer parsed and checked at (ms)", spread(col("validated")), "", ""],
    ["  span tree model built at (ms)", spread(col("model")), "", ""],
  ];
}

function report({ trace, server, fromMemory, endToEnd, after: m }: Report): void {
  const fps = 1000 / median(m.frames);
  const collapseMs = median(m.collapse.map((c) => c[1] ?? Number.NaN));
  const expandMs = median(m.expand.map((c) => c[1] ?? Number.NaN));
  console.log(
    `ui-trace: one trace of ${fmtInt(trace.spans)} spans, ${trace.services} services, depth ${trace.maxDepth}; ` +
      `Chromium headless; ${fromMemory.length} page load(s) each, medians (min–max); load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(" ")}`,
  );
  console.log(
    `server: ingest ${fmtInt(server.ingestMs)} ms; GET /api/traces/{id} ${spread(server.queryMs)} ms for ` +
      `${fmtFixed(server.textBytes / 1e6, 1)} MB of JSON (${fmtFixed(server.wireBytes / 1e6, 1)} MB on the wire, ` +
      `${server.encoding})`,
  );
  console.log(
    `server: GET /api/traces/{id}?view=outline ${spread(server.outlineMs)} ms (status ${server.outlineStatus}) for ` +
      `${fmtFixed(server.outlineTextBytes / 1e6, 1)} MB of JSON (${fmtFixed(server.outlineWireBytes / 1e6, 1)} MB on the wire)`,
  );
  console.log(
    table(
      ["measure", "value", "target", "ratio (target / value)"],
      [
        ...loadRows("answer from memory", fromMemory, true),
        ...loadRows("end to end", endToEnd, true),
        ["scroll: frame time median (ms)", fmtFixed(median(m.frames), 1), "", ""],
        ["scroll: frame time p95 (ms)", fmtFixed(quantile(m.frames, 0.95), 1), "", ""],
        ["scroll: fps (1000 / median frame)", fmtFixed(fps, 1), `≥ ${TARGET_FPS}`, fmtFixed(fps / TARGET_FPS, 2)],
        ["scroll: fps at p95 frame", fmtFixed(1000 / quantile(m.frames, 0.95), 1), "", ""],
        [
          "collapse all → next frame, median (ms)",
          fmtFixed(collapseMs, 1),
          `≤ ${TARGET_TOGGLE_MS}`,
          fmtFixed(TARGET_TOGGLE_MS / collapseMs, 2),
        ],
        ["  click → DOM committed (ms)", fmtFixed(median(m.collapse.map((c) => c[0] ?? Number.NaN)), 1), "", ""],
        [
          "expand all → next frame, median (ms)",
          fmtFixed(expandMs, 1),
          `≤ ${TARGET_TOGGLE_MS}`,
          fmtFixed(TARGET_TOGGLE_MS / expandMs, 2),
        ],
        ["  click → DOM committed (ms)", fmtFixed(median(m.expand.map((c) => c[0] ?? Number.NaN)), 1), "", ""],
        ["JS heap after GC (MB)", fmtFixed(m.heapMb, 1), `≤ ${TARGET_HEAP_MB}`, fmtFixed(TARGET_HEAP_MB / m.heapMb, 2)],
      ],
    ),
  );
  console.log(`frames recorded while scrolling: ${m.frames.length}; rows in the DOM at the end: ${m.rows}`);
}

await main();
