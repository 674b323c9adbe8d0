/**
 * Trace-derived nodes and edges (DESIGN §4 "Spans add edges where no proxy metrics exist"): services that send
 * spans but have no Envoy in front of them (plain OpenTelemetry apps) get edges from client→server span pairs and
 * RED numbers from their server spans, marked `traceDerived: true`. Pure: no I/O.
 *
 * No double counting: a service that appears in the window's Istio metrics (as source or destination workload,
 * app, canonical service or service name) is "covered": its proxies already count its requests, so it gets no
 * trace-derived node, and no trace-derived edge touches it (a call between a mesh service and a plain one is seen
 * by the mesh side's proxy, reporter source or destination).
 */
import type { GraphEdge, GraphNode, GraphResponse, GraphType } from "@meshscope/model";
import type { EdgeKey } from "../metrics/edge-key.js";
import type { SpanEdgeSummary, SpanRed, SpanService } from "../store/span-edges.js";
import { proxySpanService } from "../traces/proxy-span-service.js";
import {
  addTally,
  DEFAULT_HEALTH_THRESHOLDS,
  emptyTally,
  type HealthThresholds,
  nodeHealth,
  type RequestTally,
  tallyHealth,
} from "./health.js";
import { type NodeIdentity, serviceNode, UNKNOWN, workloadNode } from "./node-identity.js";
import { edgeId } from "./raw-graph.js";

export interface TraceEdgeOptions {
  type: GraphType;
  /** Keep only trace edges and nodes touching these namespaces; all when absent or empty. */
  namespaces?: readonly string[];
  window: { startUs: number; endUs: number };
  thresholds?: HealthThresholds;
}

/** Names the metrics know, per namespace; `any` holds every name, for trace services without a namespace. */
interface Coverage {
  byNamespace: Set<string>;
  any: Set<string>;
}

function coverage(metricKeys: readonly EdgeKey[]): Coverage {
  const byNamespace = new Set<string>();
  const any = new Set<string>();
  const add = (ns: string, name: string) => {
    if (name === "" || name === UNKNOWN) return;
    byNamespace.add(`${ns}\0${name}`);
    any.add(name);
  };
  for (const k of metricKeys) {
    add(k.sourceNamespace, k.sourceWorkload);
    add(k.sourceNamespace, k.sourceApp);
    add(k.sourceNamespace, k.sourceCanonicalService);
    add(k.destinationServiceNamespace, k.destinationServiceName);
    add(k.destinationNamespace, k.destinationWorkload);
    add(k.destinationNamespace, k.destinationApp);
    add(k.destinationNamespace, k.destinationCanonicalService);
  }
  return { byNamespace, any };
}

function isCovered(c: Coverage, s: SpanService): boolean {
  if (s.namespace === "" ? c.any.has(s.name) : c.byNamespace.has(`${s.namespace}\0${s.name}`)) return true;
  // A sidecar's spans: the proxies the metrics already count, not a separate plain-OTel service.
  const proxy = proxySpanService(s.name);
  return proxy !== null && c.byNamespace.has(`${proxy.namespace}\0${proxy.service}`);
}

/** The node a span service becomes in each graph type: its name is the app (and workload, and service). */
export function traceServiceNode(type: GraphType, s: SpanService): NodeIdentity {
  const namespace = s.namespace === "" ? UNKNOWN : s.namespace;
  if (type === "service") return serviceNode(namespace, s.name);
  // No version: spans carry service.version only as a resource attribute, and one node per service is the point.
  return workloadNode(type, namespace, s.name, s.name, "");
}

/** Requests/s split the way the health tolerances need. */
function tallyOf(red: SpanRed, windowSec: number): RequestTally {
  const t = emptyTally();
  if (red.protocol === "grpc") {
    t.grpc = red.requests / windowSec;
    t.grpcError = red.errors / windowSec;
  } else {
    t.http = red.requests / windowSec;
    // A span with status error but no HTTP code is still a failed request: judged with the 5xx tolerance.
    t.http5xx = red.errors / windowSec;
    t.http4xx = red.clientErrors / windowSec;
  }
  return t;
}

