import { describe, expect, it } from "vitest";
import { findInTrace, parseFindQuery } from "./find-in-trace";
import { span } from "./test-spans.test-support";

const spans = [
  span("aaaa", null, 0, 10, { service: "frontend", name: "GET /checkout", attributes: { "http.status_code": 200 } }),
  span("bbbb", "aaaa", 1, 5, {
    service: "payments",
    name: "charge",
    attributes: { "http.status_code": 500, retry: true },
  }),
  span("cccc", "aaaa", 2, 5, {
    service: "db",
    name: "SELECT",
    events: [{ time: 3, name: "cache miss", attributes: {} }],
  }),
];
const found = (text: string) => Array.from(findInTrace(spans, text), (i) => spans[i]?.spanId);

describe("find in trace", () => {
  it("matches service and span names case-insensitively", () => {
    expect(found("PAYMENTS")).toEqual(["bbbb"]);
    expect(found("checkout")).toEqual(["aaaa"]);
  });

  it("matches attribute keys, values and key=value pairs", () => {
    expect(found("http.status_code=500")).toEqual(["bbbb"]);
    expect(found("status_code")).toEqual(["aaaa", "bbbb"]);
  });

  it("matches any of several terms, a quoted phrase as one term, and event names", () => {
    expect(found("charge SELECT")).toEqual(["bbbb", "cccc"]);
    expect(found('"cache miss"')).toEqual(["cccc"]);
  });

  it("matches a span id exactly and excludes spans holding a -key", () => {
    expect(found("cccc")).toEqual(["cccc"]);
    expect(found("status_code -retry")).toEqual(["aaaa"]);
  });

  it("finds nothing for an empty query", () => {
    expect(found("   ")).toEqual([]);
    expect(parseFindQuery('a "b c" -d')).toEqual({ include: ["a", "b c"], exclude: ["d"] });
  });
});
