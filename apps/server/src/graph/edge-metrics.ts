/**
 * An edge's numbers from the Istio series counted on it (after reporter pinning): rates, the response-code and
 * flag breakdowns, the error ratio, latency quantiles from the summed histogram buckets, mTLS share, TCP bytes/s.
 * Every input is already a per-second rate over the window (metric-reader.ts), so sums of them are rates too.
 */
import type { GraphProtocol } from "@meshscope/model";
import { histogramQuantiles, sumBuckets } from "../metrics/histogram.js";
import type { EdgeTraffic } from "../metrics/metric-reader.js";
import { emptyTally, type RequestTally } from "./health.js";

export interface EdgeMetrics {
  rps: number;
  errorRate: number;
  responses: Record<string, number>;
  flags: Record<string, number>;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  mtls: number | null;
  tcpSentBytesPerSec: number;
  tcpReceivedBytesPerSec: number;
  tally: RequestTally;
}

/** istio_requests_total's request_protocol, with TCP inferred for series that only carry istio_tcp_* counters. */
export function protocolOf(t: EdgeTraffic): GraphProtocol {
  const p = t.key.requestProtocol;
  if (p === "http" || p === "grpc" || p === "tcp") return p;
  return t.requestsPerSec === 0 && t.tcpSentBytesPerSec + t.tcpReceivedBytesPerSec > 0 ? "tcp" : "http";
}

/** Istio writes response_code 0 when no response was received (Kiali shows it as "-", NoResponse). */
export function isNoResponse(code: string): boolean {
  return code === "0" || code === "-";
}

const QUANTILES = [0.5, 0.95, 0.99];

function addTo(record: Record<string, number>, key: string, value: number): void {
  record[key] = (record[key] ?? 0) + value;
}

function finiteOrNull(v: number | undefined): number | null {
  return v !== undefined && Number.isFinite(v) ? v : null;
}

export function edgeMetrics(protocol: GraphProtocol, series: readonly EdgeTraffic[]): EdgeMetrics {
  const tally = emptyTally();
  const responses: Record<string, number> = Object.create(null);
  const flags: Record<string, number> = Object.create(null);
  let rps = 0;
  let errors = 0;
  let mtlsWeight = 0;
  let knownPolicyWeight = 0;
  let tcpSent = 0;
  let tcpReceived = 0;
  for (const t of series) {
    const k = t.key;
    const r = t.requestsPerSec;
    rps += r;
    tcpSent += t.tcpSentBytesPerSec;
    tcpReceived += t.tcpReceivedBytesPerSec;
    if (protocol !== "tcp" && r > 0) {
      addTo(flags, k.responseFlags === "unknown" || k.responseFlags === "" ? "-" : k.responseFlags, r);
      const noResponse = isNoResponse(k.responseCode);
      if (protocol === "grpc") {
        // gRPC edges break down by grpc-status (Kiali's grpc rates); an HTTP-level failure without one by its code.
        addTo(responses, k.grpcResponseStatus !== "" ? k.grpcResponseStatus : k.responseCode, r);
        tally.grpc += r;
        if (noResponse) tally.grpcNoResponse += r;
        else if (k.grpcResponseStatus !== "" && k.grpcResponseStatus !== "0") tally.grpcError += r;
        if (noResponse || (k.grpcResponseStatus !== "" && k.grpcResponseStatus !== "0")) errors += r;
      } else {
        addTo(responses, k.responseCode, r);
        tally.http += r;
        if (noResponse) tally.httpNoResponse += r;
        else if (k.responseCode.startsWith("5")) tally.http5xx += r;
        else if (k.responseCode.startsWith("4")) tally.http4xx += r;
        if (noResponse || k.responseCode.startsWith("5")) errors += r;
      }
    }
    // Only the destination proxy knows the connection's security policy; the source reports "unknown".
    const weight = protocol === "tcp" ? t.tcpSentBytesPerSec + t.tcpReceivedBytesPerSec : r;
    if (k.connectionSecurityPolicy !== "unknown" && k.connectionSecurityPolicy !== "") {
      knownPolicyWeight += weight;
      if (k.connectionSecurityPolicy === "mutual_tls") mtlsWeight += weight;
    }
  }
  const [p50, p95, p99] = histogramQuantiles(
    QUANTILES,
    series.length === 1 ? (series[0]?.durationBuckets ?? []) : sumBuckets(series.map((t) => t.durationBuckets)),
  );
  return {
    rps: protocol === "tcp" ? 0 : rps,
    errorRate: protocol !== "tcp" && rps > 0 ? errors / rps : 0,
    responses: { ...responses },
    flags: { ...flags },
    p50Ms: finiteOrNull(p50),
    p95Ms: finiteOrNull(p95),
    p99Ms: finiteOrNull(p99),
    mtls: knownPolicyWeight > 0 ? mtlsWeight / knownPolicyWeight : null,
    tcpSentBytesPerSec: tcpSent,
    tcpReceivedBytesPerSec: tcpReceived,
    tally,
  };
}
