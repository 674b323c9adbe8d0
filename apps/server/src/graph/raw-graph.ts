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
  const id = memoEdgeId(source.id, target.id, p);
  let edge = graph.get(id);
  if (edge === undefined) {
    edge = { source, target, protocol: p, series: [] };
    graph.set(id, edge);
  }
  for (const s of series) edge.series.push(s);
}

/** Edge ids by source, target and protocol: the same few thousand strings on every refresh of a live graph. */
const edgeIds = new Map<string, Map<string, string>>();
const MAX_MEMO_SOURCES = 100_000;

function memoEdgeId(source: string, target: string, p: GraphProtocol): string {
  let byTarget = edgeIds.get(source);
  if (byTarget === undefined) {
    if (edgeIds.size >= MAX_MEMO_SOURCES) edgeIds.clear();
    byTarget = new Map();
    edgeIds.set(source, byTarget);
  }
  const k = p === "http" ? target : `${target}\u0000${p}`;
  let id = byTarget.get(k);
  if (id === undefined) {
    id = edgeId(source, target, p);
    byTarget.set(k, id);
  }
  return id;
}
