/** One trace by id, as the API shows it: stored spans mapped to ApiSpan (µs times under API names). */
import type { ApiSpan, SpanRecord, TraceResponse } from "@meshscope/model";
import type { TraceReader } from "../store/trace-store.js";

export function toApiSpan(span: SpanRecord): ApiSpan {
  return {
    spanId: span.spanId,
    parentSpanId: span.parentSpanId,
    service: span.service,
    namespace: span.namespace,
    name: span.name,
    kind: span.kind,
    start: span.startUs,
    duration: span.durationUs,
    status: span.status.message === undefined ? { code: span.status.code } : { ...span.status },
    attributes: span.attributes,
    resource: span.resource,
    scope: span.scope,
    events: span.events.map((e) => ({ time: e.timeUs, name: e.name, attributes: e.attributes })),
    links: span.links.map((l) => ({ traceId: l.traceId, spanId: l.spanId, attributes: l.attributes })),
  };
}

/** The trace with this (normalised, 32-hex) id, or null when no span of it is stored. */
export function getTrace(reader: TraceReader, traceId: string): TraceResponse | null {
  const spans = reader.getTrace(traceId);
  if (spans.length === 0) return null;
  return { traceId, spans: spans.map(toApiSpan) };
}
