/**
 * Configured vs observed for one service (`GET /api/mesh/observed`): the weights, fault percentages and
 * circuit-breaker limits its VirtualService and DestinationRule set, next to what the metrics show for requests
 * into it over the window.
 *
 * - The split by version counts each request once (reporter pinning, as the graph does) and only requests that
 *   reached a version.
 * - Fault and breaker flags (FI, DI, UO, UH) are written only by the client's proxy (`reporter="source"`), so their
 *   shares are taken over the source-reported requests when a client proxy reported any.
 * - The configured route is the one unmatched requests take (the last route without `match`, else the first), the
 *   route whose weights a traffic-shifting wizard writes.
 */
import {
  type DestinationRule,
  type HTTPRoute,
  type MeshObject,
  type TrafficPolicy,
  toFqdn,
  type VirtualService,
} from "@meshscope/mesh-config";
import type { ConfiguredVsObserved } from "@meshscope/model";
import { pinReporters, responseFlagList } from "../graph/reporter-pinning.js";
import type { EdgeTraffic } from "../metrics/metric-reader.js";
import { destinationVersionOf, isInbound } from "../services/service-match.js";

export interface ObservedQuery {
  namespace: string;
  service: string;
  startUs: number;
  endUs: number;
}

function forHost<T extends VirtualService | DestinationRule>(
  objects: readonly T[],
  hosts: (o: T) => string[],
  fqdn: string,
) {
  const matching = objects.filter((o) => hosts(o).some((h) => toFqdn(h, o.metadata.namespace) === fqdn));
  // An object in the service's own namespace is the one that applies to its callers there (Istio's lookup order).
  const ns = fqdn.split(".")[1];
  return matching.find((o) => o.metadata.namespace === ns) ?? matching[0] ?? null;
}

function defaultRoute(vs: VirtualService | null): HTTPRoute | null {
  const routes = vs?.spec.http ?? [];
  return [...routes].reverse().find((r) => !r.match || r.match.length === 0) ?? routes[0] ?? null;
}

/** Configured share (0–100) per version of the route's destinations on this host; null without a route. */
function configuredWeights(
  route: HTTPRoute | null,
  vs: VirtualService | null,
  dr: DestinationRule | null,
  fqdn: string,
) {
  if (route === null || vs === null) return null;
  const destinations = (route.route ?? []).filter((d) => toFqdn(d.destination.host, vs.metadata.namespace) === fqdn);
  // Routed to the host as a whole: the config says nothing per version, so there is nothing to set beside them.
  if (destinations.every((d) => d.destination.subset === undefined)) return null;
  const weights = new Map<string, number>();
  for (const d of destinations) {
    const subset = d.destination.subset;
    const labels = dr?.spec.subsets?.find((s) => s.name === subset)?.labels;
    const version = labels?.version ?? subset ?? "all";
    // Istio: a lone destination without weight gets everything; weights are relative since 1.15.
    const weight = d.weight ?? (destinations.length === 1 ? 100 : 0);
    weights.set(version, (weights.get(version) ?? 0) + weight);
  }
  const total = [...weights.values()].reduce((a, b) => a + b, 0);
  if (total <= 0) return weights;
  for (const [v, w] of weights) weights.set(v, (w / total) * 100);
  return weights;
}

function breakerPolicy(dr: DestinationRule | null): TrafficPolicy | null {
  if (dr === null) return null;
  const has = (p: TrafficPolicy | undefined) => p?.connectionPool !== undefined || p?.outlierDetection !== undefined;
  if (has(dr.spec.trafficPolicy)) return dr.spec.trafficPolicy ?? null;
  return dr.spec.subsets?.find((s) => has(s.trafficPolicy))?.trafficPolicy ?? null;
}

function sumRps(edges: readonly EdgeTraffic[], keep: (t: EdgeTraffic) => boolean = () => true): number {
  return edges.reduce((sum, t) => (keep(t) ? sum + t.requestsPerSec : sum), 0);
}

const hasFlag = (flag: string) => (t: EdgeTraffic) => responseFlagList(t.key.responseFlags).includes(flag);

const share = (part: number, whole: number): number => (whole > 0 ? (part / whole) * 100 : 0);

export function configuredVsObserved(
  objects: readonly MeshObject[],
  edges: readonly EdgeTraffic[],
  q: ObservedQuery,
): ConfiguredVsObserved {
  const fqdn = toFqdn(q.service, q.namespace);
  const vs = forHost(
    objects.filter((o): o is VirtualService => o.kind === "VirtualService"),
    (o) => o.spec.hosts ?? [],
    fqdn,
  );
  const dr = forHost(
    objects.filter((o): o is DestinationRule => o.kind === "DestinationRule"),
    (o) => [o.spec.host],
    fqdn,
  );
  const route = defaultRoute(vs);
  const weights = configuredWeights(route, vs, dr, fqdn);

  const inbound = edges.filter((t) => isInbound(t.key, { namespace: q.namespace, service: q.service }));
  const counted = pinReporters(inbound);
  const byVersion = new Map<string, number>();
  for (const t of counted) {
    const v = destinationVersionOf(t.key);
    if (v !== null) byVersion.set(v, (byVersion.get(v) ?? 0) + t.requestsPerSec);
  }
  const reachedRps = [...byVersion.values()].reduce((a, b) => a + b, 0);
  const sourceReported = inbound.filter((t) => t.key.reporter === "source");
  const flagBase = sumRps(sourceReported) > 0 ? sourceReported : counted;
  const flagTotal = sumRps(flagBase);
  const versionNames = [...new Set([...(weights?.keys() ?? []), ...byVersion.keys()])].sort();
  const policy = breakerPolicy(dr);
  const abort = route?.fault?.abort;
  const delay = route?.fault?.delay;
  return {
    namespace: q.namespace,
    service: q.service,
    window: { start: q.startUs, end: q.endUs },
    rps: sumRps(counted),
    versions: versionNames.map((version) => ({
      version,
      configuredWeight: weights === null ? null : (weights.get(version) ?? 0),
      observedShare: share(byVersion.get(version) ?? 0, reachedRps),
      rps: byVersion.get(version) ?? 0,
    })),
    fault: {
      // Istio: a fault without `percentage` applies to every request.
      configuredAbortPercent: abort ? (abort.percentage?.value ?? 100) : null,
      configuredDelayPercent: delay ? (delay.percentage?.value ?? delay.percent ?? 100) : null,
      observedAbortShare: share(sumRps(flagBase, hasFlag("FI")), flagTotal),
      observedDelayShare: share(sumRps(flagBase, hasFlag("DI")), flagTotal),
    },
    circuitBreaker: {
      configured: policy !== null,
      maxConnections: policy?.connectionPool?.tcp?.maxConnections ?? null,
      http1MaxPendingRequests: policy?.connectionPool?.http?.http1MaxPendingRequests ?? null,
      consecutive5xxErrors: policy?.outlierDetection?.consecutive5xxErrors ?? null,
      observedUoRps: sumRps(flagBase, hasFlag("UO")),
      observedUhRps: sumRps(flagBase, hasFlag("UH")),
    },
  };
}
