// Semantic checks of one VirtualService against the universe (Kiali's virtualservices checkers, Istio's
// webhook and analyzer rules; reference istio.md §4.1 and §6).
import type { ValidationMessage } from "@meshscope/model";
import { toFqdn } from "../hosts.js";
import type { Destination, HTTPMatchRequest, HTTPRoute, VirtualService } from "../objects.js";
import { validationMessage } from "./codes.js";
import { checkDurations, checkPercent, items, read } from "./fields.js";
import { destinationRulesFor, hostIsKnown, type Universe } from "./universe.js";

// Relative to one HTTP route.
const ROUTE_DURATIONS = [
  "timeout",
  "retries.perTryTimeout",
  "retries.backoff",
  "fault.delay.fixedDelay",
  "corsPolicy.maxAge",
];

export function checkVirtualService(vs: VirtualService, universe: Universe): ValidationMessage[] {
  const messages: ValidationMessage[] = [];
  messages.push(...checkGateways(vs, universe));
  const routes = vs.spec.http ?? [];
  routes.forEach((route, i) => {
    const at = `spec.http[${i}]`;
    messages.push(...checkDurations(route, at, ROUTE_DURATIONS));
    messages.push(...checkFault(route, at));
    messages.push(...checkPercent(read(route, "mirrorPercentage", "value"), `${at}.mirrorPercentage.value`));
    items(route.mirrors).forEach((m, j) => {
      messages.push(...checkPercent(read(m, "percentage", "value"), `${at}.mirrors[${j}].percentage.value`));
    });
    messages.push(...checkWeights(route, at));
    messages.push(...checkMirror(route, at, vs.metadata.namespace));
    for (const [destination, path] of destinationsOf(route, at)) {
      messages.push(...checkDestination(destination, path, vs.metadata.namespace, universe));
    }
  });
  messages.push(...checkReachability(routes));
  return messages;
}

/** Every destination of a route (routes, mirror, mirrors) with the path of its `destination`-like object. */
function destinationsOf(route: HTTPRoute, at: string): [Destination, string][] {
  const out: [Destination, string][] = [];
  (route.route ?? []).forEach((r, j) => {
    out.push([r.destination, `${at}.route[${j}].destination`]);
  });
  if (route.mirror) out.push([route.mirror, `${at}.mirror`]);
  (route.mirrors ?? []).forEach((m, j) => {
    out.push([m.destination, `${at}.mirrors[${j}].destination`]);
  });
  return out;
}

function checkDestination(d: Destination, path: string, namespace: string, universe: Universe): ValidationMessage[] {
  const messages: ValidationMessage[] = [];
  if (hostIsKnown(d.host, namespace, universe) === false) {
    const message = `host "${d.host}" is not a known service or ServiceEntry host`;
    messages.push(validationMessage("MS0106", `${path}.host`, message));
  }
  if (d.subset !== undefined) {
    const rules = destinationRulesFor(d.host, namespace, universe);
    const defined = rules.some((dr) => (dr.spec.subsets ?? []).some((s) => s.name === d.subset));
    if (!defined) {
      const where = rules.length === 0 ? "no DestinationRule exists for the host" : "its DestinationRules lack it";
      const message = `subset "${d.subset}" of host "${d.host}" is not defined: ${where}`;
      messages.push(validationMessage("MS0101", `${path}.subset`, message));
    }
  }
  return messages;
}

function checkFault(route: HTTPRoute, at: string): ValidationMessage[] {
  const messages: ValidationMessage[] = [];
  const fault = route.fault;
  if (fault === undefined) return messages;
  messages.push(...checkPercent(read(fault, "delay", "percentage", "value"), `${at}.fault.delay.percentage.value`));
  messages.push(...checkPercent(read(fault, "delay", "percent"), `${at}.fault.delay.percent`));
  messages.push(...checkPercent(read(fault, "abort", "percentage", "value"), `${at}.fault.abort.percentage.value`));
  const status = fault.abort?.httpStatus;
  // istiod's webhook (validation.go validateHTTPFaultInjectionAbort) accepts 200..599 only.
  if (typeof status === "number" && (status < 200 || status > 599)) {
    const message = `abort httpStatus ${status} is not an HTTP status Istio injects (200–599)`;
    messages.push(validationMessage("MS0105", `${at}.fault.abort.httpStatus`, message));
  }
  return messages;
}

