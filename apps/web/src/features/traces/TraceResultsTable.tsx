import type { TraceSummary } from "@meshscope/model";
import { Link } from "react-router";
import { ServiceChip } from "../../components/ServiceChip";
import { serviceColor } from "../../components/service-color";
import { formatDurationUs } from "../../format/duration";
import { formatAgo, formatTimestampUs } from "../../format/time";
import { tracePath } from "../trace/url";

/** How many traces a comparison takes. */
export const COMPARE_SIZE = 2;

/** Search results, one row per trace summary, in the order given. Pure. */
export function TraceResultsTable({
  traces,
  nowMs,
  backTo,
  selected,
  onToggle,
}: {
  traces: readonly TraceSummary[];
  nowMs: number;
  /** This search's own path, so the trace page can link back to it. */
  backTo: string;
  /** Trace ids ticked for comparison, in the order they were ticked. */
  selected: readonly string[];
  onToggle: (traceId: string) => void;
}) {
  // Bars are relative to the slowest trace in the list, so outliers stand out at a glance (as Jaeger's scatter).
  const maxDuration = Math.max(1, ...traces.map((t) => t.duration));
  const full = selected.length >= COMPARE_SIZE;
  return (
    <div className="results-scroll">
      <table className="data-table results-table" data-testid="trace-results">
        <thead>
          <tr>
            <th scope="col" className="cell-select">
              <span className="visually-hidden">Compare</span>
            </th>
            <th scope="col">Trace</th>
            <th scope="col">Services</th>
            <th scope="col" className="num">
              Spans
            </th>
            <th scope="col" className="num">
              Errors
            </th>
            <th scope="col">Duration</th>
            <th scope="col">Started</th>
          </tr>
        </thead>
        <tbody>
          {traces.map((trace) => {
            const isSelected = selected.includes(trace.traceId);
            return (
              <tr
                key={trace.traceId}
                data-testid="trace-row"
                data-trace-id={trace.traceId}
                className={isSelected ? "is-selected" : undefined}
              >
                <td className="cell-select">
                  <input
                    type="checkbox"
                    data-testid="trace-select"
                    checked={isSelected}
                    disabled={full && !isSelected}
                    title={full && !isSelected ? "Two traces are already selected" : "Select to compare"}
                    aria-label={`Compare ${trace.rootService}: ${trace.rootName} (${trace.traceId.slice(0, 8)})`}
                    onChange={() => onToggle(trace.traceId)}
                  />
                </td>
                <td className="cell-trace">
                  <Link
                    to={tracePath(trace.traceId)}
                    state={{ backTo }}
                    className="trace-link"
                    data-testid="trace-link"
                  >
                    <span className="trace-root-service" style={{ color: serviceColor(trace.rootService) }}>
                      {trace.rootService}
                    </span>
                    <span className="trace-root-sep">: </span>
                    <span className="trace-root-name">{trace.rootName}</span>
                  </Link>
                  <span className="trace-id mono">{trace.traceId.slice(0, 16)}</span>
                </td>
                <td className="cell-services">
                  {trace.services.map((s) => (
                    <ServiceChip key={s.name} name={s.name} count={s.spanCount} />
                  ))}
                </td>
                <td className="num" data-testid="trace-span-count">
                  {trace.spanCount}
                </td>
                <td className="num">
                  {trace.errorCount > 0 ? (
                    <span className="badge badge-error" data-testid="trace-errors">
                      {trace.errorCount}
                    </span>
                  ) : (
                    <span className="muted">0</span>
                  )}
                </td>
                <td className="cell-duration" data-testid="trace-duration" data-duration-us={trace.duration}>
                  <span className="duration-bar-track" aria-hidden="true">
                    <span className="duration-bar" style={{ width: `${(trace.duration / maxDuration) * 100}%` }} />
                  </span>
                  <span className="mono">{formatDurationUs(trace.duration)}</span>
                </td>
                <td className="cell-time">
                  <span title={formatTimestampUs(trace.start)}>{formatAgo(trace.start, nowMs)}</span>
                  <span className="muted mono">{timeOfDay(trace.start)}</span>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** `14:03:07.123`, local time: the relative time above says how long ago, the title holds the date. */
function timeOfDay(us: number): string {
  const d = new Date(Math.floor(us / 1_000));
  const pad = (n: number, width = 2) => String(n).padStart(width, "0");
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}
