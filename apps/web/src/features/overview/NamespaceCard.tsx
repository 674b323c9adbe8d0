import type { HealthStatus } from "@meshscope/model";
import { Link } from "react-router";
import { pathWithShell, type ShellState } from "../../app/shell-url";
import { Sparkline } from "../../components/charts/Sparkline";
import { formatRps } from "../../components/format-metrics";
import { HealthBadge } from "../../components/HealthBadge";
import { HEALTH_LABEL } from "../../components/health";
import { busiestServices, type NamespaceSummary, sumRates } from "./overview-data";
import { useServiceRateSeries } from "./queries";

const COUNTED: readonly HealthStatus[] = ["healthy", "degraded", "failure", "idle"];

/** The four states always (issue #5), and "no data" too when some service has none, so the counts add up. */
function counted(summary: NamespaceSummary): readonly HealthStatus[] {
  return summary.counts.unknown > 0 ? [...COUNTED, "unknown"] : COUNTED;
}
/** Services summed into a card's sparkline (see useServiceRateSeries). */
const SPARKLINE_SERVICES = 12;

/** A namespace: its worst health, its services by health, its request rate over the window, and links. */
export function NamespaceCard({
  summary,
  shell,
  listIsCurrent,
  listEndUs,
}: {
  summary: NamespaceSummary;
  shell: ShellState;
  /** False while the service list is the previous window's placeholder. */
  listIsCurrent: boolean;
  /** End of the window the service list describes (µs). */
  listEndUs: number;
}) {
  const ns = summary.namespace;
  const scoped = { ...shell, namespaces: [ns] };
  const total = summary.services.length;
  return (
    <li className={`ns-card ns-card-${summary.worst}`} data-testid="namespace-card" data-namespace={ns}>
      <div className="ns-card-head">
        <h3 className="ns-card-title">
          <Link to={pathWithShell("/services", scoped)}>{ns}</Link>
        </h3>
        <HealthBadge health={summary.worst} />
      </div>
      <p className="ns-card-sub muted">
        {total} {total === 1 ? "service" : "services"}
      </p>
      <dl className="health-counts" aria-label={`Services of ${ns} by health`}>
        {counted(summary).map((h) => (
          <div
            key={h}
            className={`health-count health-${h}`}
            data-testid={`health-count-${h}`}
            data-count={summary.counts[h]}
          >
            <dt>{HEALTH_LABEL[h]}</dt>
            <dd>{summary.counts[h]}</dd>
          </div>
        ))}
      </dl>
      <NamespaceTraffic summary={summary} shell={shell} listIsCurrent={listIsCurrent} listEndUs={listEndUs} />
      <div className="ns-card-links">
        <Link to={pathWithShell("/graph", scoped)} data-testid="namespace-graph-link">
          Graph
        </Link>
        <Link to={pathWithShell("/services", scoped)}>Services</Link>
      </div>
    </li>
  );
}

function NamespaceTraffic({
  summary,
  shell,
  listIsCurrent,
  listEndUs,
}: {
  summary: NamespaceSummary;
  shell: ShellState;
  listIsCurrent: boolean;
  listEndUs: number;
}) {
  const busiest = busiestServices(summary.services, SPARKLINE_SERVICES);
  // The series are asked for the window the list describes, not a later "now": a service whose last requests are
  // about to leave a live window would otherwise be in the list and unknown (404) to its series query.
  const queries = useServiceRateSeries(busiest, { ...shell, endUs: shell.endUs ?? listEndUs }, listIsCurrent);
  const rateText = `${formatRps(summary.inboundRps)} req/s`;
  if (busiest.length === 0) {
    return (
      <div className="ns-traffic" data-testid="namespace-traffic">
        <span className="ns-rate">{rateText}</span>
        <span className="muted">No inbound requests in this window</span>
      </div>
    );
  }
  const failed = queries.some((q) => q.isError);
  const ready = queries.every((q) => q.data !== undefined);
  const values = ready ? sumRates(queries.map((q) => q.data?.inbound.total ?? [])) : [];
  const partial = summary.services.filter((s) => s.inboundRps > 0).length > busiest.length;
  return (
    <div className="ns-traffic" data-testid="namespace-traffic">
      <span className="ns-rate" data-testid="namespace-rps">
        {rateText}
      </span>
      {failed ? (
        <span className="muted">Trend unavailable</span>
      ) : !ready ? (
        <span className="sparkline-placeholder" role="status" aria-label="Loading the request-rate trend" />
      ) : (
        <Sparkline
          values={values}
          label={`Request rate into ${summary.namespace}${partial ? ` (its ${busiest.length} busiest services)` : ""} over the window, latest ${formatRps(values[values.length - 1] ?? 0)} req/s`}
          testId="namespace-sparkline"
        />
      )}
    </div>
  );
}
