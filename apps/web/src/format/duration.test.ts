import { describe, expect, it } from "vitest";
import { formatDurationUs } from "./duration";

describe("formatDurationUs", () => {
  it("keeps sub-millisecond durations in µs", () => {
    expect(formatDurationUs(850)).toBe("850µs");
  });

  it("uses three significant digits in ms and s", () => {
    expect(formatDurationUs(12_345)).toBe("12.3ms");
    expect(formatDurationUs(1_250_000)).toBe("1.25s");
    expect(formatDurationUs(1_500_000)).toBe("1.5s");
  });

  it("switches to minutes and seconds past one minute", () => {
    expect(formatDurationUs(125_000_000)).toBe("2m 5s");
    expect(formatDurationUs(3_725_000_000)).toBe("1h 2m");
  });

  it("shows a dash for values that are not durations", () => {
    expect(formatDurationUs(-1)).toBe("–");
    expect(formatDurationUs(Number.NaN)).toBe("–");
  });
});