function checkWeights(route: HTTPRoute, at: string): ValidationMessage[] {
  const destinations = route.route ?? [];
  // A lone destination without a weight takes all traffic; that is the normal case, not a finding.
  if (destinations.length === 0 || (destinations.length === 1 && destinations[0]?.weight === undefined)) return [];
  const total = destinations.reduce((sum, d) => sum + (d.weight ?? 0), 0);
  if (total === 100) return [];
  const message = `route weights sum to ${total}, not 100; Istio (≥ 1.15) splits traffic in proportion to them`;
  return [validationMessage("MS0102", `${at}.route`, message)];
}

function checkMirror(route: HTTPRoute, at: string, namespace: string): ValidationMessage[] {
  const key = (d: Destination) => `${toFqdn(d.host, namespace)}|${d.subset ?? ""}`;
  const routed = new Set((route.route ?? []).map((r) => key(r.destination)));
  const mirrors: [Destination, string][] = [];
  if (route.mirror) mirrors.push([route.mirror, `${at}.mirror`]);
  (route.mirrors ?? []).forEach((m, j) => {
    mirrors.push([m.destination, `${at}.mirrors[${j}].destination`]);
  });
  return mirrors
    .filter(([d]) => routed.has(key(d)))
    .map(([d, path]) => {
      const target = d.subset === undefined ? `host "${d.host}"` : `subset "${d.subset}" of "${d.host}"`;
      const message = `mirrors to ${target}, which this rule already routes to: the copies hit the same pods`;
      return validationMessage("MS0107", d.subset === undefined ? path : `${path}.subset`, message);
    });
}

// Conditions of an HTTPMatchRequest; `name` labels the match and `ignoreUriCase` only modifies `uri`.
const NON_CONDITIONS = new Set(["name", "ignoreUriCase"]);

/** Whether one match entry matches every request (no conditions, or `uri: {prefix: /}` alone). */
function matchesEverything(match: HTTPMatchRequest): boolean {
  const conditions = Object.keys(match).filter((k) => !NON_CONDITIONS.has(k));
  if (conditions.length === 0) return true;
  return conditions.length === 1 && read(match, "uri", "prefix") === "/" && Object.keys(match.uri ?? {}).length === 1;
}

/** A rule with no match (or a match entry that matches everything) hides every rule after it. */
function checkReachability(routes: readonly HTTPRoute[]): ValidationMessage[] {
  const catchAll = routes.findIndex((r) => items(r.match).length === 0 || (r.match ?? []).some(matchesEverything));
  if (catchAll === -1) return [];
  return routes.slice(catchAll + 1).map((_, k) => {
    const i = catchAll + 1 + k;
    const message = `rule ${i} can never match: rule ${catchAll} before it matches every request`;
    return validationMessage("MS0103", `spec.http[${i}]`, message);
  });
}

/** `spec.gateways` and `http[].match[].gateways` must name Gateways that exist (`mesh` is the sidecars). */
function checkGateways(vs: VirtualService, universe: Universe): ValidationMessage[] {
  const references: [string, string][] = (vs.spec.gateways ?? []).map((g, i) => [g, `spec.gateways[${i}]`]);
  (vs.spec.http ?? []).forEach((route, i) => {
    (route.match ?? []).forEach((m, j) => {
      items(read(m, "gateways")).forEach((g, k) => {
        if (typeof g === "string") references.push([g, `spec.http[${i}].match[${j}].gateways[${k}]`]);
      });
    });
  });
  return references
    .filter(([ref]) => ref !== "mesh" && !gatewayExists(ref, vs.metadata.namespace, universe))
    .map(([ref, path]) => validationMessage("MS0108", path, `gateway "${ref}" does not exist`));
}

/** The `<namespace>/<name>` a gateway reference written in `namespace` points to (`mesh` unchanged). */
export function gatewayKey(ref: string, namespace: string): string {
  if (ref === "mesh") return ref;
  const slash = ref.indexOf("/");
  return slash === -1 ? `${namespace}/${ref}` : ref;
}

function gatewayExists(ref: string, namespace: string, universe: Universe): boolean {
  const key = gatewayKey(ref, namespace);
  return universe.gateways.some((g) => `${g.metadata.namespace}/${g.metadata.name}` === key);
}
