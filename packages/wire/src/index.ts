export type { DecodeResult } from "./decode-context.js";
export { WireError, type WireErrorCode } from "./errors.js";
export { DEFAULT_DECODE_LIMITS, type DecodeLimits } from "./limits.js";
export { decodeOtlpTracesJson } from "./otlp/decode-json.js";
export { decodeOtlpTracesProtobuf } from "./otlp/decode-protobuf.js";
export { encodeOtlpTraceExportResponse, otlpTraceExportResponseJson } from "./otlp/export-response.js";
export { decodeZipkinV2Json } from "./zipkin/decode-zipkin.js";
