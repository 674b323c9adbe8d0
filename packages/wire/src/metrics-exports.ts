/**
 * Public API of the mesh-metrics decoders (issue #3), for `src/index.ts` to re-export name by name:
 * Prometheus text exposition 0.0.4, Prometheus remote-write 1.0 (snappy + protobuf), OTLP metrics (protobuf, JSON).
 * All of them are pure: bytes or text in, plain objects out; bad input throws `WireError` (remote-write, OTLP) or
 * is reported per line (text exposition).
 */

export { decodeOtlpMetricsJson } from "./otlp-metrics/decode-json.js";
export { decodeOtlpMetricsProtobuf } from "./otlp-metrics/decode-protobuf.js";
export {
  type OtlpMetricKind,
  type OtlpMetricPoint,
  type OtlpMetricsRequest,
  type OtlpSkippedMetric,
  type OtlpTemporality,
} from "./otlp-metrics/types.js";
export {
  type ParsePrometheusTextOptions,
  type PrometheusLineError,
  type PrometheusMetricType,
  type PrometheusSample,
  type PrometheusTextResult,
  parsePrometheusText,
} from "./prometheus/parse-text.js";
export { parsePrometheusFloat } from "./prometheus/parse-value.js";
export { BodyTooLargeError } from "./remote-write/body-too-large-error.js";
export {
  DEFAULT_MAX_DECOMPRESSED_BYTES,
  type DecodeRemoteWriteOptions,
  decodeRemoteWrite,
  decodeWriteRequest,
  type RemoteWriteRequest,
  type RemoteWriteSample,
  type RemoteWriteSeries,
} from "./remote-write/decode-remote-write.js";
