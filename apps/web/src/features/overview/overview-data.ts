/**
 * The overview's numbers, derived from `/api/services` and `/api/graph` answers. Pure, so the counts on the
 * namespace cards and the failing-edge ranking are tested without a browser.
 */
import type { GraphEdge, GraphNode, GraphResponse, HealthStatus, RedPoint, ServiceSummary } from "@meshscope/model";
import { healthRank } from "../../components/health";

export type HealthCounts = Record<HealthStatus, number>;

export interface NamespaceSummary {
  namespace: string;
  /** Services of the namespace by health. */
  counts: HealthCounts;
  /** The worst health of its services (Kiali's namespace health: worst of its items). */
  worst: HealthStatus;
  services: ServiceSummary[];
  /** Requests/s into the namespace's services. */
  inboundRps: number;
}

const emptyCounts = (): HealthCounts => ({ healthy: 0, degraded: 0, failure: 0, idle: 0, unknown: 0 });

/** One summary per namespace, sorted by name; services without a namespace are left out (they have no card). */
export function namespaceSummaries(services: readonly ServiceSummary[]): NamespaceSummary[] {
  const byNs = new Map<string, NamespaceSummary>();
  for (const s of services) {
    if (s.namespace === null) continue;
    let sum = byNs.get(s.namespace);
    if (!sum) {
      sum = { namespace: s.namespace, counts: emptyCounts(), worst: "unknown", services: [], inboundRps: 0 };
      byNs.set(s.namespace, sum);
    }
    sum.counts[s.health] += 1;
    sum.services.push(s);
    sum.inboundRps += s.inboundRps;
    if (healthRank(s.health) > healthRank(sum.worst)) sum.worst = s.health;
  }
  return [...byNs.values()].sort((a, b) => a.namespace.localeCompare(b.namespace));
}

/**
 * Sums request-rate series point by point, aligned at their ends: each series was computed at its own "now",
 * so their times differ by the milliseconds between requests while their steps match.
 */
export function sumRates(series: readonly (readonly RedPoint[])[]): number[] {
  const length = Math.max(0, ...series.map((s) => s.length));
  const out = new Array<number>(length).fill(0);
  for (const s of series) {
    const offset = length - s.length;
    s.forEach((p, i) => {
      out[offset + i] = (out[offset + i] ?? 0) + p.rps;
    });
  }
  return out;
}

export interface EdgeEnd {
  label: string;
  /** A service node (Kiali's triangle) rather than an app or workload: said, since names repeat across kinds. */
  isService: boolean;
}

export interface FailingEdge {
  edge: GraphEdge;
  source: EdgeEnd;
  target: EdgeEnd;
}

function edgeEnd(node: GraphNode | undefined, id: string): EdgeEnd {
  return { label: nodeLabel(node, id), isService: node?.kind === "service" };
}

/** A node as people name it: `reviews v2`, a workload, a service, or its id as the last resort. */
export function nodeLabel(node: GraphNode | undefined, fallback: string): string {
  if (!node) return fallback;
  if (node.kind === "service") return node.service ?? fallback;
  if (node.kind === "workload") return node.workload ?? fallback;
  if (node.kind === "app") return [node.app, node.version].filter((p) => p !== null).join(" ") || fallback;
  return node.service ?? node.workload ?? node.app ?? fallback;
}

/**
 * The edges with errors, worst ratio first (ties: busier first), at most `limit`. The ratio ranks, as in Kiali's
 * service insights; an edge failing 100% at 0.1 req/s is still the first thing to look at.
 */
export function topFailingEdges(graph: GraphResponse, limit = 5): FailingEdge[] {
  const nodes = new Map(graph.nodes.map((n) => [n.id, n]));
  return graph.edges
    .filter((e) => e.errorRate > 0)
    .sort((a, b) => b.errorRate - a.errorRate || b.rps - a.rps || a.id.localeCompare(b.id))
    .slice(0, limit)
    .map((edge) => ({
      edge,
      source: edgeEnd(nodes.get(edge.source), edge.source),
      target: edgeEnd(nodes.get(edge.target), edge.target),
    }));
}

/** The busiest services of a namespace, at most `limit`: the ones its request-rate sparkline is summed from. */
export function busiestServices(services: readonly ServiceSummary[], limit: number): ServiceSummary[] {
  return services
    .filter((s) => s.source !== "traces" && s.inboundRps > 0)
    .sort((a, b) => b.inboundRps - a.inboundRps || a.name.localeCompare(b.name))
    .slice(0, limit);
}
