/** The graph while it is being built: edges keyed by id, each with its end nodes and the series counted on it. */
import type { GraphProtocol } from "@meshscope/model";
import type { EdgeTraffic } from "../metrics/metric-reader.js";
import type { NodeIdentity } from "./node-identity.js";

/** An edge while it is being built: its ends and the series counted on it. */
export interface RawEdge {
  source: NodeIdentity;
  target: NodeIdentity;
  protocol: GraphProtocol;
  series: EdgeTraffic[];
}

export type RawGraph = Map<string, RawEdge>;

export function edgeId(source: string, target: string, protocol: GraphProtocol): string {
  return `${source} -> ${target} (${protocol})`;
}

export function addSeries(
  graph: RawGraph,
  source: NodeIdentity,
  target: NodeIdentity,
  p: GraphProtocol,
  series: readonly EdgeTraffic[],
): void {
  const id = edgeId(source.id, target.id, p);
  let edge = graph.get(id);
  if (edge === undefined) {
    edge = { source, target, protocol: p, series: [] };
    graph.set(id, edge);
  }
  for (const s of series) edge.series.push(s);
}
