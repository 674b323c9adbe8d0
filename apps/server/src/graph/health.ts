/**
 * Request health as Kiali computes it (`business/health_calculator.go applyThresholds`, defaults from
 * `config/config.go AddHealthDefault`): for each tolerance, errorRatio = 100 × matching requests / all requests of
 * that protocol and direction; ratio ≤ 0 → healthy, ≥ failure → failure, ≥ degraded → degraded, else healthy.
 * With degraded = 0 any matching request degrades. Inbound and outbound are judged apart; the worst wins.
 */
import type { HealthStatus } from "@meshscope/model";

/** Percent thresholds (0–100), as in Kiali's `health_config.rate[].tolerance[]`. */
export interface Tolerance {
  degraded: number;
  failure: number;
}

export interface HealthThresholds {
  /** HTTP 5xx among HTTP requests. */
  http5xx: Tolerance;
  /** HTTP 4xx among HTTP requests. */
  http4xx: Tolerance;
  /** gRPC status ≠ 0 among gRPC requests. */
  grpcError: Tolerance;
  /** No response (code 0 or `-`) among HTTP requests, and among gRPC requests. */
  noResponse: Tolerance;
}

export const DEFAULT_HEALTH_THRESHOLDS: HealthThresholds = {
  http5xx: { degraded: 0, failure: 10 },
  http4xx: { degraded: 10, failure: 20 },
  grpcError: { degraded: 0, failure: 10 },
  noResponse: { degraded: 0, failure: 10 },
};

/** Requests/s of one direction of a node (or of one edge), split the way the tolerances need. */
export interface RequestTally {
  http: number;
  http4xx: number;
  http5xx: number;
  httpNoResponse: number;
  grpc: number;
  grpcError: number;
  grpcNoResponse: number;
}

export function emptyTally(): RequestTally {
  return { http: 0, http4xx: 0, http5xx: 0, httpNoResponse: 0, grpc: 0, grpcError: 0, grpcNoResponse: 0 };
}

/** Sets every count of `t` to 0 (a tally reused edge after edge). */
export function resetTally(t: RequestTally): void {
  t.http = 0;
  t.http4xx = 0;
  t.http5xx = 0;
  t.httpNoResponse = 0;
  t.grpc = 0;
  t.grpcError = 0;
  t.grpcNoResponse = 0;
}

export function addTally(into: RequestTally, from: RequestTally): void {
  into.http += from.http;
  into.http4xx += from.http4xx;
  into.http5xx += from.http5xx;
  into.httpNoResponse += from.httpNoResponse;
  into.grpc += from.grpc;
  into.grpcError += from.grpcError;
  into.grpcNoResponse += from.grpcNoResponse;
}

const RANK: Record<HealthStatus, number> = { failure: 4, degraded: 3, healthy: 2, unknown: 1, idle: 0 };

export function worstHealth(a: HealthStatus, b: HealthStatus): HealthStatus {
  return RANK[a] >= RANK[b] ? a : b;
}

/** Kiali's ascending threshold check for one ratio in percent. */
export function applyTolerance(ratioPercent: number, t: Tolerance): HealthStatus {
  if (!(ratioPercent > 0)) return "healthy";
  if (ratioPercent >= t.failure) return "failure";
  if (ratioPercent >= t.degraded) return "degraded";
  return "healthy";
}

/** Health of one direction: null when it carried no requests (Kiali's NA). */
export function tallyHealth(t: RequestTally, th: HealthThresholds): HealthStatus | null {
  return countsHealth(t.http, t.http4xx, t.http5xx, t.httpNoResponse, t.grpc, t.grpcError, t.grpcNoResponse, th);
}

/** Numbers per tally in a packed tally array (addTallyAt), in RequestTally's field order. */
export const TALLY_SIZE = 7;

/**
 * Tallies packed in one Float64Array, TALLY_SIZE numbers each, tally `i` at `i * TALLY_SIZE`: the graph keeps two
 * per node this way (thousands of nodes per live graph, with no object per tally).
 */
export function addTallyAt(into: Float64Array, at: number, t: RequestTally): void {
  into[at] = (into[at] ?? 0) + t.http;
  into[at + 1] = (into[at + 1] ?? 0) + t.http4xx;
  into[at + 2] = (into[at + 2] ?? 0) + t.http5xx;
  into[at + 3] = (into[at + 3] ?? 0) + t.httpNoResponse;
  into[at + 4] = (into[at + 4] ?? 0) + t.grpc;
  into[at + 5] = (into[at + 5] ?? 0) + t.grpcError;
  into[at + 6] = (into[at + 6] ?? 0) + t.grpcNoResponse;
}

/** tallyHealth of the packed tally at `at` (addTallyAt). */
export function tallyHealthAt(a: Float64Array, at: number, th: HealthThresholds): HealthStatus | null {
  const v = (i: number) => a[at + i] ?? 0;
  return countsHealth(v(0), v(1), v(2), v(3), v(4), v(5), v(6), th);
}

function countsHealth(
  http: number,
  http4xx: number,
  http5xx: number,
  httpNoResponse: number,
  grpc: number,
  grpcError: number,
  grpcNoResponse: number,
  th: HealthThresholds,
): HealthStatus | null {
  if (http <= 0 && grpc <= 0) return null;
  let status: HealthStatus = "healthy";
  if (http > 0) {
    status = worstHealth(status, applyTolerance((100 * http5xx) / http, th.http5xx));
    status = worstHealth(status, applyTolerance((100 * http4xx) / http, th.http4xx));
    status = worstHealth(status, applyTolerance((100 * httpNoResponse) / http, th.noResponse));
  }
  if (grpc > 0) {
    status = worstHealth(status, applyTolerance((100 * grpcError) / grpc, th.grpcError));
    status = worstHealth(status, applyTolerance((100 * grpcNoResponse) / grpc, th.noResponse));
  }
  return status;
}

/**
 * A node's health from its inbound and outbound requests. No traffic at all is `idle`; traffic that has no request
 * health (TCP only) is `unknown`, as Kiali shows "No health information" for it.
 */
export function nodeHealth(
  inbound: RequestTally,
  outbound: RequestTally,
  hasTcpTraffic: boolean,
  th: HealthThresholds,
): HealthStatus {
  return directionsHealth(tallyHealth(inbound, th), tallyHealth(outbound, th), hasTcpTraffic);
}

/** nodeHealth from the health of each direction (tallyHealth or tallyHealthAt). */
export function directionsHealth(
  inStatus: HealthStatus | null,
  outStatus: HealthStatus | null,
  hasTcpTraffic: boolean,
): HealthStatus {
  if (inStatus === null && outStatus === null) return hasTcpTraffic ? "unknown" : "idle";
  return worstHealth(inStatus ?? "idle", outStatus ?? "idle");
}
