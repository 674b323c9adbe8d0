import { describe, expect, it } from "vitest";
import { hasData, maxValue, nearestIndex, summarise } from "./chart-data";

describe("chart data", () => {
  it("finds the point nearest the cursor, ties going to the earlier point", () => {
    const times = [0, 10, 20, 30];
    expect(nearestIndex(times, -5)).toBe(0);
    expect(nearestIndex(times, 14)).toBe(1);
    expect(nearestIndex(times, 15)).toBe(1);
    expect(nearestIndex(times, 16)).toBe(2);
    expect(nearestIndex(times, 99)).toBe(3);
    expect(nearestIndex([], 1)).toBe(-1);
  });

  it("takes the maximum over every series and skips gaps", () => {
    const series = [
      { key: "a", label: "a", color: "red", values: [1, null, 3] },
      { key: "b", label: "b", color: "blue", values: [null, 7, 2] },
    ];
    expect(maxValue(series)).toBe(7);
    expect(hasData(series)).toBe(true);
    expect(hasData([{ key: "c", label: "c", color: "red", values: [null, null] }])).toBe(false);
  });

  it("summarises each series by its latest and largest value", () => {
    const series = [
      { key: "a", label: "p95", color: "red", values: [5, 9, null, 4] },
      { key: "b", label: "p99", color: "red", values: [null] },
    ];
    expect(summarise(series, (v) => `${v} ms`)).toBe("p95 latest 4 ms, max 9 ms; p99 no data");
  });
});
