// Writing the service's VirtualService. Wizards compose: an existing VirtualService for the host (managed or not)
// is updated in place, so fault injection on a canary keeps its weights and a new canary keeps its timeouts.
import type { Destination, HTTPMatchRequest, HTTPRoute, VirtualService } from "../objects.js";
import { objectNamed, serviceVirtualService } from "./lookup.js";
import { newMetadata, updatedMetadata } from "./metadata.js";
import { type Built, built, failed, type WizardTarget } from "./target.js";

/** A destination on the service's host, written as the short name, as Istio's samples do. */
export function destination(t: WizardTarget, subset?: string): Destination {
  return subset === undefined ? { host: t.service } : { host: t.service, subset };
}

// Fields of HTTPMatchRequest that restrict what matches; `name`, `ignoreUriCase` and `statPrefix` alone do not.
const RESTRICTING = [
  "uri",
  "scheme",
  "method",
  "authority",
  "headers",
  "withoutHeaders",
  "queryParams",
  "port",
  "sourceLabels",
  "sourceNamespace",
  "gateways",
];

/** True when the route takes every request that reaches it (no match, or a match entry that restricts nothing). */
export function isCatchAll(route: HTTPRoute): boolean {
  const matches: readonly HTTPMatchRequest[] = route.match ?? [];
  return matches.length === 0 || matches.some((m) => !RESTRICTING.some((k) => Object.hasOwn(m, k)));
}

/**
 * Index of the default route: the first catch-all one, since Istio uses the first rule that matches and any
 * later rule is unreachable (IST0130). -1 when every route has a match.
 */
export function defaultRouteIndex(http: readonly HTTPRoute[]): number {
  return http.findIndex(isCatchAll);
}

/** The routes of the service's VirtualService now (none when it has no VirtualService). */
export function currentRoutes(t: WizardTarget): HTTPRoute[] {
  return [...(serviceVirtualService(t)?.spec.http ?? [])];
}

/**
 * The service's VirtualService with `http` as its routes: the existing one updated (its name, hosts, gateways,
 * tcp routes and metadata kept), or a new one named after the service for the short host.
 */
export function withHttpRoutes(t: WizardTarget, http: HTTPRoute[]): Built<VirtualService> {
  const existing = serviceVirtualService(t);
  if (existing !== undefined) {
    return built({
      ...existing,
      metadata: updatedMetadata(existing.metadata, t.wizard),
      spec: { ...existing.spec, http },
    });
  }
  const taken = objectNamed(t, "VirtualService", t.service);
  if (taken !== undefined) {
    return failed({
      path: "service",
      message: `VirtualService ${t.namespace}/${t.service} exists but routes other hosts (${(taken.spec.hosts ?? []).join(", ")}); rename it first`,
    });
  }
  return built({
    apiVersion: "networking.istio.io/v1",
    kind: "VirtualService",
    metadata: newMetadata(t.service, t.namespace, t.wizard),
    spec: { hosts: [t.service], http },
  });
}

/**
 * Applies a route-level feature (fault, timeout, retries, mirror) to EVERY route that sends traffic somewhere:
 * a feature set for "the service" must hold whichever rule a request matches (a header-matched A/B rule would
 * otherwise escape a fault meant for all callers). Redirect and direct-response routes are left alone (a fault
 * or mirror on them is rejected by Istio). Without such a route, a default route to the service is added.
 */
export function onEveryRoute(
  t: WizardTarget,
  http: readonly HTTPRoute[],
  update: (route: HTTPRoute) => HTTPRoute,
): HTTPRoute[] {
  const routing = http.some((r) => (r.route?.length ?? 0) > 0);
  const all = routing ? http : [...http, { route: [{ destination: destination(t) }] }];
  return all.map((r) => ((r.route?.length ?? 0) > 0 ? update(r) : r));
}

/** A copy of `route` without `keys` (a feature the wizard turns off). */
export function without(route: HTTPRoute, ...keys: (keyof HTTPRoute)[]): HTTPRoute {
  const copy: HTTPRoute = { ...route };
  for (const key of keys) delete copy[key];
  return copy;
}

/**
 * `route` without its mirror when the mirror targets a subset the route already sends traffic to: Envoy would
 * then duplicate requests to the same pods (a Kiali/Meshscope validation error), so a wizard that moves traffic
 * onto the mirrored version ends the mirroring instead of producing that.
 */
export function dropMirrorOntoRouted(route: HTTPRoute): HTTPRoute {
  const mirrored = route.mirror?.subset;
  if (mirrored === undefined) return route;
  const routed = (route.route ?? []).some((d) => d.destination.subset === mirrored && d.weight !== 0);
  return routed ? without(route, "mirror", "mirrorPercentage") : route;
}
