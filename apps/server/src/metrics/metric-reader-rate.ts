/**
 * PromQL's `rate()` (prometheus v2.42 `promql/functions.go`, `extrapolatedRate`) over the two samples that bound a
 * window, which is all it needs once counters are stored reset-corrected (metric-store.ts):
 *  - the selector takes the samples with `start ≤ t ≤ end` (2.x range selectors include both ends);
 *  - with fewer than two samples there is no rate;
 *  - the increase between the first and the last sample is extrapolated towards the window's ends: all the way
 *    when the gap to an end is under 1.1 × the average sample interval, else by half an interval; towards the
 *    start never past the point where the counter would have been 0;
 *  - divided by the window length in seconds.
 */

export interface WindowSamples {
  startMs: number;
  endMs: number;
  firstTsMs: number;
  lastTsMs: number;
  /** Number of samples from first to last, both included. */
  samples: number;
}

/** The factor that turns (last − first) into the rate per second, or null when PromQL would give no result. */
export interface RateFrame {
  sampledSec: number;
  toStartSec: number;
  toEndSec: number;
  averageSec: number;
  windowSec: number;
}

export function rateFrame(w: WindowSamples): RateFrame | null {
  if (w.samples < 2 || w.lastTsMs <= w.firstTsMs) return null;
  const sampledSec = (w.lastTsMs - w.firstTsMs) / 1000;
  return {
    sampledSec,
    toStartSec: (w.firstTsMs - w.startMs) / 1000,
    toEndSec: (w.endMs - w.lastTsMs) / 1000,
    averageSec: sampledSec / (w.samples - 1),
    windowSec: (w.endMs - w.startMs) / 1000,
  };
}

/** rate() of one counter: `first` is its (reset-corrected) value at the first sample, `increase` last − first. */
export function extrapolatedRate(frame: RateFrame, first: number, increase: number): number {
  let toStart = frame.toStartSec;
  if (increase > 0 && first >= 0) {
    // The counter cannot have been below 0: do not extrapolate to before it would have been 0.
    const toZero = frame.sampledSec * (first / increase);
    if (toZero < toStart) toStart = toZero;
  }
  const threshold = frame.averageSec * 1.1;
  let interval = frame.sampledSec;
  interval += toStart < threshold ? toStart : frame.averageSec / 2;
  interval += frame.toEndSec < threshold ? frame.toEndSec : frame.averageSec / 2;
  return (increase * (interval / frame.sampledSec)) / frame.windowSec;
}
