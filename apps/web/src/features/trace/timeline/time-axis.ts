/**
 * The waterfall's time axis: the zoom window as fractions [0, 1] of the trace, and the mapping of µs onto
 * percentages of the timeline column. Pure.
 */
export interface ZoomWindow {
  /** Fractions of the trace's duration, 0 ≤ start < end ≤ 1. */
  start: number;
  end: number;
}

export const FULL_WINDOW: ZoomWindow = { start: 0, end: 1 };

/** The smallest window the minimap allows (0.1% of the trace), so a bar is never divided by ~0. */
export const MIN_WINDOW = 0.001;

export interface TimeAxis {
  /** µs at the left edge and the width of the visible range. */
  fromUs: number;
  spanUs: number;
  /** Percentage of the column at `us` (may fall outside 0–100 for parts off-screen). */
  pct(us: number): number;
}

export function timeAxis(traceStartUs: number, traceDurationUs: number, zoom: ZoomWindow): TimeAxis {
  // A zero-length trace (one instant span) still gets a visible axis.
  const total = Math.max(traceDurationUs, 1);
  const fromUs = traceStartUs + zoom.start * total;
  const spanUs = Math.max((zoom.end - zoom.start) * total, 1e-6);
  return { fromUs, spanUs, pct: (us) => ((us - fromUs) / spanUs) * 100 };
}

export function clampWindow(start: number, end: number): ZoomWindow {
  let s = Math.max(0, Math.min(start, end));
  let e = Math.min(1, Math.max(start, end));
  if (e - s < MIN_WINDOW) {
    const mid = (s + e) / 2;
    s = Math.max(0, Math.min(1 - MIN_WINDOW, mid - MIN_WINDOW / 2));
    e = s + MIN_WINDOW;
  }
  return { start: s, end: e };
}

/** A window of the same width moved by `delta`, kept inside the trace. */
export function panWindow(zoom: ZoomWindow, delta: number): ZoomWindow {
  const width = zoom.end - zoom.start;
  const start = Math.max(0, Math.min(1 - width, zoom.start + delta));
  return { start, end: start + width };
}

/** Where the bar's duration label goes: inside a wide bar, else after it, or before it near the right edge. */
export function labelPlacement(leftPct: number, widthPct: number): "inside" | "after" | "before" {
  if (widthPct > 30) return "inside";
  return leftPct + widthPct > 80 ? "before" : "after";
}
