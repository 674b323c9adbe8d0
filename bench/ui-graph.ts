/**
 * `npm run bench:ui-graph`: the graph page with a synthetic 1,000-node / 3,000-edge versioned-app graph, in
 * Debian's headless Chromium (issue #5, scope 5). Prints:
 *   - time to first interactive layout: navigation start → the first frame that shows the laid-out graph (the
 *     layout runs in a Web Worker; applying it to the canvas and drawing it run on the main thread, and the
 *     graph is neither visible nor answers input before that frame), with the steps before it as breakdown rows;
 *   - refresh: the next /api/graph answer → canvas updated in place (zod parse, model, diff, cytoscape batch),
 *     and the in-place update alone;
 *   - frame times while panning with the mouse.
 * Targets: first layout ≤ 3 s, refresh ≤ 200 ms without relayout, pan ≥ 50 fps. A benchmark, not a test: it
 * never fails on its figures.
 *
 * The built web app (`npm run build`) is served by a small static server here; `/api/graph` is answered by
 * Playwright's request interception with the synthetic graph (rates jittered per answer, so a refresh changes
 * every label), the other API calls with empty answers.
 *
 * Options: --nodes 1000 --edges 3000 --refreshes 3 --seed 7 (or BENCH_NODES etc.); --cpu-profile FILE and --trace FILE
 * (a Chromium trace, every process) record the first load.
 */
