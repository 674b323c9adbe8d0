/**
 * Search and trace-by-id latency over a large store.
 *
 *   cd bench && npx tsx --conditions=source search.ts [--spans 10000000] [--db path] [--keep] [--queries 200]
 *
 * Generates N spans (about 50 services, 10-span traces, 10 attributes per span, spread over the last hour),
 * writes them through the raw inserter (the store's own statements and transaction shape, no queue), then
 * measures, through the store's reader on its own read-only connection:
 *  - trace by id: p50/p99 over 1,000 random stored trace ids;
 *  - search by service + attribute + min duration over the last hour (limit 20): p50/p95 over 200 queries,
 *    plus the worst case where no span matches (the whole service/hour range is walked).
 * Prints the figures and the database size. Timings are wall clock on this machine; nothing fails on them.
 */
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import type { Attributes, SpanRecord } from "@meshscope/model";
import { encodeSpanRows, openRawInserter, openSqliteStore, type TraceQuery } from "@meshscope/server/store";

const { values: args } = parseArgs({
  options: {
    spans: { type: "string", default: "1000000" },
    db: { type: "string" },
    keep: { type: "boolean", default: false },
    queries: { type: "string", default: "200" },
    seed: { type: "string", default: "42" },
  },
});

const SPANS = Number(args.spans);
const QUERIES = Number(args.queries);
const SPANS_PER_TRACE = 10;
const SERVICES = 50;
const PODS_PER_SERVICE = 3;
const OPS_PER_SERVICE = 8;
const BATCH_SPANS = 10_000;
const HOUR_US = 3_600_000_000;

