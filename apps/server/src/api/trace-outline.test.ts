/**
 * The SQLite outline (built from the store's columns) against encodeTraceOutline over the full spans, on the
 * cases where a faster build could drift: spans stored out of start order, equal start times (then span id),
 * duplicate span ids (the first in start order is the parent), orphans, ids that are not 16 hex digits, status
 * messages, events, spans without namespace, and another trace's rows in the same batches.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { encodeTraceOutline, type SpanRecord } from "@meshscope/model";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSqliteStore, type SqliteStore } from "../store/sqlite-store.js";
import type { TraceReader } from "../store/trace-store.js";
import { getTrace } from "../traces/get-trace.js";
import { getTraceOutline } from "./trace-outline.js";

const BASE_US = Date.now() * 1000 - 60_000_000;
const HEX_TRACE = "0af7651916cd43dd8448eb211c80319c";
const ODD_TRACE = "1bf7651916cd43dd8448eb211c80319c";
const OTHER_TRACE = "2cf7651916cd43dd8448eb211c80319c";

function span(traceId: string, spanId: string, parentSpanId: string | null, offsetUs: number, i: number): SpanRecord {
  const svc = i % 5;
  return {
    traceId,
    spanId,
    parentSpanId,
    service: `svc-${svc}`,
    namespace: svc === 0 ? null : `ns-${svc % 2}`,
    name: `op-${i % 7}`,
    kind: (["server", "client", "internal", "producer", "consumer"] as const)[i % 5] ?? "server",
    startUs: BASE_US + offsetUs,
    durationUs: 1000 + i,
    status: i % 11 === 0 ? { code: "error", message: `failed ${i % 3}` } : { code: i % 2 === 0 ? "ok" : "unset" },
    attributes: { "http.status_code": 200, "user.id": `u-${i}` },
    resource: { "service.name": `svc-${svc}` },
    scope: null,
    events:
      i % 9 === 0
        ? [
            { timeUs: BASE_US + offsetUs + 5, name: "cache miss", attributes: { k: i } },
            { timeUs: BASE_US + offsetUs + 9, name: "retry", attributes: {} },
          ]
        : [],
    links: [],
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
  };
}

/** 300 spans in reverse start order, with ties, duplicates and orphans; ids made by `id`. */
function traceSpans(traceId: string, id: (n: number) => string): SpanRecord[] {
  const spans: SpanRecord[] = [];
  for (let i = 0; i < 300; i++) {
    const parent = i === 0 ? null : i % 50 === 7 ? id(99_999) : id(Math.floor(i / 3));
    // Every tenth span starts with its neighbour; span 40 and 140 share span 20's id (one of them earlier).
    const offset = (300 - i - (i % 10 === 1 ? 1 : 0)) * 100;
    spans.push(span(traceId, i === 40 || i === 140 ? id(20) : id(i), parent, offset, i));
  }
  return spans;
}

/** A TraceReader without the outline methods: getTraceOutline then encodes the full trace. */
function plainReader(reader: TraceReader): TraceReader {
  return {
    searchTraces: (q) => reader.searchTraces(q),
    getTrace: (id) => reader.getTrace(id),
    listServices: () => reader.listServices(),
    listOperations: (service, kind) => reader.listOperations(service, kind),
  };
}

let dir: string;
let store: SqliteStore;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "outline-"));
  store = openSqliteStore({ path: join(dir, "db.sqlite"), writerThread: "main", retentionIntervalMs: 0 });
  const hex = traceSpans(HEX_TRACE, (n) => n.toString(16).padStart(16, "0"));
  const odd = traceSpans(ODD_TRACE, (n) => (n % 4 === 0 ? `${n.toString(16).padStart(16, "0")}ff` : `s${n}`));
  const other = traceSpans(OTHER_TRACE, (n) => n.toString(16).padStart(16, "0"));
  // Interleaved batches, so each trace's rows are in several segments with the others' rows around them.
  for (let i = 0; i < 300; i += 100) {
    await store.writer.writeBatch([...hex.slice(i, i + 100), ...other.slice(i, i + 50), ...odd.slice(i, i + 100)]);
    await store.writer.writeBatch(other.slice(i + 50, i + 100));
  }
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("getTraceOutline over the SQLite store", () => {
  for (const [label, traceId] of [
    ["16-hex-digit span ids", HEX_TRACE],
    ["span ids of other forms", ODD_TRACE],
  ] as const) {
    it(`is encodeTraceOutline of the full trace, byte for byte, with ${label}`, () => {
      const outline = getTraceOutline(store.reader, traceId);
      const full = getTrace(store.reader, traceId);
      expect(full?.spans).toHaveLength(300);
      const expected = encodeTraceOutline(traceId, full?.spans ?? []);
      expect(JSON.stringify(outline)).toBe(JSON.stringify(expected));
      expect(getTraceOutline(plainReader(store.reader), traceId)).toEqual(expected);
      // The cases above are really in the data.
      expect(expected.missingParent.length).toBeGreaterThan(0);
      expect(expected.statusMessage.length).toBeGreaterThan(0);
      expect(expected.eventTime.length).toBeGreaterThan(0);
      expect(new Set(expected.spanId).size).toBeLessThan(300);
    });
  }

  it("is null for an unknown trace", () => {
    expect(getTraceOutline(store.reader, "ffffffffffffffffffffffffffffffff")).toBeNull();
  });
});
