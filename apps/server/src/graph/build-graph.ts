/**
 * The service graph from Istio edge traffic, with Kiali's semantics (DESIGN §4 "Service graph"): pure, no I/O.
 *
 *  1. pin the reporter, so each request is counted once (reporter-pinning.ts);
 *  2. map each series to a path of nodes for the graph type: caller → service → serving workload/app when service
 *     nodes are injected, caller → workload/app when not; requests that never reached a workload end at their
 *     service node; PassthroughCluster/BlackHoleCluster are external nodes and never get a node injected after them;
 *  3. the service graph is the workload graph with service nodes injected, reduced to services (service-graph.ts);
 *  4. edges and nodes get their numbers and health.
 */
import type { GraphEdge, GraphNode, GraphProtocol, GraphResponse, GraphType } from "@meshscope/model";
import type { EdgeKey } from "../metrics/edge-key.js";
import type { EdgeTraffic } from "../metrics/metric-reader.js";
import { edgeMetrics, protocolOf } from "./edge-metrics.js";
import {
  addTally,
  DEFAULT_HEALTH_THRESHOLDS,
  emptyTally,
  type HealthThresholds,
  nodeHealth,
  type RequestTally,
  tallyHealth,
} from "./health.js";
import { destinationServiceNode, destinationWorkloadNode, type NodeIdentity, sourceNode } from "./node-identity.js";
import { addSeries, type RawGraph } from "./raw-graph.js";
import { pinReporters } from "./reporter-pinning.js";
import { reduceToServiceGraph } from "./service-graph.js";

export interface BuildGraphOptions {
  type: GraphType;
  /** Keep only traffic touching these namespaces (as caller, service or workload); all when absent or empty. */
  namespaces?: readonly string[];
  injectServiceNodes: boolean;
  /** The window, µs since the epoch, echoed in the response. */
  window: { startUs: number; endUs: number };
  thresholds?: HealthThresholds;
}

/** PromQL's `> 0` in Kiali's queries: a key with no traffic in the window draws no edge. */
function hasTraffic(t: EdgeTraffic): boolean {
  return t.requestsPerSec > 0 || t.tcpSentBytesPerSec > 0 || t.tcpReceivedBytesPerSec > 0;
}

function touches(t: EdgeTraffic, namespaces: ReadonlySet<string>): boolean {
  const k = t.key;
  return (
    namespaces.has(k.sourceNamespace) ||
    namespaces.has(k.destinationServiceNamespace) ||
    namespaces.has(k.destinationNamespace)
  );
}

function rawGraph(edges: readonly EdgeTraffic[], opts: BuildGraphOptions): RawGraph {
  const nodeType: GraphType = opts.type === "service" ? "workload" : opts.type;
  const inject = opts.injectServiceNodes || opts.type === "service";
  const namespaces = opts.namespaces && opts.namespaces.length > 0 ? new Set(opts.namespaces) : null;
  const graph: RawGraph = new Map();
  for (const t of pinReporters(edges)) {
    if (!hasTraffic(t) || (namespaces !== null && !touches(t, namespaces))) continue;
    const p = protocolOf(t);
    const { source, service, workload } = pathNodes(nodeType, t.key);
    if (workload === null) addSeries(graph, source, service, p, [t]);
    else if (inject) {
      addSeries(graph, source, service, p, [t]);
      addSeries(graph, service, workload, p, [t]);
    } else addSeries(graph, source, workload, p, [t]);
  }
  return graph;
}

interface PathNodes {
  source: NodeIdentity;
  service: NodeIdentity;
  workload: NodeIdentity | null;
}

/**
 * The nodes of a key's path, per graph type, memoised on the key object: edge keys live as long as their stream
 * (metric store), so a live graph refreshed every few seconds builds each node id string once, not per refresh.
 */
const pathMemo = new Map<GraphType, WeakMap<EdgeKey, PathNodes>>();

function pathNodes(nodeType: GraphType, key: EdgeKey): PathNodes {
  let memo = pathMemo.get(nodeType);
  if (memo === undefined) {
    memo = new WeakMap();
    pathMemo.set(nodeType, memo);
  }
  let nodes = memo.get(key);
  if (nodes === undefined) {
    const service = destinationServiceNode(key);
    nodes = {
      source: sourceNode(nodeType, key),
      service,
      workload: service.kind === "external" ? null : destinationWorkloadNode(nodeType, key),
    };
    memo.set(key, nodes);
  }
  return nodes;
}

interface NodeAcc {
  node: NodeIdentity;
  inbound: RequestTally;
  outbound: RequestTally;
  inboundRps: number;
  outboundRps: number;
  tcpIn: number;
  tcpOut: number;
}

/**
 * Graphs built from frozen traffic arrays, by options. The metric store hands out one frozen array per window
 * while no new data arrives (metric-store.ts edgeTraffic), so every viewer asking for the same graph between two
 * scrapes gets the graph built once. Only frozen inputs are memoised: a caller's own array could change under
 * the same identity. Answers are frozen too, since they are shared.
 */
