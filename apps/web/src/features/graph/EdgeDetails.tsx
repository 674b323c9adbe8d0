/** Side panel of a selected edge: rates, errors, share, mTLS, latency, codes and flags, links to traces. */
import { Link } from "react-router";
import { breakerTripped } from "./edge-label";
import { formatBytesPerSec, formatMs, formatPercent, formatRps } from "./format";
import type { EdgeView, GraphModel } from "./graph-model";
import type { TimeProps } from "./NodeDetails";
import { peerName, sumBreakdown } from "./node-traffic";
import { CodeBars, FlagBars, HealthBadge, Section, Stats } from "./panel-parts";
import { ShareBars } from "./SparkChart";
import { hasOwnPages, servicePageOf, tracesOfNode } from "./trace-links";

function LatencyBars({ view }: { view: EdgeView }) {
  const e = view.edge;
  const rows = (
    [
      ["p50", e.p50Ms],
      ["p95", e.p95Ms],
      ["p99", e.p99Ms],
    ] as const
  ).flatMap(([key, v]) => (v === null ? [] : [{ key, value: v }]));
  if (rows.length === 0) return <p className="muted">No latency histogram for this edge.</p>;
  // Percentiles are not shares of a total: each bar is scaled to the p99 (the last, largest value).
  const top = rows[rows.length - 1]?.value ?? 1;
  return (
    <ul className="share-bars" data-testid="edge-latency">
      {rows.map((r) => (
        <li key={r.key} className="share-bar-row">
          <span className="share-bar-key mono">{r.key}</span>
          <span className="share-bar-track" aria-hidden="true">
            <span
              className="share-bar-fill"
              style={{ width: `${top > 0 ? (r.value / top) * 100 : 0}%`, background: "var(--graph-degraded)" }}
            />
          </span>
          <span className="share-bar-value">{formatMs(r.value)}</span>
        </li>
      ))}
    </ul>
  );
}

export function EdgeDetails({
  model,
  view,
  time,
  onSelect,
}: {
  model: GraphModel;
  view: EdgeView;
  time: TimeProps;
  onSelect(id: string): void;
}) {
  const e = view.edge;
  const source = model.nodeById.get(e.source);
  const target = model.nodeById.get(e.target);
  const tcp = e.protocol === "tcp";
  const targetPage = target ? servicePageOf(target.node) : null;
  return (
    <div className="side-details" data-testid="edge-details" data-edge-id={view.id}>
      <header className="side-header">
        <p className="side-kicker">
          {e.protocol.toUpperCase()} edge{e.traceDerived && <> · from spans</>}
        </p>
        <h3 className="side-title" data-testid="side-title">
          <button type="button" className="link-button" onClick={() => onSelect(e.source)}>
            {peerName(model, e.source)}
          </button>
          <span className="muted" aria-hidden="true">
            {" → "}
          </span>
          <span className="visually-hidden"> to </span>
          <button type="button" className="link-button" onClick={() => onSelect(e.target)}>
            {peerName(model, e.target)}
          </button>
        </h3>
        <div className="chip-row">
          <HealthBadge health={e.health} />
          {breakerTripped(model, view) && <span className="badge badge-error">Circuit breaker tripped</span>}
        </div>
      </header>
      <Stats
        testId="edge-stats"
        items={
          tcp
            ? [
                ["Sent", formatBytesPerSec(e.tcpSentBytesPerSec)],
                ["Received", formatBytesPerSec(e.tcpReceivedBytesPerSec)],
                ["mTLS", e.mtls === null ? "unknown" : formatPercent(e.mtls)],
              ]
            : [
                ["Requests", `${formatRps(e.rps)} rps`],
                ["Errors", formatPercent(e.errorRate)],
                ["Share", view.share === null ? "–" : formatPercent(view.share)],
                ["mTLS", e.mtls === null ? "unknown" : formatPercent(e.mtls)],
              ]
        }
      />
      {!tcp && (
        <>
          <Section title="Latency">
            <LatencyBars view={view} />
          </Section>
          <Section title="Response codes">
            <CodeBars rows={sumBreakdown([view], (x) => x.edge.responses)} grpc={e.protocol === "grpc"} />
          </Section>
          <Section title="Response flags">
            <FlagBars rows={sumBreakdown([view], (x) => x.edge.flags)} />
          </Section>
        </>
      )}
      {view.share !== null && source && (
        <Section title={`Split of ${peerName(model, e.source)}'s requests`}>
          <ShareBars
            testId="edge-split"
            rows={(model.outbound.get(e.source) ?? [])
              .filter((o) => o.edge.protocol !== "tcp")
              .map((o) => ({ key: peerName(model, o.edge.target), value: o.edge.rps }))}
            format={(v) => `${formatRps(v)} rps`}
            colorOf={(key) => (key === peerName(model, e.target) ? "var(--graph-selected)" : "var(--graph-idle)")}
          />
        </Section>
      )}
      <nav className="side-links" aria-label="Related pages">
        {target && hasOwnPages(target.node) && (
          <Link to={tracesOfNode(target.node, time.windowSeconds)} data-testid="link-traces">
            Traces of {peerName(model, e.target)}
          </Link>
        )}
        {target && hasOwnPages(target.node) && e.errorRate > 0 && (
          <Link to={tracesOfNode(target.node, time.windowSeconds, true)} data-testid="link-error-traces">
            Error traces
          </Link>
        )}
        {source && hasOwnPages(source.node) && (
          <Link to={tracesOfNode(source.node, time.windowSeconds)}>Traces of {peerName(model, e.source)}</Link>
        )}
        {targetPage && (
          <Link to={targetPage} data-testid="link-service-page">
            Service page
          </Link>
        )}
      </nav>
    </div>
  );
}
