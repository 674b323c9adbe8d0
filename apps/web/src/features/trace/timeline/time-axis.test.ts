import { describe, expect, it } from "vitest";
import { clampWindow, labelPlacement, MIN_WINDOW, panWindow, timeAxis } from "./time-axis";

describe("the waterfall's time axis", () => {
  it("maps µs onto percentages of the zoom window", () => {
    const axis = timeAxis(1_000, 200, { start: 0.5, end: 1 });
    expect(axis.pct(1_100)).toBe(0);
    expect(axis.pct(1_200)).toBe(100);
    expect(axis.pct(1_000)).toBe(-100);
  });

  it("keeps a zoom window inside the trace, ordered, and no narrower than the minimum", () => {
    expect(clampWindow(0.8, 0.2)).toEqual({ start: 0.2, end: 0.8 });
    expect(clampWindow(-1, 2)).toEqual({ start: 0, end: 1 });
    const tiny = clampWindow(0.5, 0.5);
    expect(tiny.end - tiny.start).toBeCloseTo(MIN_WINDOW);
  });

  it("pans a window without changing its width or leaving the trace", () => {
    const moved = panWindow({ start: 0.2, end: 0.4 }, 0.1);
    expect(moved.start).toBeCloseTo(0.3);
    expect(moved.end).toBeCloseTo(0.5);
    const stopped = panWindow({ start: 0.7, end: 0.9 }, 0.5);
    expect(stopped.start).toBeCloseTo(0.8);
    expect(stopped.end).toBeCloseTo(1);
  });

  it("puts the duration label inside wide bars and before bars that end near the right edge", () => {
    expect(labelPlacement(0, 50)).toBe("inside");
    expect(labelPlacement(85, 5)).toBe("before");
    expect(labelPlacement(10, 5)).toBe("after");
  });
});
