/**
 * The one span model every receiver normalises to (OTLP protobuf, OTLP JSON, Zipkin v2) and the store keeps.
 *
 * Units: times are microseconds since the Unix epoch, durations microseconds. OTLP carries nanoseconds
 * (which do not fit a JS number exactly past 2^53 ns ≈ 104 days after the epoch), Zipkin microseconds;
 * each decoder converts once, where the data enters.
 *
 * Ids are lower-case hex: trace ids 32 characters (16 bytes), span ids 16 characters (8 bytes).
 */

/** An attribute value with its JSON type kept: OTLP int64 becomes a number when it is a safe integer and a
 * decimal string otherwise; bytes become base64 strings; kvlist values become objects. */
export type AttributeValue = string | number | boolean | null | AttributeValue[] | { [key: string]: AttributeValue };
export type Attributes = Record<string, AttributeValue>;

/**
 * Sets `target[key] = value` as an own, enumerable property even when the key is `__proto__`: attribute keys are
 * untrusted data, and a plain assignment of `__proto__` would replace the object's prototype instead of storing
 * the attribute (and silently lose it).
 */
export function setAttribute(target: Record<string, AttributeValue>, key: string, value: AttributeValue): void {
  if (key === "__proto__") {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

export const SPAN_KINDS = ["unspecified", "internal", "server", "client", "producer", "consumer"] as const;
export type SpanKind = (typeof SPAN_KINDS)[number];

export const STATUS_CODES = ["unset", "ok", "error"] as const;
export type StatusCode = (typeof STATUS_CODES)[number];

export interface SpanStatus {
  code: StatusCode;
  message?: string;
}

export interface SpanEvent {
  timeUs: number;
  name: string;
  attributes: Attributes;
}

export interface SpanLink {
  traceId: string;
  spanId: string;
  attributes: Attributes;
}

export interface InstrumentationScope {
  name: string;
  version?: string;
}

/** A span as stored: what every decoder produces after normalisation. */
export interface SpanRecord {
  traceId: string;
  spanId: string;
  /** null for a root span. */
  parentSpanId: string | null;
  /** From the resource's `service.name`; "unknown_service" when absent (as the OpenTelemetry SDKs default). */
  service: string;
  /** From `k8s.namespace.name`, else `service.namespace`, else null. */
  namespace: string | null;
  name: string;
  kind: SpanKind;
  startUs: number;
  durationUs: number;
  status: SpanStatus;
  attributes: Attributes;
  resource: Attributes;
  scope: InstrumentationScope | null;
  events: SpanEvent[];
  links: SpanLink[];
  /** Attributes, events and links dropped or truncated by the sender or by our limits. */
  droppedAttributesCount: number;
  droppedEventsCount: number;
  droppedLinksCount: number;
}
