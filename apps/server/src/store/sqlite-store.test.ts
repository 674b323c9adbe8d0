import type { SpanRecord } from "@meshscope/model";
import Database from "better-sqlite3";
import { beforeEach, describe, expect, it } from "vitest";
import { hexId, makeSpan, useTempStores } from "../test-support/store-fixtures.js";
import { MIGRATIONS } from "./schema.js";
import type { SqliteStore } from "./sqlite-store.js";
import type { TraceQuery } from "./trace-store.js";

const T0 = 1_700_000_000_000_000; // µs
const HOUR = 3_600_000_000;

const { openStore, closeStore, file } = useTempStores("traces.db");

function query(q: Partial<TraceQuery>): TraceQuery {
  return { startUs: T0 - HOUR, endUs: T0 + HOUR, limit: 20, ...q };
}

function ids(store: SqliteStore, q: Partial<TraceQuery>): string[] {
  return store.reader.searchTraces(query(q)).map((t) => t.traceId);
}

const fullSpan: SpanRecord = makeSpan({
  traceId: hexId(1, 16),
  spanId: hexId(11, 8),
  parentSpanId: hexId(10, 8),
  service: "checkout",
  namespace: "shop",
  name: "POST /cart",
  kind: "client",
  startUs: T0 + 123,
  durationUs: 4567,
  status: { code: "error", message: "boom" },
  attributes: { s: "x", i: 500, d: 2.5, b: true, n: null, arr: ["a", 1, false], map: { k: { v: 1 } } },
  resource: { "service.name": "checkout", "k8s.namespace.name": "shop", "host.name": "node-1" },
  scope: { name: "io.opentelemetry.http", version: "1.2.3" },
  events: [{ timeUs: T0 + 200, name: "exception", attributes: { "exception.message": "boom", count: 2 } }],
  links: [{ traceId: hexId(2, 16), spanId: hexId(22, 8), attributes: { why: "retry" } }],
  droppedAttributesCount: 1,
  droppedEventsCount: 2,
  droppedLinksCount: 3,
});

describe.each(["worker", "main"] as const)("the SQLite trace store with a %s-thread writer", (writerThread) => {
  it("returns every SpanRecord field exactly as written", async () => {
    const store = openStore({ writerThread });
    const minimal = makeSpan({ traceId: fullSpan.traceId, spanId: hexId(12, 8), startUs: T0 + 500 });
    await store.writer.writeBatch([minimal, fullSpan]);
    expect(store.reader.getTrace(fullSpan.traceId)).toEqual([fullSpan, minimal]);
  });

  it("keeps the data after close and reopen", async () => {
    const first = openStore({ writerThread });
    await first.writer.writeBatch([fullSpan]);
    await closeStore(first);
    const again = openStore({ writerThread });
    expect(again.reader.getTrace(fullSpan.traceId)).toEqual([fullSpan]);
  });
});

describe("the SQLite trace store", () => {
  it("answers [] for an unknown or malformed trace id", () => {
    const store = openStore();
    expect(store.reader.getTrace(hexId(99, 16))).toEqual([]);
    expect(store.reader.getTrace("not-hex")).toEqual([]);
  });

  it("assembles a trace written across several batches", async () => {
    const store = openStore();
    const traceId = hexId(5, 16);
    const spans = [0, 1, 2, 3].map((i) => makeSpan({ traceId, spanId: hexId(i + 1, 8), startUs: T0 + i }));
    await store.writer.writeBatch([spans[2] as SpanRecord, makeSpan({ traceId: hexId(6, 16) })]);
    await store.writer.writeBatch([spans[0] as SpanRecord, spans[3] as SpanRecord]);
    await store.writer.writeBatch([spans[1] as SpanRecord]);
    expect(store.reader.getTrace(traceId).map((s) => s.spanId)).toEqual(spans.map((s) => s.spanId));
  });

  it("rejects a batch with a trace id that is not hex and stores none of it", async () => {
    const store = openStore();
    const good = makeSpan({ traceId: hexId(1, 16) });
    await expect(store.writer.writeBatch([good, makeSpan({ traceId: "xyz" })])).rejects.toThrow(/hex/);
    expect(store.reader.getTrace(good.traceId)).toEqual([]);
  });

  it("applies migrations once and reopens an existing file without re-running them", async () => {
    const first = openStore();
    await first.writer.writeBatch([fullSpan]);
    await closeStore(first);
    openStore();
    const db = new Database(file("traces.db"), { readonly: true });
    const rows = db.prepare("SELECT version FROM schema_migrations ORDER BY version").pluck().all();
    db.close();
    expect(rows).toEqual(MIGRATIONS.map((m) => m.version));
  });

  it("uses WAL with synchronous=NORMAL", () => {
    openStore();
    const db = new Database(file("traces.db"), { readonly: true });
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    db.close();
  });
});

