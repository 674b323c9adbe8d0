/**
 * The side panel with nothing selected (Kiali's "Current graph"): counts, total traffic, and the nodes that need
 * attention as buttons, which also makes the canvas reachable from the keyboard.
 */
import { formatRps } from "./format";
import type { GraphModel } from "./graph-model";
import { nodeName } from "./graph-model";
import { HealthBadge, Section, Stats } from "./panel-parts";

const RANK: Record<string, number> = { failure: 0, degraded: 1 };
const MAX_LISTED = 12;

export function GraphSummary({ model, onSelect }: { model: GraphModel; onSelect(id: string): void }) {
  const count = (kind: string) => model.nodes.filter((n) => n.node.kind === kind).length;
  const sources = model.nodes.filter((n) => (model.inbound.get(n.id) ?? []).length === 0);
  const totalRps = sources.reduce((a, n) => a + n.node.outboundRps, 0);
  const attention = model.nodes
    .filter((n) => n.node.health === "failure" || n.node.health === "degraded")
    .sort((a, b) => (RANK[a.node.health] ?? 2) - (RANK[b.node.health] ?? 2) || b.rps - a.rps);
  return (
    <div className="side-details" data-testid="graph-summary">
      <header className="side-header">
        <p className="side-kicker">Current graph</p>
        <h3 className="side-title">Nothing selected</h3>
        <p className="muted">Click a node, an edge or an app box for its details.</p>
      </header>
      <Stats
        testId="summary-stats"
        items={[
          ["Apps", count("app")],
          ["Services", count("service")],
          ["Workloads", count("workload")],
          ["Edges", model.edges.length],
          ["Entering the mesh", `${formatRps(totalRps)} rps`],
        ]}
      />
      <Section title={attention.length > 0 ? `Needs attention (${attention.length})` : "Needs attention"}>
        {attention.length === 0 ? (
          <p className="muted">Every node with traffic is healthy.</p>
        ) : (
          <ul className="attention-list">
            {attention.slice(0, MAX_LISTED).map((n) => (
              <li key={n.id}>
                <button type="button" className="link-button" onClick={() => onSelect(n.id)}>
                  {nodeName(n.node)}
                  {n.node.version ? ` ${n.node.version}` : ""}
                </button>{" "}
                <HealthBadge health={n.node.health} />
              </li>
            ))}
          </ul>
        )}
      </Section>
    </div>
  );
}
