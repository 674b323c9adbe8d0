// AuthorizationPolicy evaluation in the server-side proxy (istio.md §4.4, authorization_policy.proto): DENY
// policies first, then ALLOW; "If there are no ALLOW policies for the workload, allow the request", otherwise the
// request must match one ALLOW rule. Denials are 403 `RBAC: access denied`, with no response flag.

import type { AuthorizationPolicySpec, AuthorizationRule } from "@meshscope/mesh-config";
import type { ApplicablePolicies } from "./config-index.js";

export interface AuthzRequest {
  /** Peer principal without `spiffe://` (`cluster.local/ns/x/sa/y`), or undefined without mTLS. */
  principal: string | undefined;
  /** Peer namespace, known only through the mTLS certificate. */
  namespace: string | undefined;
  method: string;
  /** URL path without the query string (Envoy RBAC matches `url_path`). */
  path: string;
  port: number;
  headers: Readonly<Record<string, string>>;
}

/** Istio string match in policies: exact, `prefix*`, `*suffix`, or `*` (presence). */
function matchesValue(pattern: string, value: string | undefined): boolean {
  if (value === undefined) return false;
  if (pattern === "*") return true;
  if (pattern.endsWith("*")) return value.startsWith(pattern.slice(0, -1));
  if (pattern.startsWith("*")) return value.endsWith(pattern.slice(1));
  return pattern === value;
}

/** A list field: absent = no constraint; present = the value must match one entry (positive) or none (not*). */
function listOk(values: string[] | undefined, notValues: string[] | undefined, value: string | undefined): boolean {
  if (values && !values.some((p) => matchesValue(p, value))) return false;
  if (notValues?.some((p) => matchesValue(p, value))) return false;
  return true;
}

function conditionValue(key: string, req: AuthzRequest): string | undefined {
  if (key === "source.principal") return req.principal;
  if (key === "source.namespace") return req.namespace;
  if (key === "destination.port") return String(req.port);
  const header = /^request\.headers\[(.+)\]$/.exec(key);
  if (header?.[1]) return req.headers[header[1].toLowerCase()];
  // Keys this simulation has no value for (JWT claims, IPs) never match.
  return undefined;
}

function ruleMatches(rule: AuthorizationRule, req: AuthzRequest): boolean {
  const fromOk =
    !rule.from ||
    rule.from.some(
      ({ source: s }) =>
        listOk(s.principals, s.notPrincipals, req.principal) && listOk(s.namespaces, s.notNamespaces, req.namespace),
    );
  const toOk =
    !rule.to ||
    rule.to.some(
      ({ operation: o }) =>
        listOk(o.methods, o.notMethods, req.method) &&
        listOk(o.paths, o.notPaths, req.path) &&
        listOk(o.ports, undefined, String(req.port)),
    );
  const whenOk = (rule.when ?? []).every((c) => listOk(c.values, c.notValues, conditionValue(c.key, req)));
  return fromOk && toOk && whenOk;
}

// A policy without rules matches nothing (`spec: {}` with ALLOW is allow-nothing); `rules: [{}]` matches all.
const policyMatches = (p: AuthorizationPolicySpec, req: AuthzRequest): boolean =>
  (p.rules ?? []).some((r) => ruleMatches(r, req));

export function isAllowed(policies: ApplicablePolicies | null, req: AuthzRequest): boolean {
  if (!policies) return true;
  if (policies.deny.some((p) => policyMatches(p, req))) return false;
  if (policies.allow.length === 0) return true;
  return policies.allow.some((p) => policyMatches(p, req));
}