describe("trace search (Jaeger semantics)", () => {
  let store: SqliteStore;

  // Trace 1: frontend GET / (root, 50 ms) → cart POST /cart (client, 20 ms, http.status_code=500 int, error)
  // Trace 2: frontend GET / (root, 5 ms, http.method=GET), resource has cloud.region=eu
  // Trace 3: cart span A with tag flag=yes (1 ms) and cart span B without tag (90 ms)
  beforeEach(async () => {
    store = openStore();
    await store.writer.writeBatch([
      makeSpan({ traceId: hexId(1, 16), spanId: hexId(1, 8), startUs: T0, durationUs: 50_000 }),
      makeSpan({
        traceId: hexId(1, 16),
        spanId: hexId(2, 8),
        parentSpanId: hexId(1, 8),
        service: "cart",
        name: "POST /cart",
        kind: "client",
        startUs: T0 + 1000,
        durationUs: 20_000,
        status: { code: "error" },
        attributes: { "http.status_code": 500, retry: false },
        resource: { "service.name": "cart" },
      }),
      makeSpan({
        traceId: hexId(2, 16),
        spanId: hexId(3, 8),
        startUs: T0 + 10_000,
        durationUs: 5_000,
        attributes: { "http.method": "GET" },
        resource: { "service.name": "frontend", "cloud.region": "eu" },
      }),
      makeSpan({
        traceId: hexId(3, 16),
        spanId: hexId(4, 8),
        service: "cart",
        name: "A",
        startUs: T0 + 20_000,
        durationUs: 1_000,
        attributes: { flag: "yes" },
      }),
      makeSpan({
        traceId: hexId(3, 16),
        spanId: hexId(5, 8),
        parentSpanId: hexId(4, 8),
        service: "cart",
        name: "B",
        startUs: T0 + 21_000,
        durationUs: 90_000,
      }),
    ]);
  });

  it("finds traces by service, most recent first", () => {
    expect(ids(store, { service: "frontend" })).toEqual([hexId(2, 16), hexId(1, 16)]);
    expect(ids(store, { service: "cart" })).toEqual([hexId(3, 16), hexId(1, 16)]);
    expect(ids(store, { service: "nobody" })).toEqual([]);
  });

  it("filters by operation within the service", () => {
    expect(ids(store, { service: "cart", operation: "POST /cart" })).toEqual([hexId(1, 16)]);
    expect(ids(store, { service: "frontend", operation: "POST /cart" })).toEqual([]);
  });

  it("matches a tag against span attributes by the string form of int and bool values", () => {
    expect(ids(store, { service: "cart", tags: { "http.status_code": "500" } })).toEqual([hexId(1, 16)]);
    expect(ids(store, { service: "cart", tags: { retry: "false" } })).toEqual([hexId(1, 16)]);
    expect(ids(store, { service: "cart", tags: { "http.status_code": "200" } })).toEqual([]);
  });

  it("matches a tag against resource attributes", () => {
    expect(ids(store, { service: "frontend", tags: { "cloud.region": "eu" } })).toEqual([hexId(2, 16)]);
    expect(ids(store, { service: "frontend", tags: { "resource.cloud.region": "eu" } })).toEqual([hexId(2, 16)]);
    expect(ids(store, { service: "frontend", tags: { "resource.http.method": "GET" } })).toEqual([]);
  });

  it("requires every tag to match", () => {
    expect(ids(store, { service: "frontend", tags: { "http.method": "GET", "cloud.region": "eu" } })).toEqual([
      hexId(2, 16),
    ]);
    expect(ids(store, { service: "frontend", tags: { "http.method": "GET", "cloud.region": "us" } })).toEqual([]);
  });

  it("treats error=true as a span with error status, as Jaeger does", () => {
    expect(ids(store, { service: "cart", tags: { error: "true" } })).toEqual([hexId(1, 16)]);
    expect(ids(store, { service: "cart", tags: { error: "false" } })).toEqual([hexId(3, 16)]);
  });

  it("filters by span kind", () => {
    expect(ids(store, { service: "cart", tags: { "span.kind": "client" } })).toEqual([hexId(1, 16)]);
  });

  it("excludes traces outside the min/max duration of a span", () => {
    expect(ids(store, { service: "frontend", minDurationUs: 10_000 })).toEqual([hexId(1, 16)]);
    expect(ids(store, { service: "frontend", maxDurationUs: 10_000 })).toEqual([hexId(2, 16)]);
    expect(ids(store, { service: "frontend", minDurationUs: 60_000 })).toEqual([]);
  });

  it("requires one span to satisfy all filters: tag on one span and duration on another does not match", () => {
    expect(ids(store, { service: "cart", tags: { flag: "yes" } })).toEqual([hexId(3, 16)]);
    expect(ids(store, { service: "cart", minDurationUs: 50_000 })).toEqual([hexId(3, 16)]);
    expect(ids(store, { service: "cart", tags: { flag: "yes" }, minDurationUs: 50_000 })).toEqual([]);
  });

  it("only considers spans that start within the time range", () => {
    expect(ids(store, { service: "frontend", startUs: T0 + 5_000 })).toEqual([hexId(2, 16)]);
    expect(ids(store, { service: "frontend", endUs: T0 + 5_000 })).toEqual([hexId(1, 16)]);
  });

  it("returns at most limit traces, the most recent", () => {
    expect(ids(store, { service: "cart", limit: 1 })).toEqual([hexId(3, 16)]);
  });

  it("searches every service when none is given", () => {
    expect(ids(store, { tags: { flag: "yes" } })).toEqual([hexId(3, 16)]);
    expect(ids(store, {})).toEqual([hexId(3, 16), hexId(2, 16), hexId(1, 16)]);
  });

  it("summarises each result trace", () => {
    const [summary] = store.reader.searchTraces(query({ service: "cart", operation: "POST /cart" }));
    expect(summary).toEqual({
      traceId: hexId(1, 16),
      rootService: "frontend",
      rootName: "GET /",
      start: T0,
      duration: 50_000,
      spanCount: 2,
      errorCount: 1,
      services: [
        { name: "cart", spanCount: 1 },
        { name: "frontend", spanCount: 1 },
      ],
    });
  });

  it("lists services with namespaces and operations with kinds", () => {
    expect(store.reader.listServices()).toEqual([
      { name: "cart", namespace: "shop" },
      { name: "frontend", namespace: "shop" },
    ]);
    expect(store.reader.listOperations("cart")).toEqual([
      { name: "A", spanKind: "server" },
      { name: "B", spanKind: "server" },
      { name: "POST /cart", spanKind: "client" },
    ]);
    expect(store.reader.listOperations("cart", "client")).toEqual([{ name: "POST /cart", spanKind: "client" }]);
  });
});

