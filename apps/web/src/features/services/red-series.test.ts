import type { RedPoint } from "@meshscope/model";
import { describe, expect, it } from "vitest";
import { redChartData, versionSummaries, versionSummary } from "./red-series";

const point = (t: number, rps: number, errorRate = 0, p95Ms: number | null = 10): RedPoint => ({
  t,
  rps,
  errorRate,
  p50Ms: p95Ms === null ? null : p95Ms / 2,
  p95Ms,
  p99Ms: p95Ms === null ? null : p95Ms * 2,
});

describe("RED chart data", () => {
  it("leaves error ratio gaps where there were no requests, but keeps the zero rate", () => {
    const data = redChartData([point(1, 2, 0.5), point(2, 0, 0, null)]);
    expect(data.times).toEqual([1, 2]);
    expect(data.rps[0]?.values).toEqual([2, 0]);
    expect(data.errorRate[0]?.values).toEqual([0.5, null]);
    expect(data.latency.map((s) => s.values[1])).toEqual([null, null, null]);
  });
});

describe("version summaries", () => {
  it("weights the error ratio by request rate", () => {
    // 10 req/s at 0% and 2 req/s at 50%: 1 error/s of 12 req/s.
    const s = versionSummary("v1", [point(1, 10, 0), point(2, 2, 0.5)]);
    expect(s.errorRate).toBeCloseTo(1 / 12);
    expect(s.meanRps).toBe(6);
    expect(s.series[1]?.values).toEqual([0, 1]);
  });

  it("takes the latest p95 that exists", () => {
    expect(versionSummary("v1", [point(1, 1, 0, 30), point(2, 0, 0, null)]).latestP95Ms).toBe(30);
    expect(versionSummary("v1", []).latestP95Ms).toBeNull();
  });

  it("orders versions naturally", () => {
    const byVersion = { v10: [], v2: [], v1: [] };
    expect(versionSummaries(byVersion).map((v) => v.version)).toEqual(["v1", "v2", "v10"]);
  });
});
