import { describe, expect, it } from "vitest";
import { formatMs, formatPercent, formatRps, tickMs, tickNumber, tickPercent } from "./format-metrics";

describe("metric formatting", () => {
  it("never prints a small non-zero rate or ratio as zero", () => {
    expect(formatRps(0.001)).toBe("<0.01");
    expect(formatPercent(0.0002)).toBe("<0.1%");
    expect(formatPercent(0.9999)).toBe(">99.9%");
  });

  it("scales the precision of rates with their size", () => {
    expect(formatRps(0)).toBe("0");
    expect(formatRps(3.456)).toBe("3.46");
    expect(formatRps(42.17)).toBe("42.2");
    expect(formatRps(12_345.6)).toBe("12,346");
  });

  it("prints error ratios as percentages", () => {
    expect(formatPercent(0)).toBe("0%");
    expect(formatPercent(0.054)).toBe("5.4%");
    expect(formatPercent(0.5)).toBe("50.0%");
    expect(formatPercent(1)).toBe("100%");
  });

  it("switches latency from ms to s above a second and shows missing values as a dash", () => {
    expect(formatMs(null)).toBe("—");
    expect(formatMs(0.5)).toBe("0.50 ms");
    expect(formatMs(12.34)).toBe("12.3 ms");
    expect(formatMs(250.4)).toBe("250 ms");
    expect(formatMs(1500)).toBe("1.50 s");
  });
});

describe("axis ticks", () => {
  it("drop trailing zeros and keep units short", () => {
    expect(tickNumber(5)).toBe("5");
    expect(tickNumber(2.5)).toBe("2.5");
    expect(tickNumber(0.25)).toBe("0.25");
    expect(tickNumber(1500)).toBe("1.5k");
    expect(tickPercent(0.004)).toBe("0.4%");
    expect(tickPercent(0.2)).toBe("20%");
    expect(tickMs(20)).toBe("20 ms");
    expect(tickMs(2500)).toBe("2.5 s");
  });
});
