/** Small pieces the side panel's views share: health badge, stat rows, edge tables, code and flag bars. */
import type { ReactNode } from "react";
import { formatMs, formatPercent, formatRps } from "./format";
import type { EdgeView, GraphModel } from "./graph-model";
import type { Breakdown } from "./node-traffic";
import { peerName } from "./node-traffic";
import { ShareBars } from "./SparkChart";

const HEALTH_LABEL: Record<string, string> = {
  healthy: "Healthy",
  degraded: "Degraded",
  failure: "Failure",
  idle: "Idle",
  unknown: "No health",
};

export function HealthBadge({ health }: { health: string }) {
  return (
    <span className={`health-badge health-${health}`} data-testid="health-badge" data-health={health}>
      <span className="health-dot" aria-hidden="true" />
      {HEALTH_LABEL[health] ?? health}
    </span>
  );
}

export function Stats({ items, testId }: { items: [string, ReactNode][]; testId?: string }) {
  return (
    <dl className="graph-stats" data-testid={testId}>
      {items.map(([k, v]) => (
        <div key={k} className="graph-stat">
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}

export function Section({ title, children, testId }: { title: string; children: ReactNode; testId?: string }) {
  return (
    <section className="side-section" data-testid={testId}>
      <h4 className="side-section-title">{title}</h4>
      {children}
    </section>
  );
}

/** Envoy response flags (istio.md §2), in words. */
const FLAG_MEANING: Record<string, string> = {
  "-": "none",
  UO: "overflow (circuit breaker)",
  UH: "no healthy upstream",
  UF: "upstream connect failure",
  URX: "retry/connect limit",
  NR: "no route",
  NC: "no cluster",
  UT: "upstream timeout",
  FI: "fault abort",
  DI: "fault delay",
  DC: "downstream closed",
  UC: "upstream closed",
  LR: "local reset",
  RL: "rate limited",
  UAEX: "denied by ext auth",
};

function codeColor(code: string): string {
  if (code === "0" || code.startsWith("5")) return "var(--graph-failure)";
  if (code.startsWith("4")) return "var(--graph-degraded)";
  return "var(--graph-healthy)";
}

export function CodeBars({ rows, grpc }: { rows: Breakdown[]; grpc?: boolean }) {
  if (rows.length === 0) return <p className="muted">No responses in this window.</p>;
  return (
    <ShareBars
      testId="response-codes"
      rows={rows.map((r) => ({ key: r.key === "0" ? "no response" : r.key, value: r.rps }))}
      format={(v) => `${formatRps(v)} rps`}
      colorOf={(key) => (grpc ? (key === "0" ? "var(--graph-healthy)" : "var(--graph-failure)") : codeColor(key))}
    />
  );
}

export function FlagBars({ rows }: { rows: Breakdown[] }) {
  const flagged = rows.filter((r) => r.key !== "-");
  if (flagged.length === 0) return <p className="muted">No response flags: every request reached its upstream.</p>;
  return (
    <ShareBars
      testId="response-flags"
      rows={flagged.map((r) => ({ key: r.key, value: r.rps, label: FLAG_MEANING[r.key] ?? "" }))}
      format={(v) => `${formatRps(v)} rps`}
      colorOf={() => "var(--graph-degraded)"}
    />
  );
}

/** Inbound or outbound edges of a node: the peer, rate, errors and p95, each row selecting the edge. */
export function EdgeTable({
  model,
  edges,
  peer,
  onSelect,
  testId,
}: {
  model: GraphModel;
  edges: readonly EdgeView[];
  peer: "source" | "target";
  onSelect(id: string): void;
  testId: string;
}) {
  if (edges.length === 0) return <p className="muted">None in this window.</p>;
  const sorted = [...edges].sort((a, b) => b.edge.rps - a.edge.rps);
  return (
    <table className="data-table side-table" data-testid={testId}>
      <thead>
        <tr>
          <th scope="col">{peer === "source" ? "From" : "To"}</th>
          <th scope="col" className="num">
            rps
          </th>
          <th scope="col" className="num">
            err
          </th>
          <th scope="col" className="num">
            p95
          </th>
        </tr>
      </thead>
      <tbody>
        {sorted.map(({ id, edge }) => (
          <tr key={id}>
            <td>
              <button type="button" className="link-button" onClick={() => onSelect(id)}>
                {peerName(model, edge[peer])}
              </button>
              {edge.protocol !== "http" && <span className="muted"> {edge.protocol}</span>}
            </td>
            <td className="num">{formatRps(edge.rps)}</td>
            <td className={edge.errorRate > 0 ? "num text-error" : "num"}>{formatPercent(edge.errorRate)}</td>
            <td className="num">{edge.p95Ms === null ? "–" : formatMs(edge.p95Ms)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
