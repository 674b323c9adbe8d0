// VirtualService HTTP routing in the client proxy (virtual_service.proto, istio.md §4.1): routes are tried in
// order and the first whose match list matches wins (entries of `match` are OR-ed, fields inside one entry are
// AND-ed; no `match` matches everything). Destination weights are relative (Istio ≥ 1.15 divides by their sum).

import {
  type Destination,
  type HTTPMatchRequest,
  type HTTPRoute,
  type StringMatch,
  toFqdn,
  type VirtualService,
} from "@meshscope/mesh-config";
import type { Prng } from "./prng.js";

export interface RequestAttrs {
  /** Path as sent, query string included. */
  path: string;
  method: string;
  /** Lower-case header names. */
  headers: Readonly<Record<string, string>>;
  sourceLabels: Readonly<Record<string, string>>;
  sourceNamespace: string;
  port: number;
}

export interface RouteMatch {
  vs: VirtualService;
  route: HTTPRoute;
}

// A memo of a pure compile step (patterns come from config and repeat on every request); nothing depends on it.
const regexCache = new Map<string, RegExp | null>();

/** RE2 patterns in Istio match the whole value; an invalid pattern matches nothing (Istio would reject it). */
function fullRegex(pattern: string): RegExp | null {
  let re = regexCache.get(pattern);
  if (re === undefined) {
    try {
      re = new RegExp(`^(?:${pattern})$`);
    } catch {
      re = null;
    }
    regexCache.set(pattern, re);
  }
  return re;
}

export function stringMatches(m: StringMatch, value: string | undefined, ignoreCase = false): boolean {
  if (value === undefined) return false;
  const v = ignoreCase ? value.toLowerCase() : value;
  const lower = (s: string) => (ignoreCase ? s.toLowerCase() : s);
  if (m.exact !== undefined) return v === lower(m.exact);
  if (m.prefix !== undefined) return v.startsWith(lower(m.prefix));
  if (m.regex !== undefined) return fullRegex(m.regex)?.test(v) ?? false;
  // `{}` tests presence (headers); for other fields an empty match is satisfied by any value.
  return true;
}

function splitPath(path: string): { uri: string; query: URLSearchParams } {
  const q = path.indexOf("?");
  return q < 0
    ? { uri: path, query: new URLSearchParams() }
    : { uri: path.slice(0, q), query: new URLSearchParams(path.slice(q + 1)) };
}

function matchEntry(m: HTTPMatchRequest, req: RequestAttrs): boolean {
  const { uri, query } = splitPath(req.path);
  if (m.uri && !stringMatches(m.uri, uri, m.ignoreUriCase === true)) return false;
  if (m.method && !stringMatches(m.method, req.method)) return false;
  if (m.port !== undefined && m.port !== req.port) return false;
  if (m.sourceNamespace !== undefined && m.sourceNamespace !== req.sourceNamespace) return false;
  for (const [k, v] of Object.entries(m.sourceLabels ?? {})) if (req.sourceLabels[k] !== v) return false;
  for (const [name, sm] of Object.entries(m.headers ?? {}))
    if (!stringMatches(sm, req.headers[name.toLowerCase()])) return false;
  for (const [name, sm] of Object.entries(m.withoutHeaders ?? {}))
    if (stringMatches(sm, req.headers[name.toLowerCase()])) return false;
  for (const [name, sm] of Object.entries(m.queryParams ?? {}))
    if (!stringMatches(sm, query.get(name) ?? undefined)) return false;
  return true;
}

export function routeMatches(route: HTTPRoute, req: RequestAttrs): boolean {
  return !route.match || route.match.length === 0 || route.match.some((m) => matchEntry(m, req));
}

/** The first matching HTTP route over the given VirtualServices (in order), or undefined: 404 NR. */
export function selectRoute(virtualServices: readonly VirtualService[], req: RequestAttrs): RouteMatch | undefined {
  for (const vs of virtualServices) {
    for (const route of vs.spec.http ?? []) if (routeMatches(route, req)) return { vs, route };
  }
  return undefined;
}

/** One destination by relative weight; a lone destination without weight takes everything. */
export function pickDestination(route: HTTPRoute, prng: Prng): Destination | undefined {
  const dests = route.route ?? [];
  if (dests.length <= 1) return dests[0]?.destination;
  let total = 0;
  for (const d of dests) total += Math.max(0, d.weight ?? 0);
  if (total <= 0) return undefined;
  let x = prng.next() * total;
  for (const d of dests) {
    x -= Math.max(0, d.weight ?? 0);
    if (x < 0) return d.destination;
  }
  return dests[dests.length - 1]?.destination;
}

/**
 * The Envoy route decorator Istio writes (route.go GetRouteOperation, istio.md §3.3): `<host>:<port><path>` for one
 * destination cluster, `<VirtualService name>:<port><path>` for a split; the path part is `/*`, `<prefix>*`, the
 * exact path or the regex of the route's first match.
 */
export function routeOperation(m: RouteMatch | undefined, fqdn: string, port: number): string {
  if (!m) return `${fqdn}:${port}/*`;
  const uri = m.route.match?.[0]?.uri;
  const path = uri?.exact ?? (uri?.prefix !== undefined ? `${uri.prefix}*` : (uri?.regex ?? "/*"));
  const clusters = new Set((m.route.route ?? []).map((d) => `${d.destination.host}|${d.destination.subset ?? ""}`));
  if (clusters.size > 1) return `${m.vs.metadata.name}:${port}${path}`;
  const only = m.route.route?.[0]?.destination;
  return `${only ? toFqdn(only.host, m.vs.metadata.namespace) : fqdn}:${port}${path}`;
}
