/** Root span, start, duration, services, depth, span count and errors of one trace, and the view switcher. Pure. */
import { ServiceChip } from "../../components/ServiceChip";
import { serviceColor } from "../../components/service-color";
import { formatDurationUs } from "../../format/duration";
import { formatTimestampUs } from "../../format/time";
import type { TraceOverview } from "./trace-model";
import { TRACE_VIEWS, type TraceViewName } from "./url";

const VIEW_LABELS: Record<TraceViewName, string> = { timeline: "Timeline", graph: "Graph", statistics: "Statistics" };

/** Past this many services the chips would fill the screen; the count says how many there are. */
const MAX_CHIPS = 24;

export interface TraceHeaderProps {
  traceId: string;
  overview: TraceOverview;
  view: TraceViewName;
  onView: (view: TraceViewName) => void;
}

export function TraceHeader({ traceId, overview, view, onView }: TraceHeaderProps) {
  const { root } = overview;
  return (
    <div className="trace-header" data-testid="trace-header">
      <div className="trace-header-top">
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
        <div className="view-switcher" role="tablist" aria-label="Trace view">
          {TRACE_VIEWS.map((v) => (
            <button
              key={v}
              type="button"
              role="tab"
              aria-selected={v === view}
              className={v === view ? "view-tab is-active" : "view-tab"}
              data-testid={`view-${v}`}
              onClick={() => onView(v)}
            >
              {VIEW_LABELS[v]}
            </button>
          ))}
        </div>
      </div>
      <dl className="stat-row">
        <Stat label="Start" value={formatTimestampUs(overview.startUs)} testId="trace-start" />
        <Stat label="Duration" value={formatDurationUs(overview.durationUs)} testId="trace-duration" />
        <Stat label="Services" value={String(overview.services.length)} testId="trace-service-count" />
        <Stat label="Depth" value={String(overview.depth)} testId="trace-depth" />
        <Stat label="Spans" value={String(overview.spanCount)} testId="trace-span-count" />
        <Stat
          label="Errors"
          value={String(overview.errorCount)}
          testId="trace-error-count"
          tone={overview.errorCount > 0 ? "error" : undefined}
        />
      </dl>
      <ul className="chip-row" aria-label="Spans per service">
        {overview.services.slice(0, MAX_CHIPS).map((s) => (
          <li key={s.name}>
            <ServiceChip name={s.name} count={s.spanCount} />
          </li>
        ))}
        {overview.services.length > MAX_CHIPS && (
          <li className="muted">+{overview.services.length - MAX_CHIPS} more</li>
        )}
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
