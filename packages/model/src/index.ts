export {
  ApiSpan,
  AttributesSchema,
  AttributeValueSchema,
  ErrorEnvelope,
  OperationsResponse,
  parseDurationUs,
  ServicesResponse,
  TraceResponse,
  TraceSearchQuery,
  TraceSearchResponse,
  TraceSummary,
} from "./api.js";
export type {
  Attributes,
  AttributeValue,
  InstrumentationScope,
  SpanEvent,
  SpanKind,
  SpanLink,
  SpanRecord,
  SpanStatus,
  StatusCode,
} from "./span.js";
export { SPAN_KINDS, STATUS_CODES, setAttribute } from "./span.js";
