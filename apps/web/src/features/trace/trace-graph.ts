/**
 * The trace graph view: one node per (service, operation), an edge per parent → child pair with its call count,
 * as Jaeger's Trace Graph aggregates a trace. Laid out in layers by the shortest call depth from a root node
 * (so a call cycle such as A → B → A still gets a finite layer), ordered inside a layer by the mean position of
 * the parents (one barycentre sweep): enough for the small DAGs a trace makes, with no layout library.
 */
import type { TraceModel } from "./trace-model";

export interface GraphNode {
  key: string;
  service: string;
  operation: string;
  count: number;
  errors: number;
  totalUs: number;
  selfUs: number;
  layer: number;
  x: number;
  y: number;
}

export interface GraphEdge {
  key: string;
  from: string;
  to: string;
  calls: number;
}

export interface TraceGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
  width: number;
  height: number;
}

export const GRAPH_NODE = { width: 200, height: 64, gapX: 56, gapY: 18 };

const nodeKey = (service: string, operation: string) => `${service}\u0000${operation}`;

function aggregate(model: TraceModel, self: Float64Array) {
  const nodes = new Map<string, GraphNode>();
  const edges = new Map<string, GraphEdge>();
  const keys: string[] = new Array(model.spans.length);
  model.spans.forEach((span, i) => {
    const key = nodeKey(span.service, span.name);
    keys[i] = key;
    let node = nodes.get(key);
    if (!node) {
      node = {
        key,
        service: span.service,
        operation: span.name,
        count: 0,
        errors: 0,
        totalUs: 0,
        selfUs: 0,
        layer: 0,
        x: 0,
        y: 0,
      };
      nodes.set(key, node);
    }
    node.count++;
    if (span.status.code === "error") node.errors++;
    node.totalUs += span.duration;
    node.selfUs += self[i] ?? 0;
    const p = model.parent[i] as number;
    if (p >= 0) {
      const from = keys[p] as string;
      const edgeKey = `${from}\u0001${key}`;
      const edge = edges.get(edgeKey);
      if (edge) edge.calls++;
      else edges.set(edgeKey, { key: edgeKey, from, to: key, calls: 1 });
    }
  });
  const rootKeys = new Set<string>();
  for (let i = 0; i < model.spans.length; i = model.subtreeEnd[i] as number) rootKeys.add(keys[i] as string);
  return { nodes, edges, rootKeys };
}

/** Shortest depth from any root node, breadth first; nodes reached only through a cycle fall back to layer 0. */
function assignLayers(nodes: Map<string, GraphNode>, edges: Iterable<GraphEdge>, rootKeys: Set<string>): void {
  const out = new Map<string, string[]>();
  for (const e of edges) {
    const list = out.get(e.from);
    if (list) list.push(e.to);
    else out.set(e.from, [e.to]);
  }
  const seen = new Set<string>(rootKeys);
  let frontier = [...rootKeys];
  for (let layer = 0; frontier.length > 0; layer++) {
    const next: string[] = [];
    for (const key of frontier) {
      const node = nodes.get(key);
      if (node) node.layer = layer;
      for (const to of out.get(key) ?? []) {
        if (!seen.has(to)) {
          seen.add(to);
          next.push(to);
        }
      }
    }
    frontier = next;
  }
}

export function buildTraceGraph(model: TraceModel, self: Float64Array): TraceGraph {
  const { nodes, edges, rootKeys } = aggregate(model, self);
  assignLayers(nodes, edges.values(), rootKeys);
  const layers: GraphNode[][] = [];
  for (const node of nodes.values()) {
    const layer = layers[node.layer];
    if (layer) layer.push(node);
    else layers[node.layer] = [node];
  }
  const parentsOf = new Map<string, string[]>();
  for (const e of edges.values()) {
    const list = parentsOf.get(e.to);
    if (list) list.push(e.from);
    else parentsOf.set(e.to, [e.from]);
  }
  const rank = new Map<string, number>();
  let tallest = 0;
  layers.forEach((layer, l) => {
    const bary = (n: GraphNode) => {
      const ranks = (parentsOf.get(n.key) ?? []).map((p) => rank.get(p)).filter((r) => r !== undefined);
      return ranks.length === 0 ? Number.POSITIVE_INFINITY : ranks.reduce((a, b) => a + b, 0) / ranks.length;
    };
    layer.sort((a, b) => bary(a) - bary(b) || a.key.localeCompare(b.key));
    layer.forEach((node, r) => {
      rank.set(node.key, r);
      node.x = l * (GRAPH_NODE.width + GRAPH_NODE.gapX);
      node.y = r * (GRAPH_NODE.height + GRAPH_NODE.gapY);
    });
    tallest = Math.max(tallest, layer.length);
  });
  return {
    nodes: [...nodes.values()],
    edges: [...edges.values()],
    width: Math.max(1, layers.length) * (GRAPH_NODE.width + GRAPH_NODE.gapX) - GRAPH_NODE.gapX,
    height: Math.max(1, tallest) * (GRAPH_NODE.height + GRAPH_NODE.gapY) - GRAPH_NODE.gapY,
  };
}
