/**
 * Which Istio series belong to a service, and which version and workload each is about.
 *
 * Inbound: series whose destination service (`destination_service_name` in `destination_service_namespace`) is
 * the service; the version and workload are the destination's. Outbound: series whose source is one of the
 * workloads behind the service (seen as its destinations) or whose source canonical service is the service, in
 * its namespace; version and workload are the source's. A Kubernetes service has no outbound traffic of its own:
 * what it "calls" is what its workloads call, as Kiali's service page shows it.
 */
import type { EdgeKey } from "../metrics/edge-key.js";

export interface ServiceRef {
  namespace: string;
  service: string;
}

/** Istio writes "unknown" for a label it could not resolve; such values name no version or workload. */
export function known(value: string): boolean {
  return value !== "" && value !== "unknown";
}

/**
 * Names Istio gives to traffic that left the mesh without a service behind it: not services a user can open
 * (no namespace, no workloads).
 */
const PSEUDO_SERVICES: ReadonlySet<string> = new Set(["PassthroughCluster", "BlackHoleCluster", "unknown", ""]);

/** The service a series is addressed to, or null for traffic to no known in-mesh service. */
export function destinationServiceOf(k: EdgeKey): ServiceRef | null {
  if (PSEUDO_SERVICES.has(k.destinationServiceName) || !known(k.destinationServiceNamespace)) return null;
  return { namespace: k.destinationServiceNamespace, service: k.destinationServiceName };
}

export function isInbound(k: EdgeKey, ref: ServiceRef): boolean {
  return k.destinationServiceName === ref.service && k.destinationServiceNamespace === ref.namespace;
}

/** Istio's canonical revision is what Kiali calls the version; the older `*_version` label is the fallback. */
export function destinationVersionOf(k: EdgeKey): string | null {
  // A request that reached no workload (fault abort, breaker rejection) has no version, though Istio still
  // reports its canonical revision as the default "latest" (istio.md §1.6, the UO sample).
  if (!known(k.destinationWorkload)) return null;
  if (known(k.destinationCanonicalRevision)) return k.destinationCanonicalRevision;
  return known(k.destinationVersion) ? k.destinationVersion : null;
}

export function sourceVersionOf(k: EdgeKey): string | null {
  if (known(k.sourceCanonicalRevision)) return k.sourceCanonicalRevision;
  return known(k.sourceVersion) ? k.sourceVersion : null;
}

export function destinationWorkloadOf(k: EdgeKey): string | null {
  return known(k.destinationWorkload) ? k.destinationWorkload : null;
}

export function sourceWorkloadOf(k: EdgeKey): string | null {
  return known(k.sourceWorkload) ? k.sourceWorkload : null;
}

/** `workloads`: the service's workloads (destination workloads of its inbound series, any reporter). */
export function isOutbound(k: EdgeKey, ref: ServiceRef, workloads: ReadonlySet<string>): boolean {
  if (k.sourceNamespace !== ref.namespace) return false;
  return workloads.has(k.sourceWorkload) || k.sourceCanonicalService === ref.service;
}