describe("trace summaries across batches", () => {
  it("prefers the span without parent as root even when it arrives later, and sums counts", async () => {
    const store = openStore();
    const traceId = hexId(7, 16);
    await store.writer.writeBatch([
      makeSpan({ traceId, spanId: hexId(2, 8), parentSpanId: hexId(1, 8), service: "db", name: "query", startUs: T0 }),
    ]);
    await store.writer.writeBatch([
      makeSpan({ traceId, spanId: hexId(1, 8), name: "GET /", startUs: T0 + 10, durationUs: 100 }),
      makeSpan({ traceId, spanId: hexId(3, 8), parentSpanId: hexId(1, 8), service: "db", status: { code: "error" } }),
    ]);
    const [summary] = store.reader.searchTraces(query({ service: "db" }));
    expect(summary?.rootService).toBe("frontend");
    expect(summary?.rootName).toBe("GET /");
    expect(summary?.spanCount).toBe(3);
    expect(summary?.errorCount).toBe(1);
    expect(summary?.services).toEqual([
      { name: "db", spanCount: 2 },
      { name: "frontend", spanCount: 1 },
    ]);
  });

  it("uses the earliest span as root when every span has a parent", async () => {
    const store = openStore();
    const traceId = hexId(8, 16);
    await store.writer.writeBatch([
      makeSpan({ traceId, spanId: hexId(2, 8), parentSpanId: hexId(9, 8), name: "late", startUs: T0 + 5 }),
      makeSpan({ traceId, spanId: hexId(3, 8), parentSpanId: hexId(9, 8), name: "early", startUs: T0 + 1 }),
    ]);
    expect(store.reader.searchTraces(query({}))[0]?.rootName).toBe("early");
  });
});