const graphMemo = new WeakMap<readonly EdgeTraffic[], Map<string, GraphResponse>>();
const MAX_GRAPHS_PER_INPUT = 16;

function optionsKey(opts: BuildGraphOptions): string {
  return JSON.stringify([
    opts.type,
    opts.injectServiceNodes,
    opts.namespaces && opts.namespaces.length > 0 ? [...opts.namespaces].sort() : [],
    opts.window.startUs,
    opts.window.endUs,
    opts.thresholds ?? null,
  ]);
}

export function buildGraph(edges: readonly EdgeTraffic[], opts: BuildGraphOptions): GraphResponse {
  if (!Object.isFrozen(edges)) return computeGraph(edges, opts);
  const key = optionsKey(opts);
  let byOptions = graphMemo.get(edges);
  const known = byOptions?.get(key);
  if (known !== undefined) return known;
  const graph = freezeGraph(computeGraph(edges, opts));
  if (byOptions === undefined || byOptions.size >= MAX_GRAPHS_PER_INPUT) {
    byOptions = new Map();
    graphMemo.set(edges, byOptions);
  }
  byOptions.set(key, graph);
  return graph;
}

/** Freezes a graph answer all the way down (it is shared between requests; see graphMemo). */
export function freezeGraph(graph: GraphResponse): GraphResponse {
  for (const n of graph.nodes) {
    Object.freeze(n.badges);
    Object.freeze(n);
  }
  for (const e of graph.edges) {
    Object.freeze(e.responses);
    Object.freeze(e.flags);
    Object.freeze(e);
  }
  Object.freeze(graph.nodes);
  Object.freeze(graph.edges);
  Object.freeze(graph.window);
  return Object.freeze(graph);
}

/**
 * The shape of a graph: which input rows feed which edge, and the nodes. It depends only on the input's edge keys,
 * which of them carry traffic, their protocol and the options (type, service nodes, namespaces) — not on the
 * numbers. A live graph asks for a new window every few seconds over the same keys, so the shape (reporter
 * pinning, node paths, the service-graph reduction, ids and their sort) is worked out once and reused while the
 * input rows keep the same keys in the same order; only the numbers are recomputed.
 */
interface GraphPlan {
  /** The input this plan was made for: key object and traffic class (trafficClass) of each row, by position. */
  readonly keys: readonly EdgeKey[];
  readonly classes: Uint8Array;
  readonly edges: readonly PlanEdge[];
  /** Indices into `edges` in id order (the answer's order). */
  readonly edgeOrder: Int32Array;
  /** In the order the numbers are added up (first seen along `edges`); `nodeOrder` gives the answer's order. */
  readonly nodes: readonly NodeIdentity[];
  readonly nodeOrder: Int32Array;
}

interface PlanEdge {
  readonly id: string;
  readonly source: NodeIdentity;
  readonly target: NodeIdentity;
  readonly sourceNode: number;
  readonly targetNode: number;
  readonly protocol: GraphProtocol;
  /** Input row positions, in the order the rows are summed. */
  readonly rows: Int32Array;
}

const PROTOCOL_CLASS: Record<GraphProtocol, number> = { http: 1, grpc: 2, tcp: 3 };

/** 0 for a row that draws nothing (no traffic), else its protocol: what the plan depends on besides the key. */
function trafficClass(t: EdgeTraffic): number {
  return hasTraffic(t) ? PROTOCOL_CLASS[protocolOf(t)] : 0;
}

/** The latest plan per shape option set (graph type, service nodes, namespaces). */
const plans = new Map<string, GraphPlan>();
const MAX_PLANS = 32;

function shapeKey(opts: BuildGraphOptions): string {
  return JSON.stringify([
    opts.type,
    opts.injectServiceNodes,
    opts.namespaces && opts.namespaces.length > 0 ? [...opts.namespaces].sort() : [],
  ]);
}

function planFits(plan: GraphPlan, edges: readonly EdgeTraffic[]): boolean {
  if (plan.keys.length !== edges.length) return false;
  for (let i = 0; i < edges.length; i++) {
    const t = edges[i];
    if (t === undefined || t.key !== plan.keys[i] || trafficClass(t) !== plan.classes[i]) return false;
  }
  return true;
}

function graphPlan(edges: readonly EdgeTraffic[], opts: BuildGraphOptions): GraphPlan {
  const shape = shapeKey(opts);
  const known = plans.get(shape);
  if (known !== undefined && planFits(known, edges)) return known;
  const plan = makePlan(edges, opts);
  if (!plans.has(shape) && plans.size >= MAX_PLANS) plans.clear();
  plans.set(shape, plan);
  return plan;
}

