export type { DecodeResult } from "./decode-context.js";
export { WireError, type WireErrorCode } from "./errors.js";
export { DEFAULT_DECODE_LIMITS, type DecodeLimits } from "./limits.js";
export { decodeOtlpTracesJson } from "./otlp/decode-json.js";
export { decodeOtlpTracesProtobuf } from "./otlp/decode-protobuf.js";
export { encodeOtlpTraceExportResponse, otlpTraceExportResponseJson } from "./otlp/export-response.js";
// Mesh metrics (issue #3): Prometheus text exposition 0.0.4, remote-write 1.0 (snappy + protobuf), OTLP metrics.
export { decodeOtlpMetricsJson } from "./otlp-metrics/decode-json.js";
export { decodeOtlpMetricsProtobuf } from "./otlp-metrics/decode-protobuf.js";
export type {
  OtlpMetricKind,
  OtlpMetricPoint,
  OtlpMetricsRequest,
  OtlpSkippedMetric,
  OtlpTemporality,
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
  decodeRemoteWriteColumns,
  decodeWriteRequest,
  type RemoteWriteRequest,
  type RemoteWriteSample,
  type RemoteWriteSeries,
  seriesFromColumns,
} from "./remote-write/decode-remote-write.js";
export {
  encodeLabelPairs,
  encodeLabels,
  WriteRequestBuilder,
  writeRequestBody,
} from "./remote-write/encode-write-request.js";
export { snappyDecompress } from "./remote-write/snappy.js";
export { snappyCompress, snappyMaxCompressedLength } from "./remote-write/snappy-compress.js";
export {
  identifySeries,
  identityText,
  type SeriesIdentityColumns,
  SeriesLabelReader,
  scanWriteRequest,
  type WriteRequestColumns,
} from "./remote-write/write-request-columns.js";
export { decodeZipkinV2Json } from "./zipkin/decode-zipkin.js";
