import type { TraceSummary } from "@meshscope/model";
import { Link } from "react-router";
import { ServiceChip } from "../../components/ServiceChip";
import { serviceColor } from "../../components/service-color";
import { formatDurationUs } from "../../format/duration";
import { formatAgo, formatTimestampUs } from "../../format/time";
import { tracePath } from "../trace/url";

/** Search results, one row per trace summary, newest first as the API orders them. Pure. */
export function TraceResultsTable({
  traces,
  nowMs,
  backTo,
}: {
  traces: TraceSummary[];
  nowMs: number;
  /** This search's own path, so the trace page can link back to it. */
  backTo: string;
}) {
  // Bars are relative to the slowest trace in the list, so outliers stand out at a glance (as Jaeger's scatter).
  const maxDuration = Math.max(1, ...traces.map((t) => t.duration));
  return (
    <table className="data-table results-table" data-testid="trace-results">
      <thead>
        <tr>
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
        {traces.map((trace) => (
          <tr key={trace.traceId} data-testid="trace-row" data-trace-id={trace.traceId}>
            <td className="cell-trace">
              <Link to={tracePath(trace.traceId)} state={{ backTo }} className="trace-link" data-testid="trace-link">
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
            <td className="num">{trace.spanCount}</td>
            <td className="num">
              {trace.errorCount > 0 ? (
                <span className="badge badge-error" data-testid="trace-errors">
                  {trace.errorCount}
                </span>
              ) : (
                <span className="muted">0</span>
              )}
            </td>
            <td className="cell-duration">
              <span className="duration-bar-track" aria-hidden="true">
                <span className="duration-bar" style={{ width: `${(trace.duration / maxDuration) * 100}%` }} />
              </span>
              <span className="mono">{formatDurationUs(trace.duration)}</span>
            </td>
            <td className="cell-time">
              <span title={formatTimestampUs(trace.start)}>{formatAgo(trace.start, nowMs)}</span>
              <span className="muted mono">{formatTimestampUs(trace.start)}</span>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