/// <reference lib="dom" />
import { existsSync, readFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import type { AuthMeResponse, GraphEdge, GraphNode, GraphResponse } from "@meshscope/model";
import type { Browser, Page } from "@playwright/test";
import { launchChromium, settledPage } from "./lib/chromium.js";
import { fmtFixed, fmtInt, spread, table } from "./lib/report.js";
import { median, quantile } from "./lib/stats.js";

/** The part of the graph page's automation hook (features/graph/automation-hook.ts) the bench reads. */
interface GraphHook {
  layoutDone(): boolean;
  firstLayoutAt(): number | null;
  /** End of the first frame drawn after the first layout (older builds lack it). */
  firstFrameAt?(): number | null;
  stats(): { layoutMs: number | null; syncMs: number | null; syncs: number; lastSyncAt: number | null };
}

declare global {
  interface Window {
    __meshscopeGraph?: GraphHook;
    /** Frame recorder of the pan measurement. */
    __benchFrames?: { intervals: number[]; recording: boolean };
    __benchLongTasks?: number[];
  }
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
// BENCH_WEB_DIST: another build of the web app, e.g. an unminified one (`vite build --minify false`) for profiling.
const distDir = process.env.BENCH_WEB_DIST ?? path.join(repoRoot, "apps/web/dist");

const TARGET_LAYOUT_MS = 3_000;
const TARGET_REFRESH_MS = 200;
const TARGET_FPS = 50;

const { values: args } = parseArgs({
  options: {
    nodes: { type: "string", default: process.env.BENCH_NODES ?? "1000" },
    edges: { type: "string", default: process.env.BENCH_EDGES ?? "3000" },
    refreshes: { type: "string", default: process.env.BENCH_REFRESHES ?? "3" },
    /** Page loads measured (each in a new page); the figures of the first layout are their medians. */
    runs: { type: "string", default: process.env.BENCH_RUNS ?? "5" },
    seed: { type: "string", default: process.env.BENCH_SEED ?? "7" },
    /** Write a Chrome DevTools CPU profile of the first load (open it in DevTools, or summarise its self times). */
    "cpu-profile": { type: "string" },
    /** Writes a Chromium trace (devtools.timeline, V8 compile and GC) of the first load to this file. */
    trace: { type: "string" },
    /** Save a PNG of the page after the first layout (to look at how a big graph is drawn). */
    screenshot: { type: "string" },
  },
});

/** mulberry32: a small seeded PRNG, so every run draws the same mesh. */
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

/**
 * Apps of one service and three versions each (4 nodes), spread over namespaces of 10 apps; every service
 * routes to its versions, and the rest of the edges are calls from versions to services of later apps (a
 * layered DAG, like a real mesh), mostly within a namespace.
 */
function syntheticGraph(nodeTarget: number, edgeTarget: number, seed: number): GraphResponse {
  const random = rng(seed);
  const apps = Math.max(1, Math.round(nodeTarget / 4));
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const pickHealth = (): GraphNode["health"] => {
    const r = random();
    return r < 0.03 ? "failure" : r < 0.1 ? "degraded" : "healthy";
  };
  const base = (id: string, namespace: string): GraphNode => ({
    id,
    kind: "app",
    namespace,
    app: null,
    version: null,
    workload: null,
    service: null,
    health: pickHealth(),
    badges: [],
    inboundRps: 0,
    outboundRps: 0,
    tcpInboundBytesPerSec: 0,
    tcpOutboundBytesPerSec: 0,
  });
  const edge = (source: string, target: string, rps: number, health: GraphEdge["health"]): GraphEdge => ({
    id: `${source} -> ${target} (http)`,
    source,
    target,
    protocol: "http",
    rps,
    errorRate: health === "failure" ? 0.2 : health === "degraded" ? 0.02 : 0,
    responses: { "200": rps },
    flags: { "-": rps },
    p50Ms: 5,
    p95Ms: 40,
    p99Ms: 90,
    mtls: 1,
    tcpSentBytesPerSec: 0,
    tcpReceivedBytesPerSec: 0,
    health,
  });
  const ns = (i: number) => `ns-${String(Math.floor(i / 10)).padStart(3, "0")}`;
  const svcId = (i: number) => `service:${ns(i)}/svc-${i}`;
  const verId = (i: number, v: number) => `app:${ns(i)}/svc-${i}/v${v}`;
  for (let i = 0; i < apps; i++) {
    nodes.push({ ...base(svcId(i), ns(i)), kind: "service", service: `svc-${i}` });
    for (let v = 1; v <= 3; v++) {
      nodes.push({ ...base(verId(i, v), ns(i)), app: `svc-${i}`, version: `v${v}`, workload: `svc-${i}-v${v}` });
      edges.push(edge(svcId(i), verId(i, v), 1 + random() * 20, "healthy"));
    }
  }
  const seen = new Set(edges.map((e) => e.id));
  for (let guard = 0; edges.length < edgeTarget && guard < edgeTarget * 20; guard++) {
    const from = Math.floor(random() * (apps - 1));
    const sameNs = random() < 0.8;
    const nsStart = Math.floor(from / 10) * 10;
    const to = sameNs
      ? Math.min(apps - 1, Math.max(from + 1, nsStart + Math.floor(random() * 10)))
      : from + 1 + Math.floor(random() * (apps - from - 1));
    if (to <= from) continue;
    const e = edge(verId(from, 1 + Math.floor(random() * 3)), svcId(to), random() * 10, pickHealth());
    if (seen.has(e.id)) continue;
    seen.add(e.id);
    edges.push(e);
  }
  const end = Date.now() * 1000;
  return { window: { start: end - 300_000_000, end }, type: "versionedApp", nodes, edges };
}

/** The same graph with every rate moved a little: what a refresh brings. */
function jitter(graph: GraphResponse, random: () => number): GraphResponse {
  return {
    ...graph,
    edges: graph.edges.map((e) => ({ ...e, rps: e.rps * (0.9 + random() * 0.2) })),
  };
}

/**
 * The built console plus the API the graph page calls, from one loopback server, as the real server does (a
 * Playwright route would pass the 3 MB answer through the DevTools protocol and time that instead).
 */
/** What a server in the default anonymous mode answers to `/api/auth/me`: the console then renders every page. */
const ANONYMOUS_ME: AuthMeResponse = {
  mode: "anonymous",
  user: { name: "anonymous", role: "admin", via: "anonymous" },
  csrfToken: null,
  loginMethods: [],
};

function serveDist(api: (pathname: string) => unknown): Promise<Server> {
  const types: Record<string, string> = {
    ".html": "text/html",
    ".js": "text/javascript",
    ".css": "text/css",
    ".svg": "image/svg+xml",
    ".map": "application/json",
  };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    if (url.pathname.startsWith("/api/")) {
      const body = api(url.pathname);
      res.writeHead(body === undefined ? 404 : 200, { "content-type": "application/json" });
      res.end(JSON.stringify(body ?? { error: { code: "not_found", message: "not in the bench" } }));
      return;
    }
    const file = path.join(distDir, path.normalize(url.pathname));
    const target = file.startsWith(distDir) && existsSync(file) && !file.endsWith(path.sep) ? file : null;
    const chosen = target && !url.pathname.endsWith("/") ? target : path.join(distDir, "index.html");
    res.writeHead(200, { "content-type": types[path.extname(chosen)] ?? "application/octet-stream" });
    res.end(readFileSync(chosen));
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

interface HookStats {
  layoutMs: number | null;
  syncMs: number | null;
  syncs: number;
  lastSyncAt: number | null;
}

async function hookStats(page: Page): Promise<HookStats> {
  const stats = await page.evaluate(() => window.__meshscopeGraph?.stats() ?? null);
  if (!stats) throw new Error("the graph page did not install its automation hook");
  return stats;
}

/** performance.now() of the end of the latest /api/graph response, in the page's clock. */
function lastGraphResponseEnd(page: Page): Promise<number> {
  return page.evaluate(() => {
    const entries = performance
      .getEntriesByType("resource")
      .filter((e): e is PerformanceResourceTiming => e instanceof PerformanceResourceTiming)
      .filter((e) => e.name.includes("/api/graph"));
    return entries[entries.length - 1]?.responseEnd ?? Number.NaN;
  });
}

/** Drags the canvas around while recording requestAnimationFrame intervals; returns the intervals (ms). */
async function panFrames(page: Page): Promise<number[]> {
  const box = await page.getByTestId("graph-canvas").boundingBox();
  if (!box) throw new Error("no canvas");
  // A string, not a function: tsx names inner functions with a helper (__name) that the page does not have.
  await page.evaluate(`(() => {
    const recorder = { intervals: [], recording: true };
    window.__benchFrames = recorder;
    let last = performance.now();
    function tick(now) {
      recorder.intervals.push(now - last);
      last = now;
      if (recorder.recording) requestAnimationFrame(tick);
    }
    requestAnimationFrame(tick);
  })()`);
  // Start on an empty corner (a drag on a node would move the node instead of panning).
  const x0 = box.x + 12;
  const y0 = box.y + 12;
  for (let round = 0; round < 4; round++) {
    await page.mouse.move(x0, y0);
    await page.mouse.down();
    await page.mouse.move(x0 + 300, y0 + 160, { steps: 40 });
    await page.mouse.move(x0, y0, { steps: 40 });
    await page.mouse.up();
  }
  return page.evaluate(() => {
    const recorder = window.__benchFrames;
    if (!recorder) return [];
    recorder.recording = false;
    return recorder.intervals.slice(1);
  });
}

/** Milestones of one first load of the graph page, ms after navigation start (NaN when a build lacks one). */
interface FirstLoad {
  firstShownAt: number;
  firstLayoutAt: number;
  responseEnd: number;
  canvasChunkEnd: number;
  workerScriptEnd: number;
  earlyLayoutSent: number;
  canvasCreated: number;
  layoutSent: number;
  layoutAnswered: number;
  elementsPlaced: number;
  fitted: number;
  layoutMs: number;
  firstFrameAt: number;
  longestTaskToFrame: number;
}

/** Opens the graph page and waits for its first frame; `record`: the --cpu-profile / --trace load. */
async function firstLoad(page: Page, browser: Browser, url: string, record: boolean): Promise<FirstLoad> {
  // Long tasks (> 50 ms on the main thread) tell where the first layout's time goes.
  await page.addInitScript(
    "window.__benchLongTasks = []; new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__benchLongTasks.push(e.duration); }).observe({ type: 'longtask', buffered: true });",
  );
  const profiler = record && args["cpu-profile"] ? await page.context().newCDPSession(page) : null;
  if (profiler) {
    await profiler.send("Profiler.enable");
    await profiler.send("Profiler.start");
  }
  if (record && args.trace) {
    await browser.startTracing(page, {
      path: args.trace,
      categories: [
        "devtools.timeline",
        "disabled-by-default-devtools.timeline",
        "v8",
        "v8.execute",
        "blink",
        "loading",
      ],
    });
  }
  // 10 s refresh: the shortest the shell offers; the bench waits for each one.
  await page.goto(url);
  await page.waitForFunction(() => window.__meshscopeGraph?.layoutDone() === true, null, { timeout: 120_000 });
  if (profiler && args["cpu-profile"]) {
    const { profile } = await profiler.send("Profiler.stop");
    await writeFile(args["cpu-profile"], JSON.stringify(profile));
    console.log(`CPU profile of the first load: ${args["cpu-profile"]}`);
  }
  if (record && args.trace) {
    await browser.stopTracing();
    console.log(`Chromium trace of the first load: ${args.trace}`);
  }
  const firstLayoutAt = await page.evaluate(() => window.__meshscopeGraph?.firstLayoutAt() ?? Number.NaN);
  const stats = await hookStats(page);
  const firstResponseEnd = await page.evaluate(() => {
    const e = performance.getEntriesByType("resource").find((x) => x.name.includes("/api/graph"));
    return e instanceof PerformanceResourceTiming ? e.responseEnd : Number.NaN;
  });
  // The canvas's code (the wrapper and cytoscape, one chunk or two), loaded alongside the data (useCanvasComponent.ts).
  const canvasChunkEnd = await page.evaluate(() => {
    const ends = performance
      .getEntriesByType("resource")
      .filter((x) => /\/(CytoscapeGraph|cytoscape[.\w]*)-[^/]*\.js$/.test(x.name))
      .map((x) => (x instanceof PerformanceResourceTiming ? x.responseEnd : Number.NaN));
    return ends.length > 0 ? Math.max(...ends) : Number.NaN;
  });
  // The layered-layout worker's script, started when the page mounts (features/graph/early-layout.ts).
  const workerScriptEnd = await page.evaluate(() => {
    const e = performance.getEntriesByType("resource").find((x) => /\/layered\.worker-[^/]*\.js$/.test(x.name));
    return e instanceof PerformanceResourceTiming ? e.responseEnd : Number.NaN;
  });
  // The graph page's `graph:<step>` marks (graph-controller.ts): where the time after the answer goes.
  const marks = await page.evaluate(() => {
    const first: Record<string, number> = {};
    for (const m of performance.getEntriesByType("mark")) if (!(m.name in first)) first[m.name] = m.startTime;
    return first;
  });
  // The first frame is drawn on the next animation frame: wait for it (a 'render' event of the canvas).
  await page
    .waitForFunction(
      () => {
        const hook = window.__meshscopeGraph;
        return hook?.firstFrameAt === undefined || hook.firstFrameAt() !== null;
      },
      null,
      { timeout: 30_000 },
    )
    .catch(() => undefined);
  const firstFrameAt = await page.evaluate(() => window.__meshscopeGraph?.firstFrameAt?.() ?? Number.NaN);
  const longTasksToFrame = await page.evaluate(() => window.__benchLongTasks ?? []);
  // What a person waits for: the laid-out graph on screen. A build without the frame hook counts the layout.
  const firstShownAt = Number.isNaN(firstFrameAt) ? firstLayoutAt : Math.max(firstLayoutAt, firstFrameAt);
  return {
    firstShownAt,
    firstLayoutAt,
    responseEnd: firstResponseEnd,
    canvasChunkEnd,
    workerScriptEnd,
    earlyLayoutSent: marks["graph:early-layout-sent"] ?? Number.NaN,
    canvasCreated: marks["graph:canvas-created"] ?? Number.NaN,
    layoutSent: marks["graph:layout-sent"] ?? Number.NaN,
    layoutAnswered: marks["graph:layout-answered"] ?? Number.NaN,
    elementsPlaced: marks["graph:elements-placed"] ?? Number.NaN,
    fitted: marks["graph:fitted"] ?? Number.NaN,
    layoutMs: stats.layoutMs ?? Number.NaN,
    firstFrameAt,
    longestTaskToFrame: Math.max(0, ...longTasksToFrame),
  };
}

async function main(): Promise<void> {
  if (!existsSync(path.join(distDir, "index.html"))) {
    console.error("apps/web/dist is missing: run `npm run build` first.");
    process.exit(1);
  }
  const graph = syntheticGraph(Number(args.nodes), Number(args.edges), Number(args.seed));
  const refreshes = Number(args.refreshes);
  const runs = Number(args.runs);
  const random = rng(Number(args.seed) + 1);
  // The live-events stream is left out (404): the page then refreshes on its timer, which the bench waits for.
  const server = await serveDist((pathname) =>
    pathname === "/api/graph" ? jitter(graph, random) : pathname === "/api/auth/me" ? ANONYMOUS_ME : undefined,
  );
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  const browser = await launchChromium();
  try {
    // Each load in a new page; the last page stays open for the refreshes and the panning.
    const loads: FirstLoad[] = [];
    let page: Page | undefined;
    for (let r = 0; r < runs; r++) {
      if (page) await page.context().close();
      page = await settledPage(browser);
      loads.push(await firstLoad(page, browser, `http://127.0.0.1:${port}/graph?refresh=10s`, r === 0));
    }
    if (!page) throw new Error("--runs must be at least 1");
    if (args.screenshot) await page.screenshot({ path: args.screenshot });
    const first = await hookStats(page);
    const col = (k: keyof FirstLoad) => loads.map((l) => l[k]);
    const firstShownAt = median(col("firstShownAt"));
    const markRow = (label: string, k: keyof FirstLoad): string[] => [label, spread(col(k)), "", ""];
    const refreshMs: number[] = [];
    const syncMs: number[] = [];
    for (let i = 0; i < refreshes; i++) {
      const before = (await hookStats(page)).syncs;
      await page.waitForFunction((n) => (window.__meshscopeGraph?.stats().syncs ?? 0) > n, before, {
        timeout: 30_000,
        polling: 50,
      });
      const stats = await hookStats(page);
      const responseEnd = await lastGraphResponseEnd(page);
      refreshMs.push((stats.lastSyncAt ?? Number.NaN) - responseEnd);
      syncMs.push(stats.syncMs ?? Number.NaN);
      if (stats.layoutMs !== first.layoutMs) console.warn("note: a refresh re-ran the layout");
    }
    const frames = await panFrames(page);
    const fps = 1000 / median(frames);

    console.log(
      `ui-graph: ${fmtInt(graph.nodes.length)} nodes, ${fmtInt(graph.edges.length)} edges, Chromium headless; ${runs} page load(s), medians (min–max)`,
    );
    console.log(
      table(
        ["measure", "value", "target", "ratio (target / value)"],
        [
          [
            "first interactive layout (ms)",
            spread(col("firstShownAt")),
            `≤ ${fmtInt(TARGET_LAYOUT_MS)}`,
            fmtFixed(TARGET_LAYOUT_MS / firstShownAt, 2),
          ],
          markRow("  layout applied on the canvas at (ms)", "firstLayoutAt"),
          markRow("  /api/graph answered at (ms)", "responseEnd"),
          markRow("  canvas code loaded at (ms)", "canvasChunkEnd"),
          markRow("  layout worker code loaded at (ms)", "workerScriptEnd"),
          markRow("  early layout sent to the worker at (ms)", "earlyLayoutSent"),
          markRow("  canvas created at (ms)", "canvasCreated"),
          markRow("  layout sent to the worker at (ms)", "layoutSent"),
          markRow("  layout answered at (ms)", "layoutAnswered"),
          markRow("  elements placed at (ms)", "elementsPlaced"),
          markRow("  fitted at (ms)", "fitted"),
          markRow("  layout in the worker (ms)", "layoutMs"),
          markRow("  first frame drawn at (ms)", "firstFrameAt"),
          markRow("  longest main-thread task up to that frame (ms)", "longestTaskToFrame"),
          [
            "refresh: answer → canvas, median (ms)",
            fmtInt(median(refreshMs)),
            `≤ ${TARGET_REFRESH_MS}`,
            fmtFixed(TARGET_REFRESH_MS / median(refreshMs), 2),
          ],
          ["refresh: in-place update, median (ms)", fmtInt(median(syncMs)), "", ""],
          ["pan: frame time median (ms)", fmtFixed(median(frames), 1), "", ""],
          ["pan: frame time p95 (ms)", fmtFixed(quantile(frames, 0.95), 1), "", ""],
          ["pan: fps (1000 / median frame)", fmtFixed(fps, 1), `≥ ${TARGET_FPS}`, fmtFixed(fps / TARGET_FPS, 2)],
        ],
      ),
    );
    console.log(`frames recorded while panning: ${frames.length}; refreshes measured: ${refreshMs.length}`);
  } finally {
    await browser.close();
    server.close();
  }
}

await main();
