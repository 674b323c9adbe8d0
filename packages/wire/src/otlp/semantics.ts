import type { Attributes, SpanKind, SpanRecord, SpanStatus } from "@meshscope/model";
import type { DecodeContext } from "../decode-context.js";
import { isAllZeroHex } from "../encoding.js";

/** OTLP `Span.SpanKind` enum values (trace.proto): 0 UNSPECIFIED … 5 CONSUMER. */
const KINDS_BY_NUMBER: readonly SpanKind[] = ["unspecified", "internal", "server", "client", "producer", "consumer"];

const KINDS_BY_NAME: ReadonlyMap<string, SpanKind> = new Map([
  ["SPAN_KIND_UNSPECIFIED", "unspecified"],
  ["SPAN_KIND_INTERNAL", "internal"],
  ["SPAN_KIND_SERVER", "server"],
  ["SPAN_KIND_CLIENT", "client"],
  ["SPAN_KIND_PRODUCER", "producer"],
  ["SPAN_KIND_CONSUMER", "consumer"],
]);

/** Unknown enum values are kept as "unspecified" (proto3 open enums: a newer sender may know more kinds). */
export function spanKindFromNumber(value: number): SpanKind {
  return KINDS_BY_NUMBER[value] ?? "unspecified";
}

export function spanKindFromName(name: string): SpanKind | undefined {
  return KINDS_BY_NAME.get(name);
}

/** OTLP `Status.StatusCode`: 0 UNSET, 1 OK, 2 ERROR. */
export function spanStatus(code: number, message: string): SpanStatus {
  const mapped = code === 2 ? "error" : code === 1 ? "ok" : "unset";
  return message === "" ? { code: mapped } : { code: mapped, message };
}

const STATUS_CODES_BY_NAME: ReadonlyMap<string, number> = new Map([
  ["STATUS_CODE_UNSET", 0],
  ["STATUS_CODE_OK", 1],
  ["STATUS_CODE_ERROR", 2],
]);

export function statusCodeFromName(name: string): number | undefined {
  return STATUS_CODES_BY_NAME.get(name);
}

/** The OpenTelemetry SDKs default a missing `service.name` to this. */
export const UNKNOWN_SERVICE = "unknown_service";

export interface ServiceIdentity {
  service: string;
  namespace: string | null;
}

/** Service and namespace from resource attributes (semantic conventions `service.name`, `k8s.namespace.name`,
 * `service.namespace`). Non-string values do not count: a service name of `42` is a sender bug, not a name. */
export function serviceIdentity(resource: Attributes): ServiceIdentity {
  const service = resource["service.name"];
  const k8sNamespace = resource["k8s.namespace.name"];
  const serviceNamespace = resource["service.namespace"];
  return {
    service: typeof service === "string" && service !== "" ? service : UNKNOWN_SERVICE,
    namespace:
      typeof k8sNamespace === "string" && k8sNamespace !== ""
        ? k8sNamespace
        : typeof serviceNamespace === "string" && serviceNamespace !== ""
          ? serviceNamespace
          : null,
  };
}

/**
 * Epoch nanoseconds held as two 32-bit halves (an OTLP fixed64) → whole microseconds, truncated.
 * ns = hi·2^32 + lo and 2^32 = 4294967·1000 + 296, so ns/1000 = hi·4294967 + (hi·296 + lo)/1000: every
 * intermediate stays far below 2^53, and the result is exact while it is a safe integer (until year 2255).
 */
export function nanosToMicros(lo: number, hi: number): number {
  return hi * 4294967 + Math.floor((hi * 296 + lo) / 1000);
}

/**
 * The per-span checks whose failure rejects only that span (OTLP partial success), recording why. Ids of a
 * wrong length never get here: they make the whole request invalid. Empty ids count as all-zero, as in the
 * collector (proto3 cannot tell an absent id from an empty one).
 */
export function acceptSpan(traceId: string, spanId: string, startUs: number, endUs: number, ctx: DecodeContext) {
  if (traceId === "" || isAllZeroHex(traceId)) ctx.reject("trace id is empty or all zeros");
  else if (spanId === "" || isAllZeroHex(spanId)) ctx.reject("span id is empty or all zeros");
  else if (startUs === 0) ctx.reject("start time is missing");
  else if (endUs < startUs) ctx.reject("end time is before start time");
  else if (endUs > Number.MAX_SAFE_INTEGER) ctx.reject("end time is out of range");
  else return true;
  return false;
}

/** A span as both OTLP decoders read it: an end time instead of a duration, "" when it has no parent. */
export interface DecodedSpan
  extends Omit<SpanRecord, "parentSpanId" | "service" | "namespace" | "resource" | "durationUs"> {
  parentSpanId: string;
  endUs: number;
}

/**
 * Applies acceptSpan and, when the span passes, builds its SpanRecord. An all-zero parent id means a root span, as
 * an empty one does. Service, namespace and resource are filled in by assignResource once the resource is known.
 */
export function finishSpan(s: DecodedSpan, ctx: DecodeContext): SpanRecord | null {
  if (!acceptSpan(s.traceId, s.spanId, s.startUs, s.endUs, ctx)) return null;
  return {
    traceId: s.traceId,
    spanId: s.spanId,
    parentSpanId: s.parentSpanId === "" || isAllZeroHex(s.parentSpanId) ? null : s.parentSpanId,
    service: "",
    namespace: null,
    name: s.name,
    kind: s.kind,
    startUs: s.startUs,
    durationUs: s.endUs - s.startUs,
    status: s.status,
    attributes: s.attributes,
    resource: {},
    scope: s.scope,
    events: s.events,
    links: s.links,
    droppedAttributesCount: s.droppedAttributesCount,
    droppedEventsCount: s.droppedEventsCount,
    droppedLinksCount: s.droppedLinksCount,
  };
}

/** Gives spans[from..] their resource and the service identity derived from it. The resource object is shared
 * by those spans: it is the same resource, and copying it per span would cost more than decoding it. */
export function assignResource(spans: SpanRecord[], from: number, resource: Attributes): void {
  const { service, namespace } = serviceIdentity(resource);
  for (let i = from; i < spans.length; i++) {
    const span = spans[i];
    if (span === undefined) continue;
    span.service = service;
    span.namespace = namespace;
    span.resource = resource;
  }
}
