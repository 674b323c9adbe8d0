/**
 * The API's graph (`GraphResponse`) turned into what the page draws and queries: nodes with their labels and
 * boxes, edges with their share of the source's traffic, and per-element values for find/hide. Pure: no
 * cytoscape, no DOM, so the same model feeds the canvas, the side panel, the bench and the tests.
 */
import type { GraphEdge, GraphNode, GraphResponse, GraphType } from "@meshscope/model";
import type { FindSubject } from "./find-expression";
import type { FieldValue } from "./find-fields";

export interface NodeView {
  id: string;
  node: GraphNode;
  /** The app or namespace box the node sits in, or null. */
  parent: string | null;
  /** First line of the canvas label: the version inside an app box, else the node's name. */
  label: string;
  /** HTTP + gRPC requests/s through the node: into it, or out of it for a traffic source. */
  rps: number;
  /** Fraction 0–1 of failed requests among the node's inbound (else outbound) HTTP/gRPC requests. */
  errorRate: number;
}

export interface EdgeView {
  id: string;
  edge: GraphEdge;
  /** Fraction 0–1 of the source's outbound requests of this protocol family on this edge; null for TCP. */
  share: number | null;
}

export interface BoxView {
  id: string;
  boxType: "namespace" | "app";
  label: string;
  namespace: string;
  parent: string | null;
  /** Node ids directly inside the box. */
  members: string[];
}

export interface GraphModel {
  type: GraphType;
  window: { start: number; end: number };
  nodes: NodeView[];
  edges: EdgeView[];
  boxes: BoxView[];
  nodeById: ReadonlyMap<string, NodeView>;
  edgeById: ReadonlyMap<string, EdgeView>;
  boxById: ReadonlyMap<string, BoxView>;
  inbound: ReadonlyMap<string, EdgeView[]>;
  outbound: ReadonlyMap<string, EdgeView[]>;
}

/** Istio's placeholder for labels it could not resolve: such a namespace gets no box. */
const UNKNOWN_NAMESPACE = "unknown";

export function nodeName(node: GraphNode): string {
  if (node.kind === "unknown") return "unknown";
  if (node.kind === "service" || node.kind === "external") return node.service ?? node.id;
  if (node.kind === "workload") return node.workload ?? node.app ?? node.id;
  return node.app ?? node.workload ?? node.id;
}

/** The app a node belongs to for app boxes: its app, or for an injected service node its service name. */
function appKey(node: GraphNode): string | null {
  if (node.kind === "app") return node.app;
  if (node.kind === "service") return node.service;
  return null;
}

export function namespaceBoxId(namespace: string): string {
  return `box:ns:${namespace}`;
}

export function appBoxId(namespace: string, app: string): string {
  return `box:app:${namespace}/${app}`;
}

function groupEdges(edges: EdgeView[], key: (e: GraphEdge) => string): Map<string, EdgeView[]> {
  const out = new Map<string, EdgeView[]>();
  for (const e of edges) {
    const k = key(e.edge);
    const list = out.get(k);
    if (list) list.push(e);
    else out.set(k, [e]);
  }
  return out;
}

function edgeViews(edges: GraphEdge[]): EdgeView[] {
  // Kiali's httpPercentReq: the edge's share of its source's outbound requests (TCP has no requests).
  const outboundRps = new Map<string, number>();
  for (const e of edges) {
    if (e.protocol === "tcp") continue;
    outboundRps.set(e.source, (outboundRps.get(e.source) ?? 0) + e.rps);
  }
  return edges.map((edge) => {
    const total = outboundRps.get(edge.source) ?? 0;
    return { id: edge.id, edge, share: edge.protocol === "tcp" || total <= 0 ? null : edge.rps / total };
  });
}

function errorRateOf(edges: readonly EdgeView[] | undefined): number | null {
  let rps = 0;
  let errors = 0;
  for (const e of edges ?? []) {
    if (e.edge.protocol === "tcp") continue;
    rps += e.edge.rps;
    errors += e.edge.rps * e.edge.errorRate;
  }
  return rps > 0 ? errors / rps : null;
}

/** App boxes (app and versionedApp graphs, as Kiali draws them): an app with two or more nodes gets a box. */
function appBoxes(response: GraphResponse): Map<string, BoxView> {
  const boxes = new Map<string, BoxView>();
  if (response.type !== "app" && response.type !== "versionedApp") return boxes;
  const members = new Map<string, { namespace: string; app: string; ids: string[] }>();
  for (const node of response.nodes) {
    const app = appKey(node);
    if (app === null || node.namespace === UNKNOWN_NAMESPACE) continue;
    const id = appBoxId(node.namespace, app);
    const entry = members.get(id) ?? { namespace: node.namespace, app, ids: [] };
    entry.ids.push(node.id);
    members.set(id, entry);
  }
  for (const [id, m] of members) {
    if (m.ids.length < 2) continue;
    boxes.set(id, {
      id,
      boxType: "app",
      label: m.app,
      namespace: m.namespace,
      parent: namespaceBoxId(m.namespace),
      members: m.ids,
    });
  }
  return boxes;
}

