// The Istio objects in force, indexed for the questions a proxy asks on every request: which VirtualService
// routes this host, which DestinationRule defines its subsets and traffic policy, which PeerAuthentication,
// AuthorizationPolicies and local rate limit apply to a workload. Answers are memoised per config.

import {
  type AuthorizationPolicySpec,
  type DestinationRule,
  hostMatches,
  type MeshObject,
  type MtlsMode,
  type Subset,
  type TrafficPolicy,
  type VirtualService,
} from "@meshscope/mesh-config";
import { parseRateLimitFilter, type TokenBucketConfig } from "./rate-limit.js";
import { selects, type WorkloadRt } from "./topology-index.js";

/** Istio's root namespace (meshConfig.rootNamespace default): policies here apply mesh-wide. */
export const ROOT_NAMESPACE = "istio-system";

export interface ApplicablePolicies {
  deny: AuthorizationPolicySpec[];
  allow: AuthorizationPolicySpec[];
}

export class ConfigIndex {
  private readonly virtualServices: VirtualService[] = [];
  private readonly destinationRules: DestinationRule[] = [];
  private readonly objects: readonly MeshObject[];
  private readonly sidecarVsCache = new Map<string, VirtualService | null>();
  private readonly drCache = new Map<string, DestinationRule | null>();
  private readonly mtlsCache = new Map<number, MtlsMode>();
  private readonly authzCache = new Map<number, ApplicablePolicies | null>();
  private readonly rateLimitCache = new Map<number, TokenBucketConfig | null>();
  /** VirtualServices bound to a gateway, in config order (Istio merges gateway VSs for the same host). */
  readonly gatewayVirtualServices: VirtualService[];

  /** `version` distinguishes configs for memos kept outside this index (see TargetMemo). */
  constructor(
    objects: readonly MeshObject[],
    readonly version: number,
  ) {
    this.objects = objects;
    for (const o of objects) {
      if (o.kind === "VirtualService") this.virtualServices.push(o);
      else if (o.kind === "DestinationRule") this.destinationRules.push(o);
    }
    this.gatewayVirtualServices = this.virtualServices.filter((vs) =>
      (vs.spec.gateways ?? []).some((g) => g !== "mesh"),
    );
  }

  /**
   * The VirtualService sidecars use for `fqdn`: bound to `mesh` (no `gateways`, or `mesh` listed). Istio allows one
   * per host for sidecars (istio.md §6 #12); with several, the first in config order wins here.
   */
  sidecarVirtualService(fqdn: string): VirtualService | undefined {
    let vs = this.sidecarVsCache.get(fqdn);
    if (vs === undefined) {
      vs =
        this.virtualServices.find(
          (v) =>
            (v.spec.gateways === undefined || v.spec.gateways.length === 0 || v.spec.gateways.includes("mesh")) &&
            (v.spec.hosts ?? []).some((h) => hostMatches(h, fqdn, v.metadata.namespace)),
        ) ?? null;
      this.sidecarVsCache.set(fqdn, vs);
    }
    return vs ?? undefined;
  }

  /**
   * The DestinationRule for `fqdn` seen from a client in `clientNamespace`: Istio looks in the client's namespace,
   * then the service's, then the root namespace (istio.md §6 #1), preferring an exact host over a wildcard.
   */
  destinationRule(clientNamespace: string, fqdn: string, serviceNamespace: string): DestinationRule | undefined {
    const key = `${clientNamespace}|${fqdn}`;
    let dr = this.drCache.get(key);
    if (dr === undefined) {
      dr = null;
      for (const ns of [clientNamespace, serviceNamespace, ROOT_NAMESPACE]) {
        const inNs = this.destinationRules.filter(
          (d) => d.metadata.namespace === ns && hostMatches(d.spec.host, fqdn, d.metadata.namespace),
        );
        const exact = inNs.find((d) => !d.spec.host.startsWith("*"));
        dr = exact ?? inNs[0] ?? null;
        if (dr) break;
      }
      this.drCache.set(key, dr);
    }
    return dr ?? undefined;
  }

