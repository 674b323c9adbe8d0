import { describe, expect, it } from "vitest";
import { extrapolatedRate, rateFrame } from "./metric-reader-rate.js";

describe("extrapolatedRate (PromQL rate)", () => {
  // Samples at 5, 15, …, 55 s in the window [0 s, 60 s]: 6 samples, 50 s apart end to end.
  const frame = rateFrame({ startMs: 0, endMs: 60_000, firstTsMs: 5_000, lastTsMs: 55_000, samples: 6 });

  it("extrapolates to both window edges when they are within 1.1 sample intervals", () => {
    if (frame === null) throw new Error("no frame");
    // increase 50 over 50 s, extrapolated to 60 s, divided by 60 s.
    expect(extrapolatedRate(frame, 1000, 50)).toBeCloseTo(1, 12);
  });

  it("does not extrapolate to before the counter would have been zero", () => {
    if (frame === null) throw new Error("no frame");
    // first value 2 at slope 1/s: zero 2 s before the first sample, not 5 s.
    expect(extrapolatedRate(frame, 2, 50)).toBeCloseTo((50 * (57 / 50)) / 60, 12);
  });

  it("extrapolates by half an interval when an edge is farther than 1.1 intervals", () => {
    const f = rateFrame({ startMs: 0, endMs: 60_000, firstTsMs: 30_000, lastTsMs: 50_000, samples: 3 });
    if (f === null) throw new Error("no frame");
    // 20 s sampled, average interval 10 s: start gap 30 s > 11 s → +5 s; end gap 10 s < 11 s → +10 s.
    expect(extrapolatedRate(f, 1000, 20)).toBeCloseTo((20 * (35 / 20)) / 60, 12);
  });

  it("gives no rate with fewer than two samples", () => {
    expect(rateFrame({ startMs: 0, endMs: 60_000, firstTsMs: 5_000, lastTsMs: 5_000, samples: 1 })).toBeNull();
  });
});
