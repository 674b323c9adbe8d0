/**
 * Graph badges from mesh config, as Kiali draws them (kiali.md §1.2): a service gets a badge for each feature the
 * VirtualServices and DestinationRules for its host configure, and the app and workload nodes of that service
 * carry the same badges (a node is "of" a service when its `app` is the service's name, Kubernetes' usual
 * convention, or when the graph has an edge from the service's node to it).
 *
 * Only hosts that name one in-cluster service count (`reviews`, `reviews.bookinfo`, the FQDN); a wildcard host
 * (`*`, `*.example.com`, a gateway's VirtualService) would otherwise badge every node.
 */
import { type HTTPRoute, type MeshObject, type TrafficPolicy, toFqdn } from "@meshscope/mesh-config";
import { GRAPH_BADGES, type GraphBadge, type GraphNode, type GraphResponse } from "@meshscope/model";

/** Badges per service, keyed `namespace/service`. */
export type BadgeIndex = ReadonlyMap<string, ReadonlySet<GraphBadge>>;

const IN_CLUSTER = /^([a-z0-9-]+)\.([a-z0-9-]+)\.svc\.cluster\.local$/;

function serviceKeyOf(host: string, objectNamespace: string): string | null {
  const match = IN_CLUSTER.exec(toFqdn(host, objectNamespace));
  return match ? `${match[2]}/${match[1]}` : null;
}

function routeBadges(route: HTTPRoute): GraphBadge[] {
  const badges: GraphBadge[] = [];
  const weighted = (route.route ?? []).filter((d) => d.weight === undefined || d.weight > 0);
  if (weighted.length > 1) badges.push("trafficShifting");
  if (route.match && route.match.length > 0) badges.push("requestRouting");
  if (route.fault?.abort || route.fault?.delay) badges.push("faultInjection");
  if (route.timeout !== undefined) badges.push("requestTimeout");
  if (route.mirror || (route.mirrors && route.mirrors.length > 0)) badges.push("mirroring");
  return badges;
}

function hasCircuitBreaker(policy: TrafficPolicy | undefined): boolean {
  return policy?.connectionPool !== undefined || policy?.outlierDetection !== undefined;
}

function add(index: Map<string, Set<GraphBadge>>, key: string, badges: readonly GraphBadge[]): void {
  const set = index.get(key) ?? new Set<GraphBadge>();
  for (const b of badges) set.add(b);
  index.set(key, set);
}

export function badgeIndex(objects: readonly MeshObject[]): BadgeIndex {
  const index = new Map<string, Set<GraphBadge>>();
  for (const o of objects) {
    if (o.kind === "VirtualService") {
      const badges: GraphBadge[] = ["virtualService", ...(o.spec.http ?? []).flatMap(routeBadges)];
      for (const host of o.spec.hosts ?? []) {
        const key = serviceKeyOf(host, o.metadata.namespace);
        if (key !== null) add(index, key, badges);
      }
    } else if (o.kind === "DestinationRule") {
      const cb =
        hasCircuitBreaker(o.spec.trafficPolicy) ||
        (o.spec.subsets ?? []).some((s) => hasCircuitBreaker(s.trafficPolicy));
      const key = serviceKeyOf(o.spec.host, o.metadata.namespace);
      if (cb && key !== null) add(index, key, ["circuitBreaker"]);
    }
  }
  return index;
}

/** The services a node belongs to (see the file comment). */
function serviceKeysOf(node: GraphNode, fedBy: ReadonlyMap<string, Set<string>>): Set<string> {
  const keys = new Set<string>();
  if (node.kind === "service" && node.service !== null) keys.add(`${node.namespace}/${node.service}`);
  if (node.kind === "app" || node.kind === "workload") {
    if (node.app !== null) keys.add(`${node.namespace}/${node.app}`);
    for (const key of fedBy.get(node.id) ?? []) keys.add(key);
  }
  return keys;
}

/**
 * Badged copies of shared graphs: a frozen graph is the builder's memoised answer for a window (build-graph.ts),
 * handed to every viewer until new data arrives, so its badged copy is made once per badge index and frozen too,
 * which lets the route send its serialised bytes again instead of serialising it per request (graph-json.ts).
 */
const badged = new WeakMap<GraphResponse, { index: BadgeIndex; graph: GraphResponse }>();

/** The graph with each node's badges from the index added (GRAPH_BADGES order, no duplicates). */
export function applyBadges(graph: GraphResponse, index: BadgeIndex): GraphResponse {
  if (index.size === 0) return graph;
  if (!Object.isFrozen(graph)) return addBadges(graph, index);
  const known = badged.get(graph);
  if (known !== undefined && known.index === index) return known.graph;
  const copy = addBadges(graph, index);
  if (copy !== graph) {
    for (const n of copy.nodes) {
      Object.freeze(n.badges);
      Object.freeze(n);
    }
    Object.freeze(copy.nodes);
    Object.freeze(copy);
  }
  badged.set(graph, { index, graph: copy });
  return copy;
}

function addBadges(graph: GraphResponse, index: BadgeIndex): GraphResponse {
  const serviceNodes = new Map<string, string>();
  for (const n of graph.nodes) {
    if (n.kind === "service" && n.service !== null) serviceNodes.set(n.id, `${n.namespace}/${n.service}`);
  }
  const fedBy = new Map<string, Set<string>>();
  for (const e of graph.edges) {
    const key = serviceNodes.get(e.source);
    if (key === undefined) continue;
    const set = fedBy.get(e.target) ?? new Set<string>();
    set.add(key);
    fedBy.set(e.target, set);
  }
  const nodes = graph.nodes.map((node) => {
    const found = new Set<string>(node.badges);
    for (const key of serviceKeysOf(node, fedBy)) for (const b of index.get(key) ?? []) found.add(b);
    if (found.size === node.badges.length) return node;
    const known = GRAPH_BADGES.filter((b) => found.has(b));
    const others = node.badges.filter((b) => !known.some((k) => k === b));
    return { ...node, badges: [...known, ...others] };
  });
  return { ...graph, nodes };
}
