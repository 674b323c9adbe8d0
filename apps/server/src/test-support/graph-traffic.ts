/** EdgeTraffic builders for the graph tests: Istio label sets as real proxies report them. */
import { type EdgeKey, edgeKeyFromLabels } from "../metrics/edge-key.js";
import type { HistogramBucket } from "../metrics/histogram.js";
import type { EdgeTraffic } from "../metrics/metric-reader.js";

export interface Workload {
  namespace: string;
  workload: string;
  app: string;
  version: string;
}

export function wl(namespace: string, app: string, version: string, workload = `${app}-${version}`): Workload {
  return { namespace, workload, app, version };
}

export interface TrafficSpec {
  reporter: "source" | "destination";
  from: Workload | "unknown";
  /** Destination service name (in `to`'s namespace unless serviceNamespace is given). */
  service: string;
  serviceNamespace?: string;
  /** The serving workload, or "unknown" when the request never reached one. */
  to: Workload | "unknown";
  rps: number;
  protocol?: "http" | "grpc" | "tcp";
  code?: string;
  grpcStatus?: string;
  flags?: string;
  mtls?: boolean;
  buckets?: HistogramBucket[];
  tcpBytes?: number;
}

export function traffic(spec: TrafficSpec): EdgeTraffic {
  const from = spec.from === "unknown" ? null : spec.from;
  const to = spec.to === "unknown" ? null : spec.to;
  const svcNs = spec.serviceNamespace ?? to?.namespace ?? "unknown";
  const protocol = spec.protocol ?? "http";
  const labels: Record<string, string> = {
    reporter: spec.reporter,
    source_workload: from?.workload ?? "unknown",
    source_workload_namespace: from?.namespace ?? "unknown",
    source_canonical_service: from?.app ?? "unknown",
    source_canonical_revision: from?.version ?? "unknown",
    destination_service: svcNs === "unknown" ? spec.service : `${spec.service}.${svcNs}.svc.cluster.local`,
    destination_service_name: spec.service,
    destination_service_namespace: svcNs,
    destination_workload: to?.workload ?? "unknown",
    destination_workload_namespace: to?.namespace ?? "unknown",
    destination_canonical_service: to?.app ?? "unknown",
    destination_canonical_revision: to?.version ?? "unknown",
    request_protocol: protocol,
    response_flags: spec.flags ?? "-",
    // Only the server's proxy knows how the connection was secured (Istio writes "unknown" at the source).
    connection_security_policy:
      spec.reporter === "destination" ? (spec.mtls === false ? "none" : "mutual_tls") : "unknown",
  };
  if (protocol !== "tcp") labels.response_code = spec.code ?? "200";
  if (protocol === "grpc") labels.grpc_response_status = spec.grpcStatus ?? "0";
  const key: EdgeKey = edgeKeyFromLabels(labels);
  const isTcp = protocol === "tcp";
  return {
    key,
    requestsPerSec: isTcp ? 0 : spec.rps,
    durationSumPerSec: 0,
    durationCountPerSec: isTcp ? 0 : spec.rps,
    durationBuckets: spec.buckets ?? [],
    requestBytesPerSec: 0,
    responseBytesPerSec: 0,
    tcpSentBytesPerSec: isTcp ? (spec.tcpBytes ?? 0) : 0,
    tcpReceivedBytesPerSec: isTcp ? (spec.tcpBytes ?? 0) : 0,
    tcpOpenedPerSec: 0,
    tcpClosedPerSec: 0,
  };
}

/** The same request stream as both proxies report it: the caller's (source) and the server's (destination). */
export function bothReporters(spec: Omit<TrafficSpec, "reporter">): EdgeTraffic[] {
  return [traffic({ ...spec, reporter: "source" }), traffic({ ...spec, reporter: "destination" })];
}

const NS = "bookinfo";
export const gateway = wl("istio-system", "istio-ingressgateway", "latest", "istio-ingressgateway");
export const productpage = wl(NS, "productpage", "v1");
export const details = wl(NS, "details", "v1");
export const reviews = [wl(NS, "reviews", "v1"), wl(NS, "reviews", "v2"), wl(NS, "reviews", "v3")] as const;
export const ratings = wl(NS, "ratings", "v1");

/**
 * Bookinfo at 10 pages/s: gateway → productpage → details and reviews (v1/v2/v3 evenly); reviews v2 and v3 call
 * ratings. Every hop is reported by both proxies (the gateway is a proxy too, reporting as source).
 */
export function bookinfo(): EdgeTraffic[] {
  const [r1, r2, r3] = reviews;
  return [
    ...bothReporters({ from: gateway, service: "productpage", to: productpage, rps: 10 }),
    ...bothReporters({ from: productpage, service: "details", to: details, rps: 10 }),
    ...bothReporters({ from: productpage, service: "reviews", to: r1, rps: 4 }),
    ...bothReporters({ from: productpage, service: "reviews", to: r2, rps: 3 }),
    ...bothReporters({ from: productpage, service: "reviews", to: r3, rps: 3 }),
    ...bothReporters({ from: r2, service: "ratings", to: ratings, rps: 3 }),
    ...bothReporters({ from: r3, service: "ratings", to: ratings, rps: 3 }),
  ];
}
