/**
 * Stored spans → Jaeger's v1 JSON trace, mapping OpenTelemetry onto Jaeger as Jaeger itself does (it reuses the
 * OpenTelemetry Collector's `pkg/translator/jaeger/traces_to_jaegerproto.go`, then `uimodel` for the JSON):
 *  - resource → process: `service.name` is the process's serviceName, the other resource attributes its tags;
 *    spans of one resource share one process, keyed p1, p2… in order of first appearance;
 *  - span tags, in the translator's order: `otel.scope.name`, `otel.scope.version`, the attributes, `span.kind`
 *    (absent when unspecified), `otel.status_code` (OK|ERROR), `error=true` (bool) for an error status,
 *    `otel.status_description`;
 *  - parent → a CHILD_OF reference placed first; links → FOLLOWS_FROM references (link attributes are lost, as
 *    in Jaeger);
 *  - events → logs whose first field is `event` = the event name, then the event's attributes;
 *  - arrays and maps → their JSON text as a string tag.
 */
import type { Attributes, AttributeValue, SpanKind, SpanRecord } from "@meshscope/model";
import type { JaegerKeyValue, JaegerProcess, JaegerReference, JaegerSpan, JaegerTrace } from "./jaeger-model.js";

/** Jaeger's own warning for a span whose parent is not in the trace (its clock-skew adjuster's wording). */
export const missingParentWarning = (parentSpanId: string) =>
  `invalid parent span IDs=${parentSpanId}; skipping clock skew adjustment`;

/**
 * Jaeger prints a trace id with a zero high half as 16 hex characters (model.TraceID.String), so 64-bit ids
 * (Zipkin B3, old Jaeger clients) look the same here as in Jaeger.
 */
export function jaegerTraceId(traceId: string): string {
  return traceId.length === 32 && traceId.startsWith("0000000000000000") ? traceId.slice(16) : traceId;
}

export function toKeyValue(key: string, value: AttributeValue): JaegerKeyValue {
  if (typeof value === "string") return { key, type: "string", value };
  if (typeof value === "boolean") return { key, type: "bool", value };
  if (typeof value === "number") {
    // The store keeps OTLP int and double both as JS numbers: an integral value reads back as int64.
    return Number.isInteger(value) ? { key, type: "int64", value } : { key, type: "float64", value };
  }
  // An empty OTLP value becomes an empty string tag in the translator; arrays and maps become their JSON text.
  if (value === null) return { key, type: "string", value: "" };
  return { key, type: "string", value: JSON.stringify(value) };
}

function toKeyValues(attributes: Attributes, skip?: string): JaegerKeyValue[] {
  const out: JaegerKeyValue[] = [];
  for (const [key, value] of Object.entries(attributes)) if (key !== skip) out.push(toKeyValue(key, value));
  return out;
}

const KIND_TAG: Readonly<Record<SpanKind, string | null>> = {
  unspecified: null,
  internal: "internal",
  server: "server",
  client: "client",
  producer: "producer",
  consumer: "consumer",
};

function spanTags(span: SpanRecord): JaegerKeyValue[] {
  const tags: JaegerKeyValue[] = [];
  if (span.scope !== null && span.scope.name !== "") {
    tags.push({ key: "otel.scope.name", type: "string", value: span.scope.name });
  }
  if (span.scope?.version) tags.push({ key: "otel.scope.version", type: "string", value: span.scope.version });
  tags.push(...toKeyValues(span.attributes));
  const kind = KIND_TAG[span.kind];
  if (kind !== null) tags.push({ key: "span.kind", type: "string", value: kind });
  if (span.status.code === "ok") tags.push({ key: "otel.status_code", type: "string", value: "OK" });
  if (span.status.code === "error") {
    tags.push({ key: "otel.status_code", type: "string", value: "ERROR" });
    tags.push({ key: "error", type: "bool", value: true });
  }
  if (span.status.message) tags.push({ key: "otel.status_description", type: "string", value: span.status.message });
  return tags;
}

function references(span: SpanRecord, traceID: string): JaegerReference[] {
  const refs: JaegerReference[] = [];
  if (span.parentSpanId !== null) refs.push({ refType: "CHILD_OF", traceID, spanID: span.parentSpanId });
  for (const link of span.links) {
    refs.push({ refType: "FOLLOWS_FROM", traceID: jaegerTraceId(link.traceId), spanID: link.spanId });
  }
  return refs;
}

/** Assigns p1, p2… to distinct (service, resource) pairs in order of first appearance. */
class ProcessTable {
  readonly processes: Record<string, JaegerProcess> = {};
  private readonly ids = new Map<string, string>();

  idOf(span: SpanRecord): string {
    const key = JSON.stringify([span.service, span.resource]);
    let id = this.ids.get(key);
    if (id === undefined) {
      id = `p${this.ids.size + 1}`;
      this.ids.set(key, id);
      this.processes[id] = { serviceName: span.service, tags: toKeyValues(span.resource, "service.name") };
    }
    return id;
  }
}

/** The trace in Jaeger's JSON; `spans` must all belong to `traceId` (32 lower-case hex) and not be empty. */
export function toJaegerTrace(traceId: string, spans: readonly SpanRecord[]): JaegerTrace {
  const traceID = jaegerTraceId(traceId);
  const table = new ProcessTable();
  const present = new Set(spans.map((s) => s.spanId));
  const out: JaegerSpan[] = spans.map((span) => ({
    traceID,
    spanID: span.spanId,
    // Every span we store was sampled by its sender; Jaeger's bit 1 says so.
    flags: 1,
    operationName: span.name,
    references: references(span, traceID),
    startTime: span.startUs,
    duration: span.durationUs,
    tags: spanTags(span),
    logs: span.events.map((e) => ({
      timestamp: e.timeUs,
      fields: [
        ...(e.name === "" ? [] : [{ key: "event", type: "string" as const, value: e.name }]),
        ...toKeyValues(e.attributes),
      ],
    })),
    processID: table.idOf(span),
    warnings:
      span.parentSpanId !== null && !present.has(span.parentSpanId) ? [missingParentWarning(span.parentSpanId)] : null,
  }));
  return { traceID, spans: out, processes: table.processes, warnings: null };
}