function nodeLabel(node: GraphNode, boxed: boolean): string {
  if (node.kind === "app" && node.version !== null) return boxed ? node.version : `${node.app ?? ""} ${node.version}`;
  return nodeName(node);
}

export function buildGraphModel(response: GraphResponse): GraphModel {
  const edges = edgeViews(response.edges);
  const inbound = groupEdges(edges, (e) => e.target);
  const outbound = groupEdges(edges, (e) => e.source);
  const boxById = appBoxes(response);
  const parentOf = new Map<string, string>();
  for (const box of boxById.values()) for (const id of box.members) parentOf.set(id, box.id);

  const nsMembers = new Map<string, string[]>();
  const addToNamespace = (namespace: string, id: string) => {
    const list = nsMembers.get(namespace);
    if (list) list.push(id);
    else nsMembers.set(namespace, [id]);
  };
  for (const box of boxById.values()) addToNamespace(box.namespace, box.id);

  const nodes: NodeView[] = response.nodes.map((node) => {
    let parent = parentOf.get(node.id) ?? null;
    if (parent === null && node.namespace !== UNKNOWN_NAMESPACE) {
      parent = namespaceBoxId(node.namespace);
      addToNamespace(node.namespace, node.id);
    }
    const ins = inbound.get(node.id);
    return {
      id: node.id,
      node,
      parent,
      label: nodeLabel(node, parentOf.has(node.id)),
      rps: node.inboundRps > 0 ? node.inboundRps : node.outboundRps,
      errorRate: errorRateOf(ins) ?? errorRateOf(outbound.get(node.id)) ?? 0,
    };
  });
  for (const [namespace, ids] of nsMembers) {
    const id = namespaceBoxId(namespace);
    boxById.set(id, { id, boxType: "namespace", label: namespace, namespace, parent: null, members: ids });
  }
  return {
    type: response.type,
    window: response.window,
    nodes,
    edges,
    boxes: [...boxById.values()],
    nodeById: new Map(nodes.map((n) => [n.id, n])),
    edgeById: new Map(edges.map((e) => [e.id, e])),
    boxById,
    inbound,
    outbound,
  };
}

/** Badge names the API may send (mesh config, DESIGN §4), and the find flag each answers to. */
const BADGE_FLAGS: Record<string, string> = {
  circuitBreaker: "circuitbreaker",
  faultInjection: "faultinjection",
  trafficShifting: "trafficshifting",
  virtualService: "virtualservice",
  requestRouting: "requestrouting",
  requestTimeout: "requesttimeout",
  timeout: "requesttimeout",
  mirroring: "mirroring",
};

const pct = (fraction: number) => fraction * 100;

export function nodeSubject(view: NodeView): FindSubject {
  const n = view.node;
  const flags = new Set(n.badges.map((b) => BADGE_FLAGS[b] ?? b.toLowerCase()));
  const values: Record<string, FieldValue> = {
    name: [n.app, n.service, n.workload].filter((v): v is string => v !== null).concat(nodeName(n)),
    app: n.app,
    version: n.version,
    workload: n.workload,
    service: n.service,
    namespace: n.namespace,
    node: n.kind,
    health: n.health,
    rps: view.rps,
    in: n.inboundRps,
    out: n.outboundRps,
    error: pct(view.errorRate),
    healthy: n.health === "healthy",
    degraded: n.health === "degraded",
    failure: n.health === "failure",
    idle: n.health === "idle",
    traced: n.traceDerived === true,
  };
  return {
    type: "node",
    get: (field) => (field in values ? values[field] : flags.has(field)),
  };
}

export function edgeSubject(view: EdgeView): FindSubject {
  const e = view.edge;
  const values: Record<string, FieldValue> = {
    health: e.health,
    rps: e.rps,
    error: pct(e.errorRate),
    protocol: e.protocol,
    p50: e.p50Ms,
    p95: e.p95Ms,
    p99: e.p99Ms,
    share: view.share === null ? null : pct(view.share),
    mtls: e.mtls !== null && e.mtls > 0,
    healthy: e.health === "healthy",
    degraded: e.health === "degraded",
    failure: e.health === "failure",
    idle: e.health === "idle" || (e.rps === 0 && e.tcpSentBytesPerSec + e.tcpReceivedBytesPerSec === 0),
    traced: e.traceDerived === true,
  };
  return { type: "edge", get: (field) => values[field] };
}