describe("retention", () => {
  it("deletes traces whose spans are older than the retention period", async () => {
    const store = openStore({ retentionUs: HOUR });
    await store.writer.writeBatch([makeSpan({ traceId: hexId(1, 16), startUs: T0 - 3 * HOUR })]);
    await store.writer.writeBatch([makeSpan({ traceId: hexId(2, 16), startUs: T0 })]);
    expect(store.runRetention(T0 + HOUR / 2)).toEqual({ deletedTraces: 1, deletedSpans: 1, deletedMetricPoints: 0 });
    expect(store.reader.getTrace(hexId(1, 16))).toEqual([]);
    expect(store.reader.getTrace(hexId(2, 16))).toHaveLength(1);
    expect(store.runRetention(T0 + HOUR / 2)).toEqual({ deletedTraces: 0, deletedSpans: 0, deletedMetricPoints: 0 });
  });

  it("deletes the oldest data, in chunks, until the database is under its size limit", async () => {
    const store = openStore({ retentionUs: 0 });
    const big = "x".repeat(2000);
    for (let b = 0; b < 20; b++) {
      const spans = Array.from({ length: 500 }, (_, i) =>
        makeSpan({ traceId: hexId(b * 1000 + i + 1, 16), startUs: T0 + b, attributes: { big } }),
      );
      await store.writer.writeBatch(spans);
    }
    const before = store.stats().dbBytes;
    const limit = Math.floor(before / 2);
    const store2 = openStore({ retentionUs: 0, maxDbBytes: limit });
    const { deletedTraces } = store2.runRetention(T0);
    expect(deletedTraces).toBeGreaterThan(0);
    expect(store2.stats().dbBytes).toBeLessThanOrEqual(limit);
    // Oldest first: the first batch is gone, the last one is intact.
    expect(store2.reader.getTrace(hexId(1, 16))).toEqual([]);
    expect(store2.reader.getTrace(hexId(19 * 1000 + 1, 16))).toHaveLength(1);
  });

  it("runs automatically on the writer thread", async () => {
    const deleted: number[] = [];
    const store = openStore({
      writerThread: "worker",
      retentionUs: HOUR,
      retentionIntervalMs: 20,
      onRetention: (r) => deleted.push(r.deletedTraces),
    });
    await store.writer.writeBatch([makeSpan({ traceId: hexId(1, 16), startUs: Date.now() * 1000 - 2 * HOUR })]);
    await expect.poll(() => deleted.reduce((a, b) => a + b, 0), { timeout: 5000 }).toBe(1);
    expect(store.reader.getTrace(hexId(1, 16))).toEqual([]);
  });
});
