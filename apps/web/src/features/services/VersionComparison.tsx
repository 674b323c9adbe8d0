import type { RedPoint } from "@meshscope/model";
import { maxValue } from "../../components/charts/chart-data";
import { LineChart } from "../../components/charts/LineChart";
import { formatMs, formatPercent, formatRps, tickNumber } from "../../components/format-metrics";
import { EmptyState } from "../../components/states";
import { versionSummaries } from "./red-series";

/**
 * One chart per version of the service (small multiples on one shared y scale, so a canary's share reads at a
 * glance), with its mean rate, error ratio and latest p95. Pure.
 */
export function VersionComparison({ byVersion }: { byVersion: Readonly<Record<string, readonly RedPoint[]>> }) {
  const versions = versionSummaries(byVersion);
  if (versions.length === 0) {
    return (
      <EmptyState title="No versions seen in this window" testId="versions-empty">
        <p>Versions come from the serving workloads' `version` label (Istio's canonical revision).</p>
      </EmptyState>
    );
  }
  const yMax = Math.max(...versions.map((v) => maxValue(v.series)));
  return (
    <ul className="version-grid" aria-label="Traffic by version">
      {versions.map((v) => (
        <li
          key={v.version}
          className="version-card"
          data-testid={`version-chart-${v.version}`}
          data-version={v.version}
        >
          <h3 className="version-title">{v.version}</h3>
          <dl className="stat-row version-stats">
            <div className="stat">
              <dt>Requests/s</dt>
              <dd>{formatRps(v.meanRps)}</dd>
            </div>
            <div className={v.errorRate > 0 ? "stat stat-error" : "stat"}>
              <dt>Error ratio</dt>
              <dd>{formatPercent(v.errorRate)}</dd>
            </div>
            <div className="stat">
              <dt>p95 (latest)</dt>
              <dd>{formatMs(v.latestP95Ms)}</dd>
            </div>
          </dl>
          <LineChart
            title="Requests and errors per second"
            accessibleTitle={`Requests and errors per second of ${v.version}`}
            times={v.times}
            series={v.series}
            formatValue={formatRps}
            formatTick={tickNumber}
            yMax={Math.max(yMax, 1)}
            height={130}
          />
        </li>
      ))}
    </ul>
  );
}
