import type { SpanRecord } from "@meshscope/model";
import { describe, expect, it } from "vitest";
import { jaegerTraceId, toJaegerTrace, toKeyValue } from "./to-jaeger.js";

const TRACE = "0af7651916cd43dd8448eb211c80319c";

function span(over: Partial<SpanRecord>): SpanRecord {
  return {
    traceId: TRACE,
    spanId: "b7ad6b7169203331",
    parentSpanId: null,
    service: "api",
    namespace: null,
    name: "GET /",
    kind: "unspecified",
    startUs: 1_700_000_000_000_000,
    durationUs: 1500,
    status: { code: "unset" },
    attributes: {},
    resource: { "service.name": "api" },
    scope: null,
    events: [],
    links: [],
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
    ...over,
  };
}

describe("toKeyValue", () => {
  it("types values as Jaeger does: integers int64, fractions float64, arrays and maps as JSON text", () => {
    expect(toKeyValue("a", 3)).toEqual({ key: "a", type: "int64", value: 3 });
    expect(toKeyValue("a", 0.5)).toEqual({ key: "a", type: "float64", value: 0.5 });
    expect(toKeyValue("a", false)).toEqual({ key: "a", type: "bool", value: false });
    expect(toKeyValue("a", [1, "x"])).toEqual({ key: "a", type: "string", value: '[1,"x"]' });
    expect(toKeyValue("a", { k: true })).toEqual({ key: "a", type: "string", value: '{"k":true}' });
    expect(toKeyValue("a", null)).toEqual({ key: "a", type: "string", value: "" });
  });
});

describe("toJaegerTrace", () => {
  it("shares one process between spans of one resource and numbers processes in order of appearance", () => {
    const trace = toJaegerTrace(TRACE, [
      span({ spanId: "0000000000000001" }),
      span({ spanId: "0000000000000002", service: "db", resource: { "service.name": "db", "host.name": "h" } }),
      span({ spanId: "0000000000000003", parentSpanId: "0000000000000001" }),
    ]);
    expect(trace.spans.map((s) => s.processID)).toEqual(["p1", "p2", "p1"]);
    expect(trace.processes).toEqual({
      p1: { serviceName: "api", tags: [] },
      p2: { serviceName: "db", tags: [{ key: "host.name", type: "string", value: "h" }] },
    });
  });

  it("leaves span.kind and status tags out for an unspecified kind and an unset status", () => {
    const [only] = toJaegerTrace(TRACE, [span({})]).spans;
    expect(only?.tags).toEqual([]);
    expect(only?.references).toEqual([]);
    expect(only?.logs).toEqual([]);
  });

  it("writes OK status as otel.status_code and an unnamed event without an event field", () => {
    const [only] = toJaegerTrace(TRACE, [
      span({ status: { code: "ok" }, events: [{ timeUs: 5, name: "", attributes: { n: 1 } }] }),
    ]).spans;
    expect(only?.tags).toEqual([{ key: "otel.status_code", type: "string", value: "OK" }]);
    expect(only?.logs).toEqual([{ timestamp: 5, fields: [{ key: "n", type: "int64", value: 1 }] }]);
  });

  it("warns on a span whose parent is not in the trace, as Jaeger's adjuster does", () => {
    const [orphan] = toJaegerTrace(TRACE, [span({ parentSpanId: "00000000000000ff" })]).spans;
    expect(orphan?.warnings).toEqual(["invalid parent span IDs=00000000000000ff; skipping clock skew adjustment"]);
  });

  it("prints a trace id with a zero high half as 16 digits", () => {
    expect(jaegerTraceId(`${"0".repeat(16)}463ac35c9f6413ad`)).toBe("463ac35c9f6413ad");
    expect(jaegerTraceId(TRACE)).toBe(TRACE);
  });
});
