// Circuit breaker: connection-pool limits (overflow → 503 UO) and outlier detection (ejection → UH) on the
// service's DestinationRule, at host level so they hold whichever subset a route picks (istio.md §6 #9).
import type { DestinationRule, MeshObject, TrafficPolicy } from "../objects.js";
import type { CircuitBreakerBody } from "./body-schemas.js";
import { objectNamed, serviceDestinationRule } from "./lookup.js";
import { newMetadata, updatedMetadata } from "./metadata.js";
import { type Built, built, failed, type WizardTarget } from "./target.js";

/**
 * The DestinationRule's `trafficPolicy.connectionPool` and `.outlierDetection` become the body's (a part the body
 * leaves out is removed: the wizard describes the whole breaker). Subsets, TLS, load balancing and the rest of an
 * existing DestinationRule are kept. No `tls` is written, so auto-mTLS keeps working (istio.md §6 #8).
 */
export function buildCircuitBreaker(t: WizardTarget, body: CircuitBreakerBody): Built<MeshObject[]> {
  const existing = serviceDestinationRule(t);
  const { connectionPool: _pool, outlierDetection: _outlier, ...kept } = existing?.spec.trafficPolicy ?? {};
  const trafficPolicy: TrafficPolicy = { ...kept };
  const pool = body.connectionPool;
  if (pool !== undefined) {
    trafficPolicy.connectionPool = {
      ...(pool.tcp === undefined ? {} : { tcp: { ...pool.tcp } }),
      ...(pool.http === undefined ? {} : { http: { ...pool.http } }),
    };
  }
  if (body.outlierDetection !== undefined) trafficPolicy.outlierDetection = { ...body.outlierDetection };

  if (existing !== undefined) {
    const updated: DestinationRule = {
      ...existing,
      metadata: updatedMetadata(existing.metadata, t.wizard),
      spec: { ...existing.spec, trafficPolicy },
    };
    return built([updated]);
  }
  const taken = objectNamed(t, "DestinationRule", t.service);
  if (taken !== undefined) {
    return failed({
      path: "service",
      message: `DestinationRule ${t.namespace}/${t.service} exists for another host (${taken.spec.host}); rename it first`,
    });
  }
  return built([
    {
      apiVersion: "networking.istio.io/v1",
      kind: "DestinationRule",
      metadata: newMetadata(t.service, t.namespace, t.wizard),
      spec: { host: t.service, trafficPolicy },
    },
  ]);
}