  /** Effective PeerAuthentication mode of a workload: workload selector > namespace > mesh (root) > PERMISSIVE. */
  mtlsMode(w: WorkloadRt): MtlsMode {
    let mode = this.mtlsCache.get(w.index);
    if (mode === undefined) {
      mode = "PERMISSIVE";
      const levels: Array<(p: { ns: string; selector?: Record<string, string> }) => boolean> = [
        (p) => p.ns === w.namespace && p.selector !== undefined && selects(p.selector, w.labels),
        (p) => p.ns === w.namespace && p.selector === undefined,
        (p) => p.ns === ROOT_NAMESPACE && p.selector === undefined,
      ];
      for (const level of levels) {
        const found = this.objects.find(
          (o) =>
            o.kind === "PeerAuthentication" &&
            level({ ns: o.metadata.namespace, selector: o.spec.selector?.matchLabels }) &&
            o.spec.mtls?.mode !== undefined &&
            o.spec.mtls.mode !== "UNSET",
        );
        if (found?.kind === "PeerAuthentication" && found.spec.mtls?.mode) {
          mode = found.spec.mtls.mode;
          break;
        }
      }
      this.mtlsCache.set(w.index, mode);
    }
    return mode;
  }

  /** AuthorizationPolicies (DENY and ALLOW) that apply to a workload; null when none do. */
  authorizationPolicies(w: WorkloadRt): ApplicablePolicies | null {
    let found = this.authzCache.get(w.index);
    if (found === undefined) {
      const deny: AuthorizationPolicySpec[] = [];
      const allow: AuthorizationPolicySpec[] = [];
      for (const o of this.objects) {
        if (o.kind !== "AuthorizationPolicy") continue;
        const inScope = o.metadata.namespace === ROOT_NAMESPACE || o.metadata.namespace === w.namespace;
        if (!inScope || !selects(o.spec.selector?.matchLabels, w.labels)) continue;
        // AUDIT and CUSTOM do not decide allow/deny inside the proxy (CUSTOM needs an external authorizer).
        const action = o.spec.action ?? "ALLOW";
        if (action === "DENY") deny.push(o.spec);
        else if (action === "ALLOW") allow.push(o.spec);
      }
      found = deny.length + allow.length > 0 ? { deny, allow } : null;
      this.authzCache.set(w.index, found);
    }
    return found;
  }

  /** The local rate limit (EnvoyFilter, SIDECAR_INBOUND) on a workload's inbound proxy, if any. */
  rateLimit(w: WorkloadRt): TokenBucketConfig | null {
    let found = this.rateLimitCache.get(w.index);
    if (found === undefined) {
      found = null;
      for (const o of this.objects) {
        if (o.kind !== "EnvoyFilter") continue;
        const inScope = o.metadata.namespace === ROOT_NAMESPACE || o.metadata.namespace === w.namespace;
        if (!inScope || !selects(o.spec.workloadSelector?.labels, w.labels)) continue;
        found = parseRateLimitFilter(o.spec) ?? found;
        if (found) break;
      }
      this.rateLimitCache.set(w.index, found);
    }
    return found;
  }
}

/** A subset's traffic policy overrides the host-level one field by field (Istio MergeTrafficPolicy). */
export function effectiveTrafficPolicy(dr: DestinationRule | undefined, subset: Subset | undefined): TrafficPolicy {
  const host = dr?.spec.trafficPolicy ?? {};
  const sub = subset?.trafficPolicy;
  if (!sub) return host;
  return {
    loadBalancer: sub.loadBalancer ?? host.loadBalancer,
    connectionPool: sub.connectionPool ?? host.connectionPool,
    outlierDetection: sub.outlierDetection ?? host.outlierDetection,
    tls: sub.tls ?? host.tls,
  };
}
