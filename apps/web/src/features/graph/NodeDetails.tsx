/** Side panel of a selected node: health, traffic, versions, codes and flags, RED charts, links. */
import type { RedPoint, ServiceDetailResponse } from "@meshscope/model";
import { Link } from "react-router";
import { WizardMenu } from "../wizards/WizardMenu";
import { BADGE_TAGS } from "./cy-elements";
import { formatBytesPerSec, formatMs, formatPercent, formatRps } from "./format";
import type { GraphModel, NodeView } from "./graph-model";
import { nodeName } from "./graph-model";
import { sumBreakdown, versionsOf } from "./node-traffic";
import { CodeBars, EdgeTable, FlagBars, HealthBadge, Section, Stats } from "./panel-parts";
import { useServiceSeriesQuery } from "./queries";
import { SparkChart } from "./SparkChart";
import { hasOwnPages, serviceOfNode, servicePageOf, tracesOfNode } from "./trace-links";
import { VersionList } from "./VersionList";

const KIND_LABEL: Record<string, string> = {
  app: "App",
  workload: "Workload",
  service: "Service",
  unknown: "Unknown source",
  external: "External",
};

export interface TimeProps {
  windowSeconds: number;
  end: number | null;
  refetchInterval: number | false;
}

/** The RED series that matches the node: its version or workload when the service has it, else the total. */
function seriesFor(view: NodeView, data: ServiceDetailResponse | undefined): RedPoint[] {
  if (!data) return [];
  const n = view.node;
  if (n.kind === "app" && n.version !== null) return data.inbound.byVersion[n.version] ?? data.inbound.total;
  if (n.kind === "workload" && n.workload !== null) return data.inbound.byWorkload[n.workload] ?? data.inbound.total;
  return data.inbound.total;
}

function NodeCharts({ view, time }: { view: NodeView; time: TimeProps }) {
  // The charts show inbound RED: a pure traffic source (a gateway) has none, and often no service of its own.
  const ref = view.node.inboundRps > 0 ? serviceOfNode(view.node) : null;
  const query = useServiceSeriesQuery(ref, time.windowSeconds, time.end, time.refetchInterval);
  if (!ref) return <p className="muted">No inbound requests to chart.</p>;
  if (query.isPending) return <p className="muted">Loading charts…</p>;
  if (query.isError) {
    return (
      <p className="muted">{query.error.message.includes("no service") ? "No metrics series" : query.error.message}</p>
    );
  }
  const series = seriesFor(view, query.data);
  return (
    <div className="spark-grid" data-testid="node-charts">
      <SparkChart
        title="Requests/s"
        points={series.map((p) => ({ t: p.t, v: p.rps }))}
        format={formatRps}
        color="var(--graph-tcp)"
        testId="chart-rps"
      />
      <SparkChart
        title="Error rate"
        points={series.map((p) => ({ t: p.t, v: p.rps > 0 ? p.errorRate : null }))}
        format={formatPercent}
        color="var(--graph-failure)"
        zeroNote="No errors in this window"
        testId="chart-errors"
      />
      <SparkChart
        title="p95 latency"
        points={series.map((p) => ({ t: p.t, v: p.p95Ms }))}
        format={formatMs}
        color="var(--graph-degraded)"
        testId="chart-p95"
      />
    </div>
  );
}

export function NodeDetails({
  model,
  view,
  time,
  onSelect,
}: {
  model: GraphModel;
  view: NodeView;
  time: TimeProps;
  onSelect(id: string): void;
}) {
  const n = view.node;
  const inbound = model.inbound.get(view.id) ?? [];
  const outbound = model.outbound.get(view.id) ?? [];
  const codesFrom = inbound.length > 0 ? inbound : outbound;
  const codes = sumBreakdown(codesFrom, (e) => e.edge.responses);
  const flags = sumBreakdown(codesFrom, (e) => e.edge.flags);
  const versions = versionsOf(model, view.id);
  const page = servicePageOf(n);
  const tcp = n.tcpInboundBytesPerSec + n.tcpOutboundBytesPerSec;
  // Traffic wizards act on a service: offered for service nodes and app nodes (Istio's canonical service).
  const wizardTarget = n.kind === "service" || n.kind === "app" ? serviceOfNode(n) : null;
  return (
    <div className="side-details" data-testid="node-details" data-node-id={view.id}>
      <header className="side-header">
        <p className="side-kicker">
          {KIND_LABEL[n.kind] ?? n.kind}
          {n.namespace !== "unknown" && <> · {n.namespace}</>}
          {n.traceDerived && <> · from spans</>}
        </p>
        <h3 className="side-title" data-testid="side-title">
          {nodeName(n)}
          {n.kind === "app" && n.version !== null && <span className="muted"> {n.version}</span>}
        </h3>
        <div className="chip-row">
          <HealthBadge health={n.health} />
          {n.badges.map((b) => (
            <span key={b} className="badge badge-neutral" title={BADGE_TAGS[b]?.title ?? b} data-testid="node-badge">
              {BADGE_TAGS[b]?.title ?? b}
            </span>
          ))}
        </div>
        {wizardTarget && <WizardMenu namespace={wizardTarget.namespace} service={wizardTarget.service} />}
      </header>
      <Stats
        testId="node-stats"
        items={[
          ["Inbound (avg)", `${formatRps(n.inboundRps)} rps`],
          ["Outbound (avg)", `${formatRps(n.outboundRps)} rps`],
          ["Errors (avg)", formatPercent(view.errorRate)],
          ...(tcp > 0 ? ([["TCP", formatBytesPerSec(tcp)]] as [string, string][]) : []),
        ]}
      />
      {versions.length > 0 && (
        <Section title={`Versions (${versions.length})`} testId="node-versions">
          <VersionList rows={versions} onSelect={onSelect} />
        </Section>
      )}
      {hasOwnPages(n) && (
        <Section title="Over the window">
          <NodeCharts view={view} time={time} />
        </Section>
      )}
      <Section title={inbound.length > 0 ? "Inbound responses" : "Outbound responses"}>
        <CodeBars rows={codes} grpc={codesFrom.every((e) => e.edge.protocol === "grpc")} />
        <FlagBars rows={flags} />
      </Section>
      <Section title={`Inbound edges (${inbound.length})`}>
        <EdgeTable model={model} edges={inbound} peer="source" onSelect={onSelect} testId="inbound-edges" />
      </Section>
      <Section title={`Outbound edges (${outbound.length})`}>
        <EdgeTable model={model} edges={outbound} peer="target" onSelect={onSelect} testId="outbound-edges" />
      </Section>
      {hasOwnPages(n) && (
        <nav className="side-links" aria-label="Related pages">
          {page && (
            <Link to={page} data-testid="link-service-page">
              Service page
            </Link>
          )}
          <Link to={tracesOfNode(n, time.windowSeconds)} data-testid="link-traces">
            Traces
          </Link>
          {view.errorRate > 0 && (
            <Link to={tracesOfNode(n, time.windowSeconds, true)} data-testid="link-error-traces">
              Error traces
            </Link>
          )}
        </nav>
      )}
    </div>
  );
}
