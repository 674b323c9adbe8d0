/**
 * Trace-derived graph edges over a large store: the time of one `spanEdges` call (store/span-edges.ts) for a
 * 5-minute window.
 *
 *   cd bench && npx tsx --conditions=source span-edges.ts [--spans 1000000 (default)] [--runs 20] [--keep]
 *
 * Generates N spans as 5-span call chains (a root server span, then client → server hops across 20 services,
 * one service in 50 failing), spread evenly over 50 minutes, so a 5-minute window holds about N/10 spans; writes
 * them through the store's writer, then times the call over the last 5 minutes on its own read-only connection.
 * Prints wall-clock p50/max and the CPU time p50 (less noisy on a shared machine); nothing fails on timing.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import type { SpanRecord } from "@meshscope/model";
import { openSpanEdgeReader, openSqliteStore } from "@meshscope/server/store";

const { values: args } = parseArgs({
  options: {
    spans: { type: "string", default: "1000000" },
    runs: { type: "string", default: "20" },
    keep: { type: "boolean", default: false },
  },
});
const SPANS = Number(args.spans);
const RUNS = Number(args.runs);
const SERVICES = 20;
const SPAN_RANGE_US = 50 * 60 * 1_000_000;
const WINDOW_US = 5 * 60 * 1_000_000;
const T0 = 1_700_000_000_000_000;

const hex = (n: number, bytes: number): string => n.toString(16).padStart(bytes * 2, "0");

function span(traceNo: number, spanNo: number, parent: number | null, over: Partial<SpanRecord>): SpanRecord {
  return {
    traceId: hex(traceNo, 16),
    spanId: hex(spanNo, 8),
    parentSpanId: parent === null ? null : hex(parent, 8),
    service: "svc-0",
    namespace: "bench",
    name: "GET /",
    kind: "server",
    startUs: T0,
    durationUs: 1000,
    status: { code: "unset" },
    attributes: { "http.response.status_code": 200, "http.request.method": "GET" },
    resource: {},
    scope: null,
    events: [],
    links: [],
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
    ...over,
  };
}

/** root server (s0) → client (s0) → server (s1) → client (s1) → server (s2). */
function chain(i: number): SpanRecord[] {
  const start = T0 + Math.floor((i * 5 * SPAN_RANGE_US) / SPANS);
  const svc = (k: number) => `svc-${(i + k) % SERVICES}`;
  const base = i * 5;
  const failing = (i + 2) % 50 === 0;
  return [
    span(i, base + 1, null, { service: svc(0), startUs: start, durationUs: 30_000 }),
    span(i, base + 2, base + 1, { service: svc(0), kind: "client", startUs: start + 100 }),
    span(i, base + 3, base + 2, { service: svc(1), startUs: start + 200, durationUs: 1000 + (i % 997) * 20 }),
    span(i, base + 4, base + 3, { service: svc(1), kind: "client", startUs: start + 300 }),
    span(i, base + 5, base + 4, {
      service: svc(2),
      startUs: start + 400,
      durationUs: 500 + (i % 991) * 10,
      attributes: { "http.response.status_code": failing ? 503 : 200 },
    }),
  ];
}

const dir = mkdtempSync(join(tmpdir(), "meshscope-bench-span-edges-"));
try {
  const path = join(dir, "bench.db");
  const store = openSqliteStore({ path, retentionIntervalMs: 0, retentionUs: 1e15 });
  const genStart = performance.now();
  let batch: SpanRecord[] = [];
  for (let i = 0; i < SPANS / 5; i++) {
    batch.push(...chain(i));
    if (batch.length >= 10_000) {
      await store.writer.writeBatch(batch);
      batch = [];
    }
  }
  if (batch.length > 0) await store.writer.writeBatch(batch);
  console.log(`wrote ${SPANS} spans in ${((performance.now() - genStart) / 1000).toFixed(1)} s`);

  const reader = openSpanEdgeReader(path);
  const endUs = T0 + SPAN_RANGE_US;
  const times: number[] = [];
  const cpu: number[] = [];
  let edges = 0;
  let requests = 0;
  for (let r = 0; r < RUNS; r++) {
    const t = performance.now();
    const c = process.cpuUsage();
    const s = reader.spanEdges({ startUs: endUs - WINDOW_US, endUs });
    times.push(performance.now() - t);
    const used = process.cpuUsage(c);
    cpu.push((used.user + used.system) / 1000);
    edges = s.edges.length;
    requests = s.services.reduce((n, x) => n + x.red.requests, 0);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
  const p50 = median(times);
  const max = Math.max(...times);
  console.log(
    `spanEdges over a 5-minute window (${requests} server spans, ${edges} service pairs): ` +
      `wall p50 ${p50.toFixed(1)} ms, max ${max.toFixed(1)} ms; CPU p50 ${median(cpu).toFixed(1)} ms over ${RUNS} runs`,
  );
  reader.close();
  await store.close();
} finally {
  if (args.keep) console.log(`kept ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}
