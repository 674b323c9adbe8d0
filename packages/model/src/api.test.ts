import { describe, expect, it } from "vitest";
import { parseDurationUs, TraceResponse, TraceSearchQuery } from "./api.js";

describe("parseDurationUs", () => {
  it("reads Jaeger-style durations in every unit as microseconds", () => {
    expect(parseDurationUs("250ms")).toBe(250_000);
    expect(parseDurationUs("1.5s")).toBe(1_500_000);
    expect(parseDurationUs("2m")).toBe(120_000_000);
    expect(parseDurationUs("1h")).toBe(3_600_000_000);
    expect(parseDurationUs("10us")).toBe(10);
    expect(parseDurationUs("10µs")).toBe(10);
    expect(parseDurationUs("1500ns")).toBe(2);
  });

  it("takes a plain integer as microseconds", () => {
    expect(parseDurationUs("1200")).toBe(1200);
  });

  it("refuses text that is not a duration", () => {
    for (const bad of ["", "ms", "5 s", "-5s", "5d", "1e3ms", "abc"]) expect(parseDurationUs(bad)).toBeNull();
  });
});

describe("TraceSearchQuery", () => {
  it("turns query-string text into typed filters", () => {
    const q = TraceSearchQuery.parse({
      service: "reviews",
      minDuration: "100ms",
      limit: "20",
      start: "1700000000000000",
    });
    expect(q).toEqual({ service: "reviews", minDuration: 100_000, limit: 20, start: 1_700_000_000_000_000 });
  });

  it("names the field that is wrong", () => {
    const r = TraceSearchQuery.safeParse({ minDuration: "fast", limit: "0" });
    expect(r.success).toBe(false);
    const paths = r.error?.issues.map((i) => i.path.join(".")) ?? [];
    expect(paths).toContain("minDuration");
    expect(paths).toContain("limit");
  });
});

describe("TraceResponse", () => {
  const span = (attributes: unknown) => ({
    spanId: "0102030405060708",
    parentSpanId: null,
    service: "s",
    namespace: null,
    name: "n",
    kind: "server",
    start: 1,
    duration: 1,
    status: { code: "ok" },
    attributes,
    resource: {},
    scope: null,
    events: [],
    links: [],
  });

  it("keeps an attribute whose key is __proto__ as data", () => {
    const body = JSON.parse('{"traceId":"t","spans":[]}');
    body.spans.push(span(JSON.parse('{"__proto__":"p","n":[1,{"k":true}]}')));
    const parsed = TraceResponse.parse(body);
    const attrs = parsed.spans[0]?.attributes;
    expect(Object.getOwnPropertyDescriptor(attrs, "__proto__")?.value).toBe("p");
    expect(Object.getPrototypeOf(attrs)).toBe(Object.prototype);
    expect(attrs?.n).toEqual([1, { k: true }]);
  });

  it("refuses attribute values that are not JSON attribute values", () => {
    expect(TraceResponse.safeParse({ traceId: "t", spans: [span({ a: undefined })] }).success).toBe(false);
    expect(TraceResponse.safeParse({ traceId: "t", spans: [span("text")] }).success).toBe(false);
  });
});
