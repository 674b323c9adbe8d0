import type { Attributes, SpanRecord } from "@meshscope/model";
import { setAttribute } from "@meshscope/model";
import { describe, expect, it } from "vitest";
import type { TraceReader } from "../store/trace-store.js";
import { hexId, makeSpan, useTempStores } from "../test-support/store-fixtures.js";
import { getTrace, getTraceJson, type TraceJson } from "./get-trace.js";

const T0 = 1_700_000_000_000_000; // µs
const { openStore } = useTempStores("get-trace.db");

const HOSTILE = [
  '"quoted" \\ back\\slash',
  "<img src=x onerror=alert(1)><script>window.__pwned=1</script>",
  "line\nbreak\ttab\r\u0000nul\u0007bell",
  "sep\x1e\x1f\x1besc",
  "ünïcødé → 漢字 🚀",
  "\u2028\u2029",
];

function hostileAttributes(i: number): Attributes {
  const text = HOSTILE[i % HOSTILE.length] as string;
  const attrs: Attributes = {
    [`key ${text}`]: text,
    int: i,
    double: i / 7,
    bool: i % 2 === 0,
    nothing: null,
    list: [text, i, [true]],
    map: { [text]: { nested: text } },
  };
  setAttribute(attrs, "__proto__", { polluted: text });
  return attrs;
}

/** A trace with every kind of content, several spans per start time and spans in no start order. */
function hostileTrace(traceId: string, count: number): SpanRecord[] {
  return Array.from({ length: count }, (_, i) => {
    const text = HOSTILE[i % HOSTILE.length] as string;
    return makeSpan({
      traceId,
      spanId: hexId(i + 1, 8),
      parentSpanId: i === 0 ? null : hexId(Math.floor(i / 3) + 1, 8),
      service: `svc ${text}`,
      namespace: i % 4 === 0 ? null : `ns-${i % 3}`,
      name: `op ${text}`,
      kind: (["server", "client", "internal", "producer", "consumer", "unspecified"] as const)[i % 6],
      // Reversed and in groups of five equal starts: the answer must sort them, stably.
      startUs: T0 + Math.floor((count - i) / 5) * 10,
      durationUs: 1 + i,
      status: i % 5 === 0 ? { code: "error", message: text } : { code: i % 2 ? "ok" : "unset" },
      attributes: hostileAttributes(i),
      resource: { "service.name": `svc ${text}`, host: text, pid: 1234 },
      scope: i % 3 === 0 ? null : { name: `lib ${text}`, ...(i % 2 ? { version: "1.0" } : {}) },
      events:
        i % 4 === 1 ? [{ timeUs: T0 + i, name: `event ${text}`, attributes: { why: text, n: i, deep: [[text]] } }] : [],
      links: i % 7 === 2 ? [{ traceId: hexId(9, 16), spanId: hexId(9, 8), attributes: { link: text } }] : [],
    });
  });
}

function joined(json: TraceJson): Buffer {
  return Buffer.concat([...json.chunks]);
}

describe("getTraceJson", () => {
  it("writes what JSON.stringify of getTrace's answer writes, for hostile strings and every attribute type", async () => {
    const store = openStore();
    const traceId = hexId(1, 16);
    const spans = hostileTrace(traceId, 60);
    // Three batches: the trace's rows lie in several segments.
    await store.writer.writeBatch(spans.slice(0, 25));
    await store.writer.writeBatch([makeSpan({ traceId: hexId(2, 16) }), ...spans.slice(25, 40)]);
    await store.writer.writeBatch(spans.slice(40));
    const json = getTraceJson(store.reader, traceId);
    if (json === null) throw new Error("the trace is stored");
    const text = joined(json).toString("utf8");
    const old = getTrace(store.reader, traceId);
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(old)));
    expect(text).toBe(JSON.stringify(old));
    expect(json.spanCount).toBe(60);
    expect(json.byteLength).toBe(Buffer.byteLength(text));
  });

  it("splits a big trace into chunks that join into the same answer", async () => {
    const store = openStore();
    const traceId = hexId(3, 16);
    // ~1,500 spans of ~1 KiB: several 256 KiB chunks, non-ASCII texts in most write batches.
    const spans = hostileTrace(traceId, 1500).map((s, i) => ({
      ...s,
      attributes: { ...s.attributes, pad: `${"x".repeat(600)}${i % 9 === 0 ? "é" : ""}` },
    }));
    await store.writer.writeBatch(spans);
    const json = getTraceJson(store.reader, traceId);
    if (json === null) throw new Error("the trace is stored");
    const chunks = [...json.chunks];
    expect(chunks.length).toBeGreaterThan(3);
    const text = Buffer.concat(chunks).toString("utf8");
    expect(text).toBe(JSON.stringify(getTrace(store.reader, traceId)));
    expect(json.byteLength).toBe(Buffer.byteLength(text));
  });

  it("answers null for a trace that is not stored", () => {
    const store = openStore();
    expect(getTraceJson(store.reader, hexId(99, 16))).toBeNull();
    expect(getTraceJson(store.reader, "not-hex")).toBeNull();
  });

  it("falls back to JSON.stringify for a reader without JSON parts", async () => {
    const store = openStore();
    const traceId = hexId(4, 16);
    await store.writer.writeBatch(hostileTrace(traceId, 5));
    const plain: TraceReader = {
      getTrace: (id) => store.reader.getTrace(id),
      searchTraces: (q) => store.reader.searchTraces(q),
      listServices: () => store.reader.listServices(),
      listOperations: (s) => store.reader.listOperations(s),
    };
    const json = getTraceJson(plain, traceId);
    if (json === null) throw new Error("the trace is stored");
    expect(joined(json).toString("utf8")).toBe(JSON.stringify(getTrace(store.reader, traceId)));
    expect(getTraceJson(plain, hexId(98, 16))).toBeNull();
  });
});
