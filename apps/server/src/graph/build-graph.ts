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
import type { GraphEdge, GraphNode, GraphResponse, GraphType } from "@meshscope/model";
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

function nodeAcc(nodes: Map<string, NodeAcc>, node: NodeIdentity): NodeAcc {
  let acc = nodes.get(node.id);
  if (acc === undefined) {
    acc = { node, inbound: emptyTally(), outbound: emptyTally(), inboundRps: 0, outboundRps: 0, tcpIn: 0, tcpOut: 0 };
    nodes.set(node.id, acc);
  }
  return acc;
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

function computeGraph(edges: readonly EdgeTraffic[], opts: BuildGraphOptions): GraphResponse {
  const thresholds = opts.thresholds ?? DEFAULT_HEALTH_THRESHOLDS;
  let graph = rawGraph(edges, opts);
  if (opts.type === "service") graph = reduceToServiceGraph(graph);

  const nodes = new Map<string, NodeAcc>();
  const outEdges: GraphEdge[] = [];
  for (const [id, raw] of graph) {
    const m = edgeMetrics(raw.protocol, raw.series);
    const src = nodeAcc(nodes, raw.source);
    const dst = nodeAcc(nodes, raw.target);
    addTally(src.outbound, m.tally);
    addTally(dst.inbound, m.tally);
    src.outboundRps += m.rps;
    dst.inboundRps += m.rps;
    const tcp = m.tcpSentBytesPerSec + m.tcpReceivedBytesPerSec;
    src.tcpOut += tcp;
    dst.tcpIn += tcp;
    const health = raw.protocol === "tcp" ? "unknown" : (tallyHealth(m.tally, thresholds) ?? "idle");
    outEdges.push({
      id,
      source: raw.source.id,
      target: raw.target.id,
      protocol: raw.protocol,
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
    });
  }
  const outNodes: GraphNode[] = [...nodes.values()].map((acc) => ({
    ...acc.node,
    // The unknown node is many unrelated callers without identity: Kiali gives it no health.
    health:
      acc.node.kind === "unknown"
        ? "unknown"
        : nodeHealth(acc.inbound, acc.outbound, acc.tcpIn + acc.tcpOut > 0, thresholds),
    badges: [],
    inboundRps: acc.inboundRps,
    outboundRps: acc.outboundRps,
    tcpInboundBytesPerSec: acc.tcpIn,
    tcpOutboundBytesPerSec: acc.tcpOut,
  }));
  const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  return {
    window: { start: opts.window.startUs, end: opts.window.endUs },
    type: opts.type,
    nodes: outNodes.sort(byId),
    edges: outEdges.sort(byId),
  };
}
