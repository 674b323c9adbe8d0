import { ServiceChip } from "../../components/ServiceChip";
import { serviceColor } from "../../components/service-color";
import { formatDurationUs } from "../../format/duration";
import { formatTimestampUs } from "../../format/time";
import type { TraceOverview } from "./span-tree";

/** Root span, start, duration, span count, services and errors of one trace. Pure. */
export function TraceHeader({ traceId, overview }: { traceId: string; overview: TraceOverview }) {
  const { root } = overview;
  return (
    <div className="trace-header" data-testid="trace-header">
      <p className="trace-header-title">
        {root ? (
          <>
            <span style={{ color: serviceColor(root.service) }} data-testid="trace-root-service">
              {root.service}
            </span>
            <span className="muted">: </span>
            <span data-testid="trace-root-name">{root.name}</span>
          </>
        ) : (
          <span className="muted">No spans</span>
        )}
        <span className="trace-id mono">{traceId}</span>
      </p>
      <dl className="stat-row">
        <Stat label="Start" value={formatTimestampUs(overview.startUs)} testId="trace-start" />
        <Stat label="Duration" value={formatDurationUs(overview.durationUs)} testId="trace-duration" />
        <Stat label="Spans" value={String(overview.spanCount)} testId="trace-span-count" />
        <Stat label="Services" value={String(overview.services.length)} testId="trace-service-count" />
        <Stat
          label="Errors"
          value={String(overview.errorCount)}
          testId="trace-error-count"
          tone={overview.errorCount > 0 ? "error" : undefined}
        />
      </dl>
      <ul className="chip-row" aria-label="Spans per service">
        {overview.services.map((s) => (
          <li key={s.name}>
            <ServiceChip name={s.name} count={s.spanCount} />
          </li>
        ))}
      </ul>
    </div>
  );
}

function Stat({ label, value, testId, tone }: { label: string; value: string; testId: string; tone?: "error" }) {
  return (
    <div className={tone ? `stat stat-${tone}` : "stat"}>
      <dt>{label}</dt>
      <dd data-testid={testId}>{value}</dd>
    </div>
  );
}
