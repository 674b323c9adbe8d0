/**
 * Kiali's service graph (`telemetry.ReduceToServiceGraph`): built as a workload graph with service nodes injected,
 * then each service → workload → service path becomes one service → service edge carrying the workload's
 * outbound traffic, and workload nodes disappear. Callers that nothing calls (the ingress gateway, the unknown
 * node) stay, with their edges into services, so the graph still shows where traffic enters.
 * As in Kiali, a workload behind two services lends its outbound traffic to both service edges.
 */
import { addSeries, type RawEdge, type RawGraph } from "./raw-graph.js";

export function reduceToServiceGraph(graph: RawGraph): RawGraph {
  const hasInbound = new Set<string>();
  const outbound = new Map<string, RawEdge[]>();
  for (const edge of graph.values()) {
    hasInbound.add(edge.target.id);
    const list = outbound.get(edge.source.id);
    if (list === undefined) outbound.set(edge.source.id, [edge]);
    else list.push(edge);
  }
  const isServiceLike = (kind: string) => kind === "service" || kind === "external";
  const reduced: RawGraph = new Map();
  for (const edge of graph.values()) {
    const { source, target } = edge;
    if (isServiceLike(source.kind)) {
      if (isServiceLike(target.kind)) addSeries(reduced, source, target, edge.protocol, edge.series);
      else {
        // service → workload: continue along the workload's own outbound edges.
        for (const next of outbound.get(target.id) ?? []) {
          if (isServiceLike(next.target.kind)) addSeries(reduced, source, next.target, next.protocol, next.series);
        }
      }
    } else if (!hasInbound.has(source.id)) {
      addSeries(reduced, source, target, edge.protocol, edge.series);
    }
  }
  return reduced;
}
