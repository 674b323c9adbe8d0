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
import type { EdgeTraffic, TrafficTable } from "../metrics/metric-reader.js";
import { rowsOf, tableOfRows } from "../metrics/traffic-accumulator.js";
import { codeRank } from "./code-records.js";
import { EdgeSums, finiteOrNull, keyClass, protocolOf, protocolOfKey, responseKey } from "./edge-metrics.js";
import {
  addTallyAt,
  DEFAULT_HEALTH_THRESHOLDS,
  directionsHealth,
  type HealthThresholds,
  TALLY_SIZE,
  tallyHealth,
  tallyHealthAt,
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
  /**
   * The caller serialises the answer at once and drops it (the live graph, within one request): the objects of the
   * last transient answer of the same shape are then updated in place rather than made anew (LiveAnswer), so that
   * answer must no longer be read. Ignored for a frozen (shared) input, whose answer is memoised and frozen.
   */
  transient?: boolean;
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

/** The window's traffic as the metric store gives it: rows, or the same as columns (TrafficTable). */
export type GraphInput = readonly EdgeTraffic[] | TrafficTable;

/**
 * Graphs built from frozen traffic, by options. The metric store hands out one frozen table per replayed window
 * while no new data arrives (metric-store.ts edgeTrafficTable), so every viewer asking for the same graph between
 * two scrapes gets the graph built once. Only frozen inputs are memoised: a caller's own input could change under
 * the same identity. Answers are frozen too, since they are shared.
 */
const graphMemo = new WeakMap<TrafficTable, Map<string, GraphResponse>>();
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

export function buildGraph(input: GraphInput, opts: BuildGraphOptions): GraphResponse {
  // Rows (tests, callers with their own rows) become a table; a frozen array keeps one table, so it memoises too.
  const table = Array.isArray(input) ? tableOfRows(input as readonly EdgeTraffic[]) : (input as TrafficTable);
  if (!Object.isFrozen(table)) return computeGraph(table, opts, opts.transient === true);
  const key = optionsKey(opts);
  let byOptions = graphMemo.get(table);
  const known = byOptions?.get(key);
  if (known !== undefined) return known;
  const graph = freezeGraph(computeGraph(table, opts, false));
  if (byOptions === undefined || byOptions.size >= MAX_GRAPHS_PER_INPUT) {
    byOptions = new Map();
    graphMemo.set(table, byOptions);
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
 * The shape of a graph: which input slots feed which edge, and the nodes. It depends only on the input's edge keys,
 * which of them carry traffic, their protocol and the options (type, service nodes, namespaces) — not on the
 * numbers. A live graph asks for a new window every few seconds over the same keys, so the shape (reporter
 * pinning, node paths, the service-graph reduction, ids and their sort, each key's error classes) is worked out
 * once and reused while the input keeps the same keys in the same order; only the numbers are recomputed.
 */
interface GraphPlan {
  /** The input this plan was made for: key object and traffic class (trafficClass) of each slot. */
  readonly keys: readonly EdgeKey[];
  readonly classes: Uint8Array;
  /** labelledClass of each slot's key. */
  readonly labelled: Uint8Array;
  /** keyClass(key).bits of each slot, looked up once. */
  readonly classBits: Uint8Array;
  readonly edges: readonly PlanEdge[];
  /** Indices into `edges` in id order (the answer's order). */
  readonly edgeOrder: Int32Array;
  /** In the order the numbers are added up (first seen along `edges`); `nodeOrder` gives the answer's order. */
  readonly nodes: readonly NodeIdentity[];
  readonly nodeOrder: Int32Array;
}

interface PlanEdge {
  readonly id: string;
  readonly sourceId: string;
  readonly targetId: string;
  readonly sourceNode: number;
  readonly targetNode: number;
  readonly protocol: GraphProtocol;
  /** Input slots, in the order they are summed. */
  readonly rows: Int32Array;
  /** The edge's response and flag keys, and each row's index in them (EdgeSums.add). */
  readonly responseKeys: readonly string[];
  /** codeRank of each response key (code-records.ts). */
  readonly responseRanks: Int32Array;
  readonly flagKeys: readonly string[];
  readonly rowResponse: Int32Array;
  readonly rowFlag: Int32Array;
}

const PROTOCOL_CLASS: Record<GraphProtocol, number> = { http: 1, grpc: 2, tcp: 3 };

/** 0 for a slot that draws nothing (no traffic), else its protocol: what the plan depends on besides the key. */
function trafficClass(table: TrafficTable, slot: number): number {
  const s = table.scalars;
  const o = slot * 9;
  const requests = s[o] ?? 0;
  const tcpBytes = (s[o + 5] ?? 0) + (s[o + 6] ?? 0);
  // hasTraffic, as a sum: rates are never negative.
  if (!(requests > 0 || tcpBytes > 0)) return 0;
  return PROTOCOL_CLASS[protocolOfKey(table.keys[slot] as EdgeKey, requests, tcpBytes)];
}

/**
 * The protocol class a key always has when it carries traffic (its request_protocol label says), or 0 when that
 * depends on the numbers (protocolOfKey infers TCP for a key without the label). Lets planFits check a slot without
 * reading its key object: tens of thousands of them, scattered in memory.
 */
function labelledClass(key: EdgeKey): number {
  const p = key.requestProtocol;
  return p === "http" || p === "grpc" || p === "tcp" ? PROTOCOL_CLASS[p] : 0;
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

function planFits(plan: GraphPlan, table: TrafficTable): boolean {
  const { keys, scalars } = table;
  const { labelled, classes } = plan;
  if (plan.keys.length !== keys.length) return false;
  for (let i = 0; i < keys.length; i++) {
    if (keys[i] !== plan.keys[i]) return false;
    const fixed = labelled[i] as number;
    if (fixed === 0) {
      if (trafficClass(table, i) !== classes[i]) return false;
      continue;
    }
    // trafficClass for a labelled key: its class when it has traffic, else 0.
    const o = i * 9;
    const traffic = (scalars[o] ?? 0) > 0 || (scalars[o + 5] ?? 0) + (scalars[o + 6] ?? 0) > 0;
    if ((traffic ? fixed : 0) !== classes[i]) return false;
  }
  return true;
}

function graphPlan(table: TrafficTable, opts: BuildGraphOptions): GraphPlan {
  const shape = shapeKey(opts);
  const known = plans.get(shape);
  if (known !== undefined && planFits(known, table)) return known;
  const plan = makePlan(table, opts);
  if (!plans.has(shape) && plans.size >= MAX_PLANS) plans.clear();
  plans.set(shape, plan);
  return plan;
}

/**
 * One string object per breakdown key ("200", "-"), as V8 keeps property names: each edge key carries its own copy
 * of its code (decoded from its own series), and every record of every refresh used that copy as a property name,
 * which V8 looks up in its string table first; scattered copies also cost a cache miss each (measured: ~1 ms per
 * graph of 6,000 edges).
 */
const canonicalKeys = new Map<string, string>();
const MAX_CANONICAL_KEYS = 10_000;

function canonicalKey(key: string): string {
  let known = canonicalKeys.get(key);
  if (known === undefined) {
    if (canonicalKeys.size >= MAX_CANONICAL_KEYS) canonicalKeys.clear();
    // A property name is the internalized string itself.
    known = Object.keys({ [key]: 0 })[0] ?? key;
    canonicalKeys.set(key, known);
  }
  return known;
}

function makePlan(table: TrafficTable, opts: BuildGraphOptions): GraphPlan {
  const edges = rowsOf(table);
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
    const responseKeys: string[] = [];
    const flagKeys: string[] = [];
    const indexIn = (list: string[], key: string): number => {
      const i = list.indexOf(key);
      return i >= 0 ? i : list.push(canonicalKey(key)) - 1;
    };
    const classes = raw.series.map((t) => keyClass(t.key));
    // These fill the key lists.
    const rowResponse = Int32Array.from(classes, (c) => indexIn(responseKeys, responseKey(raw.protocol, c)));
    const rowFlag = Int32Array.from(classes, (c) => indexIn(flagKeys, c.flag));
    planEdges.push({
      id,
      sourceId: raw.source.id,
      targetId: raw.target.id,
      sourceNode,
      targetNode,
      protocol: raw.protocol,
      rows: Int32Array.from(raw.series, (t) => position.get(t) ?? -1),
      responseKeys,
      flagKeys,
      rowResponse,
      rowFlag,
      responseRanks: Int32Array.from(responseKeys, codeRank),
    });
  }
  const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const edgeOrder = Int32Array.from(planEdges.keys()).sort((a, b) =>
    byId(planEdges[a] as PlanEdge, planEdges[b] as PlanEdge),
  );
  const nodeOrder = Int32Array.from(nodes.keys()).sort((a, b) =>
    byId(nodes[a] as NodeIdentity, nodes[b] as NodeIdentity),
  );
  const keys = table.keys.slice();
  return {
    keys,
    classes: Uint8Array.from(keys, (_, i) => trafficClass(table, i)),
    labelled: Uint8Array.from(keys, labelledClass),
    classBits: Uint8Array.from(keys, (k) => keyClass(k).bits),
    edges: planEdges,
    edgeOrder,
    nodes,
    nodeOrder,
  };
}

/** Where each edge is summed: one for all graphs (a build is synchronous). */
const sums = new EdgeSums();

/** Per node, in TALLY_SIZE-number tallies (health.ts addTallyAt): inbound at 2n, outbound at 2n + 1. */
const NODE_NUMBERS = 4;
const IN_RPS = 0;
const OUT_RPS = 1;
const TCP_IN = 2;
const TCP_OUT = 3;

/** The nodes' columns, reused graph after graph like `sums` (new typed arrays each time add to V8's GC pressure). */
let nodeTallies: Float64Array = new Float64Array(0);
let nodeSums: Float64Array = new Float64Array(0);

/** `a` cleared to its first `n` numbers, or a new array when it is shorter. */
function zeroed(a: Float64Array, n: number): Float64Array {
  if (a.length < n) return new Float64Array(n * 2);
  a.fill(0, 0, n);
  return a;
}

/**
 * The objects of the last transient answer of a plan (BuildGraphOptions.transient), updated in place by the next
 * one: a live graph of 6,000 edges is otherwise 4–5 MB of new objects per request (edges, their two records,
 * nodes), which filled V8's young generation every two or three requests and was copied by the collections that
 * landed inside a build (measured: +5–12 ms on those requests).
 */
interface LiveAnswer {
  /** In plan order. */
  readonly edges: GraphEdge[];
  /** In answer order (nodeOrder, edgeOrder). */
  readonly nodes: GraphNode[];
  readonly sortedEdges: GraphEdge[];
  /** Breakdown.signature of each edge's records: a record is refilled only when its keys are the same. */
  readonly responseSigs: Float64Array;
  readonly flagSigs: Float64Array;
}

const liveAnswers = new WeakMap<GraphPlan, LiveAnswer>();
/** Plans with a live answer, oldest first: a few graph shapes are live at a time; older answers are let go. */
const livePlans: GraphPlan[] = [];
const MAX_LIVE_ANSWERS = 4;

function keepLiveAnswer(plan: GraphPlan, answer: LiveAnswer): void {
  liveAnswers.set(plan, answer);
  livePlans.push(plan);
  if (livePlans.length > MAX_LIVE_ANSWERS) liveAnswers.delete(livePlans.shift() as GraphPlan);
}

/**
 * An edge with its identity, every field in the answer's order and its numbers still to be filled (computeGraph).
 * Listed rather than spread: one object shape for every edge and node, made without a generic copy.
 */
function newEdge(pe: PlanEdge): GraphEdge {
  return {
    id: pe.id,
    source: pe.sourceId,
    target: pe.targetId,
    protocol: pe.protocol,
    rps: 0,
    errorRate: 0,
    responses: {},
    flags: {},
    p50Ms: null,
    p95Ms: null,
    p99Ms: null,
    mtls: null,
    tcpSentBytesPerSec: 0,
    tcpReceivedBytesPerSec: 0,
    health: "idle",
  };
}

function newNode(n: NodeIdentity): GraphNode {
  return {
    id: n.id,
    kind: n.kind,
    namespace: n.namespace,
    app: n.app,
    version: n.version,
    workload: n.workload,
    service: n.service,
    health: "idle",
    badges: [],
    inboundRps: 0,
    outboundRps: 0,
    tcpInboundBytesPerSec: 0,
    tcpOutboundBytesPerSec: 0,
  };
}

function computeGraph(table: TrafficTable, opts: BuildGraphOptions, transient: boolean): GraphResponse {
  const thresholds = opts.thresholds ?? DEFAULT_HEALTH_THRESHOLDS;
  const plan = graphPlan(table, opts);
  const { scalars, les, rateAt, rates } = table;
  const classBits = plan.classBits;
  const edgeCount = plan.edges.length;
  // The nodes' sums as columns: two tallies and four rates per node, no objects (thousands of nodes per graph).
  const nodeCount = plan.nodes.length;
  const tallies = zeroed(nodeTallies, nodeCount * 2 * TALLY_SIZE);
  nodeTallies = tallies;
  const nodeNumbers = zeroed(nodeSums, nodeCount * NODE_NUMBERS);
  nodeSums = nodeNumbers;
  const live = transient ? liveAnswers.get(plan) : undefined;
  // Signatures are kept for a transient answer only: it is the one a later answer may update.
  const responseSigs = live?.responseSigs ?? (transient ? new Float64Array(edgeCount) : null);
  const flagSigs = live?.flagSigs ?? (transient ? new Float64Array(edgeCount) : null);

  const outEdges: GraphEdge[] = live?.edges ?? new Array(edgeCount);
  for (let e = 0; e < edgeCount; e++) {
    const pe = plan.edges[e] as PlanEdge;
    sums.begin(pe.protocol, pe.responseKeys, pe.flagKeys, pe.responseRanks);
    const { rows, rowResponse, rowFlag } = pe;
    for (let r = 0; r < rows.length; r++) {
      const slot = rows[r] as number;
      const o = slot * 9;
      sums.add(
        classBits[slot] ?? 0,
        rowResponse[r] ?? 0,
        rowFlag[r] ?? 0,
        scalars[o] ?? 0,
        scalars[o + 5] ?? 0,
        scalars[o + 6] ?? 0,
      );
      sums.addBuckets(les[slot] as readonly number[], rates, rateAt[slot] ?? 0);
    }
    const rps = sums.edgeRps;
    const tally = sums.tally;
    const src = pe.sourceNode;
    const dst = pe.targetNode;
    addTallyAt(tallies, (2 * src + 1) * TALLY_SIZE, tally);
    addTallyAt(tallies, 2 * dst * TALLY_SIZE, tally);
    const tcp = sums.tcpSent + sums.tcpReceived;
    nodeNumbers[src * NODE_NUMBERS + OUT_RPS] = (nodeNumbers[src * NODE_NUMBERS + OUT_RPS] ?? 0) + rps;
    nodeNumbers[dst * NODE_NUMBERS + IN_RPS] = (nodeNumbers[dst * NODE_NUMBERS + IN_RPS] ?? 0) + rps;
    nodeNumbers[src * NODE_NUMBERS + TCP_OUT] = (nodeNumbers[src * NODE_NUMBERS + TCP_OUT] ?? 0) + tcp;
    nodeNumbers[dst * NODE_NUMBERS + TCP_IN] = (nodeNumbers[dst * NODE_NUMBERS + TCP_IN] ?? 0) + tcp;
    const health = pe.protocol === "tcp" ? "unknown" : (tallyHealth(tally, thresholds) ?? "idle");
    const q = sums.quantiles();
    // A new edge starts with its identity and empty records; then the same assignments fill a new edge and update
    // the last live answer's (assigning keeps a property's place, so the JSON keeps its order).
    let edge = live?.edges[e];
    if (edge === undefined) {
      edge = newEdge(pe);
      outEdges[e] = edge;
    }
    edge.rps = rps;
    edge.errorRate = sums.errorRate;
    // A record is refilled when the same keys got requests in the same order; else made anew.
    const responseSig = sums.responseSignature();
    if (responseSig >= 0 && responseSig === responseSigs?.[e]) sums.refillResponses(edge.responses);
    else edge.responses = sums.responses();
    const flagSig = sums.flagSignature();
    if (flagSig >= 0 && flagSig === flagSigs?.[e]) sums.refillFlags(edge.flags);
    else edge.flags = sums.flags();
    if (responseSigs !== null) responseSigs[e] = responseSig;
    if (flagSigs !== null) flagSigs[e] = flagSig;
    edge.p50Ms = finiteOrNull(q[0]);
    edge.p95Ms = finiteOrNull(q[1]);
    edge.p99Ms = finiteOrNull(q[2]);
    edge.mtls = sums.mtls;
    edge.tcpSentBytesPerSec = sums.tcpSent;
    edge.tcpReceivedBytesPerSec = sums.tcpReceived;
    edge.health = health;
  }
  const outNodes: GraphNode[] = live?.nodes ?? new Array(nodeCount);
  for (let k = 0; k < nodeCount; k++) {
    const i = plan.nodeOrder[k] as number;
    const n = plan.nodes[i] as NodeIdentity;
    const at = i * NODE_NUMBERS;
    const tcpIn = nodeNumbers[at + TCP_IN] ?? 0;
    const tcpOut = nodeNumbers[at + TCP_OUT] ?? 0;
    let node = live?.nodes[k];
    if (node === undefined) {
      node = newNode(n);
      outNodes[k] = node;
    }
    // The unknown node is many unrelated callers without identity: Kiali gives it no health.
    node.health =
      n.kind === "unknown"
        ? "unknown"
        : directionsHealth(
            tallyHealthAt(tallies, 2 * i * TALLY_SIZE, thresholds),
            tallyHealthAt(tallies, (2 * i + 1) * TALLY_SIZE, thresholds),
            tcpIn + tcpOut > 0,
          );
    node.inboundRps = nodeNumbers[at + IN_RPS] ?? 0;
    node.outboundRps = nodeNumbers[at + OUT_RPS] ?? 0;
    node.tcpInboundBytesPerSec = tcpIn;
    node.tcpOutboundBytesPerSec = tcpOut;
  }
  let sortedEdges = live?.sortedEdges;
  if (sortedEdges === undefined) {
    sortedEdges = new Array(edgeCount);
    for (let k = 0; k < edgeCount; k++) sortedEdges[k] = outEdges[plan.edgeOrder[k] as number] as GraphEdge;
  }
  if (transient && live === undefined && responseSigs !== null && flagSigs !== null) {
    keepLiveAnswer(plan, { edges: outEdges, nodes: outNodes, sortedEdges, responseSigs, flagSigs });
  }
  return {
    window: { start: opts.window.startUs, end: opts.window.endUs },
    type: opts.type,
    nodes: outNodes,
    edges: sortedEdges,
  };
}