const ms = (us: number | null): number | null => (us === null ? null : us / 1000);

interface NodeAcc {
  node: NodeIdentity;
  inbound: RequestTally;
  outbound: RequestTally;
  inboundRps: number;
  outboundRps: number;
}

/** Adds the trace-derived part to a graph built from metrics; returns a new response, sorted by id like buildGraph. */
export function mergeTraceEdges(
  graph: GraphResponse,
  /** The keys of the window's Istio traffic (its services have proxy metrics, so spans add nothing for them). */
  metricKeys: readonly EdgeKey[],
  spans: SpanEdgeSummary,
  opts: TraceEdgeOptions,
): GraphResponse {
  // No spans in the window: nothing to add (and no need to index the metrics' names).
  if (spans.edges.length === 0 && spans.services.length === 0) return graph;
  const th = opts.thresholds ?? DEFAULT_HEALTH_THRESHOLDS;
  const windowSec = Math.max((opts.window.endUs - opts.window.startUs) / 1_000_000, 1e-9);
  const covered = coverage(metricKeys);
  const filter = opts.namespaces && opts.namespaces.length > 0 ? new Set(opts.namespaces) : null;
  const inFilter = (s: SpanService) => filter === null || filter.has(s.namespace === "" ? UNKNOWN : s.namespace);
  const existing = new Set(graph.nodes.map((n) => n.id));
  const nodes = new Map<string, NodeAcc>();
  const acc = (s: SpanService): NodeAcc => {
    const node = traceServiceNode(opts.type, s);
    let a = nodes.get(node.id);
    if (a === undefined) {
      a = { node, inbound: emptyTally(), outbound: emptyTally(), inboundRps: 0, outboundRps: 0 };
      nodes.set(node.id, a);
    }
    return a;
  };

  const edges: GraphEdge[] = [];
  for (const e of spans.edges) {
    if (isCovered(covered, e.caller) || isCovered(covered, e.callee)) continue;
    if (!inFilter(e.caller) && !inFilter(e.callee)) continue;
    const src = acc(e.caller);
    const dst = acc(e.callee);
    const tally = tallyOf(e.red, windowSec);
    const rps = e.red.requests / windowSec;
    addTally(src.outbound, tally);
    src.outboundRps += rps;
    edges.push({
      id: edgeId(src.node.id, dst.node.id, e.red.protocol),
      source: src.node.id,
      target: dst.node.id,
      protocol: e.red.protocol,
      rps,
      errorRate: e.red.requests > 0 ? e.red.errors / e.red.requests : 0,
      responses: {},
      flags: {},
      p50Ms: ms(e.red.p50Us),
      p95Ms: ms(e.red.p95Us),
      p99Ms: ms(e.red.p99Us),
      mtls: null,
      tcpSentBytesPerSec: 0,
      tcpReceivedBytesPerSec: 0,
      health: tallyHealth(tally, th) ?? "idle",
      traceDerived: true,
    });
  }
  // Inbound is every server span of the service, called by a known service or not (roots count too).
  for (const s of spans.services) {
    if (isCovered(covered, s.service) || !inFilter(s.service)) continue;
    const a = acc(s.service);
    addTally(a.inbound, tallyOf(s.red, windowSec));
    a.inboundRps += s.red.requests / windowSec;
  }

  const newNodes: GraphNode[] = [];
  for (const a of nodes.values()) {
    // A node id the metrics already drew (same name and namespace seen only as a bare host) keeps its metric node.
    if (existing.has(a.node.id)) continue;
    newNodes.push({
      ...a.node,
      health: nodeHealth(a.inbound, a.outbound, false, th),
      badges: [],
      inboundRps: a.inboundRps,
      outboundRps: a.outboundRps,
      tcpInboundBytesPerSec: 0,
      tcpOutboundBytesPerSec: 0,
      traceDerived: true,
    });
  }
  const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  return {
    ...graph,
    nodes: [...graph.nodes, ...newNodes].sort(byId),
    edges: [...graph.edges, ...edges].sort(byId),
  };
}
