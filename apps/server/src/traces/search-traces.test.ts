import { describe, expect, it } from "vitest";
import { DEFAULT_LIMIT, DEFAULT_LOOKBACK_US, toTraceQuery } from "./search-traces.js";
import { normaliseTraceId } from "./trace-id.js";

const NOW = 1_700_000_000_000_000;

describe("toTraceQuery", () => {
  it("searches the last hour with Jaeger UI's limit of 20 when nothing is given", () => {
    expect(toTraceQuery({}, NOW)).toEqual({ startUs: NOW - DEFAULT_LOOKBACK_US, endUs: NOW, limit: DEFAULT_LIMIT });
  });

  it("uses lookback back from end, and passes filters through", () => {
    const q = toTraceQuery(
      { end: NOW, lookback: 60_000_000, service: "api", minDuration: 1000, maxDuration: 5000, tags: "a=1", limit: 5 },
      NOW + 1,
    );
    expect(q).toMatchObject({ startUs: NOW - 60_000_000, endUs: NOW, service: "api", limit: 5 });
    expect(q).toMatchObject({ minDurationUs: 1000, maxDurationUs: 5000, tags: { a: "1" } });
  });

  it("refuses min above max and start after end", () => {
    expect(() => toTraceQuery({ minDuration: 10, maxDuration: 5 }, NOW)).toThrow(/minDuration must not exceed/);
    expect(() => toTraceQuery({ start: NOW, end: NOW - 1 }, NOW)).toThrow(/is after end/);
  });
});

describe("normaliseTraceId", () => {
  it("lower-cases 32-hex ids and left-pads 16-hex ids", () => {
    expect(normaliseTraceId("ABCDEF0123456789ABCDEF0123456789")).toBe("abcdef0123456789abcdef0123456789");
    expect(normaliseTraceId("463ac35c9f6413ad")).toBe("0000000000000000463ac35c9f6413ad");
  });

  it("refuses other lengths and non-hex characters", () => {
    for (const id of ["abc", "463ac35c9f6413ad4", "zz3ac35c9f6413ad", ""]) expect(normaliseTraceId(id), id).toBeNull();
  });
});
