/**
 * What the OTLP metrics decoders return: one flat point per OTLP data point, in the shape the metric ingest
 * needs (Prometheus-like: a name, string labels, a kind and a temporality), whatever the encoding was.
 */
export type OtlpMetricKind = "counter" | "gauge" | "histogram";
export type OtlpTemporality = "cumulative" | "delta" | "unspecified";

export interface OtlpMetricPoint {
  name: string;
  /**
   * Resource attributes and point attributes flattened to strings (point attributes win on a clash). Non-string
   * values follow the OpenTelemetry → Prometheus rule: booleans and numbers as their text, arrays and maps as JSON,
   * bytes as base64. A null-prototype object.
   */
  labels: Record<string, string>;
  /** monotonic Sum → counter; non-monotonic Sum and Gauge → gauge (as the OTel → Prometheus mapping does). */
  kind: OtlpMetricKind;
  temporality: OtlpTemporality;
  /** µs since epoch (OTLP carries ns); 0 when the sender left it unset. */
  startTimeUs: number;
  timeUs: number;
  /** counter/gauge value; absent only when `noRecordedValue` is set. */
  value?: number;
  /** histogram fields: `bucketCounts.length === bounds.length + 1` (the last bucket is +Inf), or both empty. */
  count?: number;
  sum?: number;
  bounds?: number[];
  bucketCounts?: number[];
  /** DataPointFlags.FLAG_NO_RECORDED_VALUE: the series ended or has a gap here (Prometheus' staleness marker). */
  noRecordedValue?: true;
}

export interface OtlpSkippedMetric {
  name: string;
  type: "exponential_histogram" | "summary";
}

export interface OtlpMetricsRequest {
  points: OtlpMetricPoint[];
  /** Metrics of a type the ingest does not handle; listed so the receiver can count or log them. */
  skipped: OtlpSkippedMetric[];
}

/** Decoder-internal form shared by the protobuf and JSON decoders, before resource labels are merged in. */
export interface RawNumberPoint {
  attributes: Record<string, string>;
  startTimeUs: number;
  timeUs: number;
  value: number | undefined;
  flags: number;
}

export interface RawHistogramPoint {
  attributes: Record<string, string>;
  startTimeUs: number;
  timeUs: number;
  count: number;
  sum: number | undefined;
  bounds: number[];
  bucketCounts: number[];
  flags: number;
}

export type RawMetricData =
  | { type: "none" }
  | { type: "gauge"; points: RawNumberPoint[] }
  | { type: "sum"; temporality: number; monotonic: boolean; points: RawNumberPoint[] }
  | { type: "histogram"; temporality: number; points: RawHistogramPoint[] }
  | { type: "exponential_histogram" }
  | { type: "summary" };

export interface RawMetric {
  name: string;
  data: RawMetricData;
}

export interface RawResourceMetrics {
  resource: Record<string, string>;
  metrics: RawMetric[];
}
