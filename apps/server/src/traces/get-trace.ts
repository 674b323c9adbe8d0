/**
 * One trace by id, as the API shows it: stored spans mapped to ApiSpan (µs times under API names).
 *
 * Two ways out. `getTrace` builds the TraceResponse object (small callers, tests). `getTraceJson` writes the same
 * answer as JSON text in chunks, straight from the store's rows when the store offers them as JSON parts: a
 * 100,000-span trace then costs no SpanRecord/ApiSpan objects and no 50 MB JSON.stringify, and the first chunk
 * can leave while later spans are still being written (issue #6 scope 5). JSON.parse of the chunks joined equals
 * getTrace's answer (get-trace.test.ts holds them side by side).
 */
import type { ApiSpan, SpanRecord, TraceResponse } from "@meshscope/model";
import type { SpanJsonParts } from "../store/sqlite-reader.js";
import type { TraceReader } from "../store/trace-store.js";
import { SpanTexts } from "./span-texts.js";

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

/** A store that can hand out a trace's spans with their attributes already as JSON text (SqliteTraceReader). */
export interface TraceJsonPartsReader {
  traceJsonParts(traceId: string): Iterable<SpanJsonParts> | null;
}

function hasJsonParts(reader: TraceReader): reader is TraceReader & TraceJsonPartsReader {
  return "traceJsonParts" in reader && typeof reader.traceJsonParts === "function";
}

/** The answer of GET /api/traces/{id} as UTF-8 JSON, in chunks. */
export interface TraceJson {
  spanCount: number;
  /** Bytes of the whole answer (the chunks' lengths added up). */
  byteLength: number;
  chunks: Iterable<Uint8Array>;
}

/**
 * The trace as UTF-8 JSON chunks, or null when no span of it is stored. Each span's text is written as UTF-8
 * into byte blocks as soon as its row is read; the spans are then put in start order by copying byte ranges.
 * So the 50 MB of a 100,000-span trace sit outside the JS heap instead of as 100,000 strings the garbage
 * collector copies again and again (that, then a sort of objects and one 50 MB JSON.stringify, was most of the
 * old cost, measured with --cpu-prof), and no SpanRecord or ApiSpan object is built.
 */
export function getTraceJson(reader: TraceReader, traceId: string): TraceJson | null {
  if (!hasJsonParts(reader)) {
    const trace = getTrace(reader, traceId);
    if (trace === null) return null;
    const bytes = Buffer.from(JSON.stringify(trace));
    return { spanCount: trace.spans.length, byteLength: bytes.length, chunks: [bytes] };
  }
  const parts = reader.traceJsonParts(traceId);
  if (parts === null) return null;
  const texts = new SpanTexts();
  for (const p of parts) texts.add(p.startUs, spanJson(p));
  texts.flush();
  if (texts.count === 0) return null;
  const head = Buffer.from(`{"traceId":${JSON.stringify(traceId)},"spans":[`);
  const tail = Buffer.from("]}");
  return {
    spanCount: texts.count,
    byteLength: head.length + texts.byteLength + (texts.count - 1) + tail.length,
    chunks: texts.chunksInStartOrder(head, tail),
  };
}

/** JSON.stringify's text of a number: NaN and ±Infinity become null there too. */
function num(value: number): string {
  return Number.isFinite(value) ? String(value) : "null";
}

/** One ApiSpan as JSON text, keys in toApiSpan's order so the text matches JSON.stringify of getTrace's answer. */
export function spanJson(p: SpanJsonParts): string {
  const status =
    p.status.message === undefined
      ? `{"code":${JSON.stringify(p.status.code)}}`
      : `{"code":${JSON.stringify(p.status.code)},"message":${JSON.stringify(p.status.message)}}`;
  const events =
    p.events.length === 0
      ? "[]"
      : JSON.stringify(p.events.map((e) => ({ time: e.timeUs, name: e.name, attributes: e.attributes })));
  const links =
    p.links.length === 0
      ? "[]"
      : JSON.stringify(p.links.map((l) => ({ traceId: l.traceId, spanId: l.spanId, attributes: l.attributes })));
  return (
    `{"spanId":${JSON.stringify(p.spanId)},"parentSpanId":${p.parentSpanId === null ? "null" : JSON.stringify(p.parentSpanId)}` +
    `,"service":${JSON.stringify(p.service)},"namespace":${p.namespace === null ? "null" : JSON.stringify(p.namespace)}` +
    `,"name":${JSON.stringify(p.name)},"kind":${JSON.stringify(p.kind)},"start":${num(p.startUs)}` +
    `,"duration":${num(p.durationUs)},"status":${status},"attributes":${p.attributesJson}` +
    `,"resource":${p.resourceJson},"scope":${JSON.stringify(p.scope)},"events":${events},"links":${links}}`
  );
}