function makePlan(edges: readonly EdgeTraffic[], opts: BuildGraphOptions): GraphPlan {
  let graph = rawGraph(edges, opts);
  if (opts.type === "service") graph = reduceToServiceGraph(graph);
  const position = new Map<EdgeTraffic, number>();
  for (let i = 0; i < edges.length; i++) position.set(edges[i] as EdgeTraffic, i);
  const nodeIndex = new Map<string, number>();
  const nodes: NodeIdentity[] = [];
  const nodeOf = (n: NodeIdentity): number => {
    let i = nodeIndex.get(n.id);
    if (i === undefined) {
      i = nodes.length;
      nodes.push(n);
      nodeIndex.set(n.id, i);
    }
    return i;
  };
  const planEdges: PlanEdge[] = [];
  for (const [id, raw] of graph) {
    const sourceNode = nodeOf(raw.source);
    const targetNode = nodeOf(raw.target);
    planEdges.push({
      id,
      source: raw.source,
      target: raw.target,
      sourceNode,
      targetNode,
      protocol: raw.protocol,
      rows: Int32Array.from(raw.series, (t) => position.get(t) ?? -1),
    });
  }
  const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const edgeOrder = Int32Array.from(planEdges.keys()).sort((a, b) =>
    byId(planEdges[a] as PlanEdge, planEdges[b] as PlanEdge),
  );
  const nodeOrder = Int32Array.from(nodes.keys()).sort((a, b) =>
    byId(nodes[a] as NodeIdentity, nodes[b] as NodeIdentity),
  );
  return {
    keys: edges.map((t) => t.key),
    classes: Uint8Array.from(edges, trafficClass),
    edges: planEdges,
    edgeOrder,
    nodes,
    nodeOrder,
  };
}

function computeGraph(edges: readonly EdgeTraffic[], opts: BuildGraphOptions): GraphResponse {
  const thresholds = opts.thresholds ?? DEFAULT_HEALTH_THRESHOLDS;
  const plan = graphPlan(edges, opts);

  const nodes: NodeAcc[] = plan.nodes.map((node) => ({
    node,
    inbound: emptyTally(),
    outbound: emptyTally(),
    inboundRps: 0,
    outboundRps: 0,
    tcpIn: 0,
    tcpOut: 0,
  }));
  const outEdges: GraphEdge[] = new Array(plan.edges.length);
  plan.edges.forEach((pe, i) => {
    const series: EdgeTraffic[] = new Array(pe.rows.length);
    for (let r = 0; r < pe.rows.length; r++) series[r] = edges[pe.rows[r] ?? -1] as EdgeTraffic;
    const m = edgeMetrics(pe.protocol, series);
    const src = nodes[pe.sourceNode] as NodeAcc;
    const dst = nodes[pe.targetNode] as NodeAcc;
    addTally(src.outbound, m.tally);
    addTally(dst.inbound, m.tally);
    src.outboundRps += m.rps;
    dst.inboundRps += m.rps;
    const tcp = m.tcpSentBytesPerSec + m.tcpReceivedBytesPerSec;
    src.tcpOut += tcp;
    dst.tcpIn += tcp;
    const health = pe.protocol === "tcp" ? "unknown" : (tallyHealth(m.tally, thresholds) ?? "idle");
    outEdges[i] = {
      id: pe.id,
      source: pe.source.id,
      target: pe.target.id,
      protocol: pe.protocol,
      rps: m.rps,
      errorRate: m.errorRate,
      responses: m.responses,
      flags: m.flags,
      p50Ms: m.p50Ms,
      p95Ms: m.p95Ms,
      p99Ms: m.p99Ms,
      mtls: m.mtls,
      tcpSentBytesPerSec: m.tcpSentBytesPerSec,
      tcpReceivedBytesPerSec: m.tcpReceivedBytesPerSec,
      health,
    };
  });
  const outNodes: GraphNode[] = Array.from(plan.nodeOrder, (i) => {
    const acc = nodes[i] as NodeAcc;
    const n = acc.node;
    // Listed rather than spread: one object shape for every node, made without a generic copy (2,000 per graph).
    return {
      id: n.id,
      kind: n.kind,
      namespace: n.namespace,
      app: n.app,
      version: n.version,
      workload: n.workload,
      service: n.service,
      // The unknown node is many unrelated callers without identity: Kiali gives it no health.
      health:
        n.kind === "unknown"
          ? "unknown"
          : nodeHealth(acc.inbound, acc.outbound, acc.tcpIn + acc.tcpOut > 0, thresholds),
      badges: [],
      inboundRps: acc.inboundRps,
      outboundRps: acc.outboundRps,
      tcpInboundBytesPerSec: acc.tcpIn,
      tcpOutboundBytesPerSec: acc.tcpOut,
    };
  });
  return {
    window: { start: opts.window.startUs, end: opts.window.endUs },
    type: opts.type,
    nodes: outNodes,
    edges: Array.from(plan.edgeOrder, (i) => outEdges[i] as GraphEdge),
  };
}