// Deterministic PRNG (mulberry32) so runs are comparable.
let seed = Number(args.seed) >>> 0;
function random(): number {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

/** Span duration in µs: log-normal around 20 ms (σ = 1), so ~5% of spans exceed 100 ms. */
function durationUs(): number {
  const u = 1 - random();
  const v = random();
  const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  return Math.max(50, Math.round(20_000 * Math.exp(z)));
}

function statusCode(): number {
  const r = random();
  return r < 0.05 ? 500 : r < 0.08 ? 404 : r < 0.1 ? 201 : 200;
}

const services = Array.from({ length: SERVICES }, (_, i) => `svc-${String(i).padStart(2, "0")}`);
const namespaces = ["shop", "payments", "identity", "catalog", "edge"];
const resources: Attributes[][] = services.map((service, s) =>
  Array.from({ length: PODS_PER_SERVICE }, (_, p) => ({
    "service.name": service,
    "service.version": `v${(p % 2) + 1}`,
    "k8s.namespace.name": namespaces[s % namespaces.length] ?? "default",
    "k8s.pod.name": `${service}-7d9f8c-${p}`,
    "host.name": `node-${(s + p) % 7}`,
    "telemetry.sdk.language": "nodejs",
  })),
);
const operations = services.map((service) =>
  Array.from({ length: OPS_PER_SERVICE }, (_, o) => `${pick(["GET", "POST", "PUT"])} /${service}/api/${o}`),
);

function traceIdOf(n: number): string {
  return createHash("md5").update(`trace-${n}`).digest("hex");
}

function spanIdOf(trace: number, i: number): string {
  return createHash("md5").update(`span-${trace}-${i}`).digest("hex").slice(0, 16);
}

function makeTrace(n: number, rootStartUs: number): SpanRecord[] {
  const traceId = traceIdOf(n);
  const out: SpanRecord[] = [];
  for (let i = 0; i < SPANS_PER_TRACE; i++) {
    const s = Math.floor(random() * SERVICES);
    const service = services[s] ?? "svc-00";
    const resource = resources[s]?.[Math.floor(random() * PODS_PER_SERVICE)] ?? {};
    const code = statusCode();
    const method = pick(["GET", "GET", "GET", "POST", "PUT", "DELETE"]);
    out.push({
      traceId,
      spanId: spanIdOf(n, i),
      parentSpanId: i === 0 ? null : spanIdOf(n, Math.floor(random() * i)),
      service,
      namespace: typeof resource["k8s.namespace.name"] === "string" ? resource["k8s.namespace.name"] : null,
      name: pick(operations[s] ?? ["op"]),
      kind: i === 0 ? "server" : pick(["server", "client", "internal"] as const),
      startUs: rootStartUs + i * 1_000,
      durationUs: durationUs(),
      status: code >= 500 ? { code: "error", message: "upstream failure" } : { code: "unset" },
      attributes: {
        "http.method": method,
        "http.status_code": code,
        "http.url": `http://${service}.svc.cluster.local/api/items/${Math.floor(random() * 10_000)}`,
        "http.user_agent": "Mozilla/5.0 (X11; Linux x86_64) meshscope-bench/1.0",
        "net.peer.name": pick(services),
        "user.id": Math.floor(random() * 100_000),
        component: "proxy",
        upstream_cluster: `outbound|9080||${pick(services)}.default.svc.cluster.local`,
        "guid:x-request-id": createHash("md5").update(`${n}-${i}`).digest("hex").slice(0, 32),
        response_flags: code >= 500 ? "UF" : "-",
      },
      resource,
      scope: { name: "@opentelemetry/instrumentation-http", version: "0.57.0" },
      events: [],
      links: [],
      droppedAttributesCount: 0,
      droppedEventsCount: 0,
      droppedLinksCount: 0,
    });
  }
  return out;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

function summarise(samples: number[]): { p50: number; p95: number; p99: number; max: number } {
  const s = [...samples].sort((a, b) => a - b);
  return { p50: percentile(s, 50), p95: percentile(s, 95), p99: percentile(s, 99), max: s[s.length - 1] ?? 0 };
}

const fmt = (ms: number) => `${ms.toFixed(2)} ms`;

async function main(): Promise<void> {
  const dir = args.db === undefined ? mkdtempSync(join(tmpdir(), "meshscope-bench-search-")) : undefined;
  const path = args.db ?? join(dir ?? tmpdir(), "search.db");
  const traces = Math.floor(SPANS / SPANS_PER_TRACE);
  const nowUs = Date.now() * 1000;
  const firstUs = nowUs - HOUR_US + 60_000_000; // leave a minute so every trace is inside the last hour

  console.log(`generating ${traces * SPANS_PER_TRACE} spans (${traces} traces, ${SERVICES} services) into ${path}`);
  const inserter = openRawInserter(path);
  const started = performance.now();
  let insertMs = 0;
  let batch: SpanRecord[] = [];
  for (let t = 0; t < traces; t++) {
    batch.push(...makeTrace(t, firstUs + Math.floor((t / traces) * (HOUR_US - 120_000_000))));
    if (batch.length >= BATCH_SPANS || t === traces - 1) {
      const encoded = encodeSpanRows(batch);
      const t0 = performance.now();
      inserter.insert(encoded);
      insertMs += performance.now() - t0;
      batch = [];
      if ((t + 1) % 100_000 === 0 || t === traces - 1) {
        const done = (t + 1) * SPANS_PER_TRACE;
        const secs = (performance.now() - started) / 1000;
        console.log(
          `  ${done.toLocaleString("en")} spans, ${secs.toFixed(0)} s, insert ${Math.round(done / (insertMs / 1000)).toLocaleString("en")} spans/s`,
        );
      }
    }
  }
  inserter.close();

  const store = openSqliteStore({ path, retentionUs: 0, retentionIntervalMs: 0, writerThread: "main" });
  const { reader } = store;

  // Warm-up: the first statements compile and the first pages come from the OS cache.
  for (let i = 0; i < 50; i++) reader.getTrace(traceIdOf(Math.floor(random() * traces)));

  const byId: number[] = [];
  let found = 0;
  for (let i = 0; i < 1_000; i++) {
    const id = traceIdOf(Math.floor(random() * traces));
    const t0 = performance.now();
    const spans = reader.getTrace(id);
    byId.push(performance.now() - t0);
    if (spans.length === SPANS_PER_TRACE) found++;
  }

  const lastHour = { startUs: nowUs - HOUR_US, endUs: nowUs, limit: 20 };
  const tags: Array<Record<string, string>> = [
    { "http.status_code": "500" },
    { "http.method": "POST" },
    { "http.status_code": "404" },
    { response_flags: "UF" },
    { "k8s.pod.name": "" }, // replaced per query by one of the service's pods (a resource attribute)
  ];
  const searches: number[] = [];
  let results = 0;
  for (let i = 0; i < QUERIES; i++) {
    const s = Math.floor(random() * SERVICES);
    let tag = pick(tags);
    if ("k8s.pod.name" in tag) tag = { "k8s.pod.name": `${services[s]}-7d9f8c-${Math.floor(random() * 3)}` };
    const q: TraceQuery = {
      ...lastHour,
      service: services[s],
      tags: tag,
      minDurationUs: pick([50_000, 100_000, 200_000]),
    };
    const t0 = performance.now();
    results += reader.searchTraces(q).length;
    searches.push(performance.now() - t0);
  }

  const noMatch: number[] = [];
  for (let i = 0; i < 20; i++) {
    const q: TraceQuery = {
      ...lastHour,
      service: pick(services),
      tags: { "http.status_code": "418" },
      minDurationUs: 50_000,
    };
    const t0 = performance.now();
    reader.searchTraces(q);
    noMatch.push(performance.now() - t0);
  }

  const id = summarise(byId);
  const search = summarise(searches);
  const worst = summarise(noMatch);
  const stats = store.stats();
  await store.close();
  const fileBytes = statSync(path).size;

  console.log("");
  console.log(`spans stored:            ${(traces * SPANS_PER_TRACE).toLocaleString("en")}`);
  console.log(
    `raw insert rate:         ${Math.round((traces * SPANS_PER_TRACE) / (insertMs / 1000)).toLocaleString("en")} spans/s`,
  );
  console.log(
    `database:                ${(fileBytes / 2 ** 20).toFixed(0)} MiB file, ${(stats.dbBytes / 2 ** 20).toFixed(0)} MiB in use`,
  );
  console.log(
    `trace by id (1000):      p50 ${fmt(id.p50)}  p99 ${fmt(id.p99)}  max ${fmt(id.max)}  (${found} complete)`,
  );
  console.log(
    `search svc+attr+minDur:  p50 ${fmt(search.p50)}  p95 ${fmt(search.p95)}  max ${fmt(search.max)}  (${QUERIES} queries, ${(results / QUERIES).toFixed(1)} traces/query)`,
  );
  console.log(
    `search, nothing matches: p50 ${fmt(worst.p50)}  p95 ${fmt(worst.p95)}  max ${fmt(worst.max)}  (walks the whole service-hour)`,
  );
  console.log(`targets: by id p99 <= 5 ms, search p95 <= 50 ms`);

  if (dir !== undefined && !args.keep) rmSync(dir, { recursive: true, force: true });
  else console.log(`kept ${path}`);
}

await main();
