/** Pure helpers of the charts: nearest point under the cursor, value domains, accessible summaries. */

export interface ChartSeries {
  key: string;
  label: string;
  /** A CSS colour (a `var(--…)` works: SVG strokes resolve custom properties). */
  color: string;
  /** One value per entry of the chart's `times`; null = no data at that time (a gap in the line). */
  values: readonly (number | null)[];
  /** Drawn dashed: a secondary line (e.g. p50 next to p95). */
  dashed?: boolean;
}

/** Index of the time closest to `t` in ascending `times`; -1 when there are none. */
export function nearestIndex(times: readonly number[], t: number): number {
  if (times.length === 0) return -1;
  let lo = 0;
  let hi = times.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((times[mid] ?? 0) < t) lo = mid + 1;
    else hi = mid;
  }
  const prev = lo - 1;
  if (prev >= 0 && Math.abs((times[prev] ?? 0) - t) <= Math.abs((times[lo] ?? 0) - t)) return prev;
  return lo;
}

/** The largest value of all series; 0 when there is none. */
export function maxValue(series: readonly ChartSeries[]): number {
  let max = 0;
  for (const s of series) for (const v of s.values) if (v !== null && v > max) max = v;
  return max;
}

export function hasData(series: readonly ChartSeries[]): boolean {
  return series.some((s) => s.values.some((v) => v !== null));
}

/** "p95 latest 12 ms, max 40 ms": what a screen reader hears for a chart before reading point by point. */
export function summarise(series: readonly ChartSeries[], format: (v: number) => string): string {
  return series
    .map((s) => {
      const defined = s.values.filter((v): v is number => v !== null);
      if (defined.length === 0) return `${s.label} no data`;
      const latest = defined[defined.length - 1] ?? 0;
      return `${s.label} latest ${format(latest)}, max ${format(Math.max(...defined))}`;
    })
    .join("; ");
}
