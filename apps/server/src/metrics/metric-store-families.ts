/**
 * Which Istio series the metric store keeps, and where each one goes in a stored point. Everything else is
 * counted as `ignored` (not an error: Envoy's 15090 output holds hundreds of other series).
 *
 * A point stores one value per SCALAR_FIELDS entry plus the duration histogram's buckets per `le`. Request and
 * response sizes are histograms too (istio.md §1.1), but the graph only needs their `_sum` (bytes/s), as Kiali's
 * throughput appender does.
 */

export const SCALAR_FIELDS = [
  "requests",
  "durationSum",
  "durationCount",
  "requestBytes",
  "responseBytes",
  "tcpSentBytes",
  "tcpReceivedBytes",
  "tcpOpened",
  "tcpClosed",
] as const;

export type ScalarField = (typeof SCALAR_FIELDS)[number];

/**
 * A family is the unit of series identity and of the cardinality limit: the `_bucket`/`_sum`/`_count` series of
 * one histogram label set are one family member, not 20 separate series.
 */
export type MetricFamily =
  | "requests"
  | "duration"
  | "requestBytes"
  | "responseBytes"
  | "tcpSent"
  | "tcpReceived"
  | "tcpOpened"
  | "tcpClosed";

export type ClassifiedSample =
  | { family: MetricFamily; kind: "scalar"; field: number }
  | { family: "duration"; kind: "bucket" };

export const DURATION_BUCKET_NAME = "istio_request_duration_milliseconds_bucket";

function scalar(family: MetricFamily, field: ScalarField): ClassifiedSample {
  return { family, kind: "scalar", field: SCALAR_FIELDS.indexOf(field) };
}

const KEPT = new Map<string, ClassifiedSample>([
  ["istio_requests_total", scalar("requests", "requests")],
  ["istio_request_duration_milliseconds_sum", scalar("duration", "durationSum")],
  ["istio_request_duration_milliseconds_count", scalar("duration", "durationCount")],
  [DURATION_BUCKET_NAME, { family: "duration", kind: "bucket" }],
  ["istio_request_bytes_sum", scalar("requestBytes", "requestBytes")],
  ["istio_response_bytes_sum", scalar("responseBytes", "responseBytes")],
  ["istio_tcp_sent_bytes_total", scalar("tcpSent", "tcpSentBytes")],
  ["istio_tcp_received_bytes_total", scalar("tcpReceived", "tcpReceivedBytes")],
  ["istio_tcp_connections_opened_total", scalar("tcpOpened", "tcpOpened")],
  ["istio_tcp_connections_closed_total", scalar("tcpClosed", "tcpClosed")],
]);

/** null: a series the store does not keep. */
export function classifySample(name: string): ClassifiedSample | null {
  return KEPT.get(name) ?? null;
}

/**
 * The `le` label as a canonical string of its numeric value, so "1", "1.0" and "1e0" are one bucket and
 * "+Inf"/"Inf" are one; null when it is not a number (such a bucket cannot be placed in a histogram).
 */
export function canonicalLe(le: string | undefined): string | null {
  if (le === undefined) return null;
  const t = le.trim();
  if (/^\+?inf$/i.test(t)) return "+Inf";
  if (t === "" || /^-inf$/i.test(t) || /nan/i.test(t)) return null;
  const n = Number(t);
  return Number.isFinite(n) ? String(n) : null;
}

export function leValue(canonical: string): number {
  return canonical === "+Inf" ? Number.POSITIVE_INFINITY : Number(canonical);
}
