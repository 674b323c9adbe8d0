/**
 * Turns the API's RED points (µs times; rps; error ratio 0–1; quantiles in ms) into chart series and per-version
 * summaries. Pure, so the numbers shown next to the charts are tested without a browser.
 */
import type { RedPoint } from "@meshscope/model";
import type { ChartSeries } from "../../components/charts/chart-data";

export interface RedChartData {
  times: number[];
  rps: ChartSeries[];
  errorRate: ChartSeries[];
  latency: ChartSeries[];
}

/**
 * A point with no requests has no error ratio or latency: those are gaps, not zeros (a quiet minute did not
 * succeed 100%). The request rate itself is a real 0.
 */
export function redChartData(points: readonly RedPoint[]): RedChartData {
  const times = points.map((p) => p.t);
  const busy = (p: RedPoint) => p.rps > 0;
  return {
    times,
    rps: [{ key: "rps", label: "Requests/s", color: "var(--chart-rps)", values: points.map((p) => p.rps) }],
    errorRate: [
      {
        key: "errors",
        label: "Error ratio",
        color: "var(--health-failure)",
        values: points.map((p) => (busy(p) ? p.errorRate : null)),
      },
    ],
    latency: [
      { key: "p50", label: "p50", color: "var(--chart-p50)", values: points.map((p) => p.p50Ms), dashed: true },
      { key: "p95", label: "p95", color: "var(--chart-p95)", values: points.map((p) => p.p95Ms) },
      { key: "p99", label: "p99", color: "var(--chart-p99)", values: points.map((p) => p.p99Ms) },
    ],
  };
}

export interface VersionSummary {
  version: string;
  times: number[];
  series: ChartSeries[];
  /** Mean requests/s over the window's points. */
  meanRps: number;
  /** Errors over requests across the window (each point weighted by its rate); 0 without requests. */
  errorRate: number;
  /** p95 of the last point that has one; null when none has. */
  latestP95Ms: number | null;
}

export function versionSummary(version: string, points: readonly RedPoint[]): VersionSummary {
  let requests = 0;
  let errors = 0;
  let latestP95Ms: number | null = null;
  for (const p of points) {
    requests += p.rps;
    errors += p.rps * p.errorRate;
    if (p.p95Ms !== null) latestP95Ms = p.p95Ms;
  }
  return {
    version,
    times: points.map((p) => p.t),
    series: [
      { key: "rps", label: "Requests/s", color: "var(--chart-rps)", values: points.map((p) => p.rps) },
      {
        key: "errors",
        label: "Errors/s",
        color: "var(--health-failure)",
        values: points.map((p) => p.rps * p.errorRate),
      },
    ],
    meanRps: points.length > 0 ? requests / points.length : 0,
    errorRate: requests > 0 ? errors / requests : 0,
    latestP95Ms,
  };
}

/** Versions in natural order (`v2` before `v10`). */
export function versionSummaries(byVersion: Readonly<Record<string, readonly RedPoint[]>>): VersionSummary[] {
  return Object.keys(byVersion)
    .sort((a, b) => a.localeCompare(b, "en", { numeric: true }))
    .map((v) => versionSummary(v, byVersion[v] ?? []));
}
