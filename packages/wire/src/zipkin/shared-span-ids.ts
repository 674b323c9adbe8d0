import type { SpanRecord } from "@meshscope/model";

/**
 * Envoy's Zipkin tracer (and other B3 "shared span context" tracers) report the client and the server half of
 * one RPC under the same span id; the server half may say so with `shared: true`. Two spans with one id break
 * the trace tree, so the server half gets a new id and the client half becomes its parent, as Jaeger's
 * DeduplicateClientServerSpanIDs adjuster does. Jaeger does it at query time with a counter; we do it at ingest,
 * so the new id is derived from (trace id, span id): a retried or replayed batch gets the same id again.
 *
 * Spans of the batch that named the shared id as their parent are children of the server half (the callee's
 * work), so they are moved under the new id too. Children arriving in a later batch keep pointing at the
 * client half.
 */
export interface ZipkinSpanDraft {
  record: SpanRecord;
  /** The span said `shared: true`. */
  shared: boolean;
}

export function separateSharedSpanIds(drafts: readonly ZipkinSpanDraft[]): void {
  const clientKeys = new Set<string>();
  for (const { record } of drafts) if (record.kind === "client") clientKeys.add(record.traceId + record.spanId);
  const renamed = new Map<string, string>();
  const moved = new Set<SpanRecord>();
  for (const { record, shared } of drafts) {
    if (record.kind !== "server") continue;
    const key = record.traceId + record.spanId;
    if (!shared && !clientKeys.has(key)) continue;
    const newId = serverHalfSpanId(record.traceId, record.spanId);
    renamed.set(key, newId);
    record.parentSpanId = record.spanId;
    record.spanId = newId;
    moved.add(record);
  }
  if (renamed.size === 0) return;
  for (const { record } of drafts) {
    if (record.parentSpanId === null || moved.has(record)) continue;
    const newParent = renamed.get(record.traceId + record.parentSpanId);
    if (newParent !== undefined) record.parentSpanId = newParent;
  }
}

/** FNV-1a (32-bit) of `text` from a given offset basis. */
function fnv1a(text: string, basis: number): number {
  let h = basis;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A 64-bit span id for the server half, derived from the shared (trace id, span id): two FNV-1a halves with
 * different offset bases. Never all zeros and never the shared id itself. */
export function serverHalfSpanId(traceId: string, spanId: string): string {
  const input = `${traceId}:${spanId}:server`;
  let hi = fnv1a(input, 0x811c9dc5);
  const lo = fnv1a(input, 0x050c5d1f);
  let id = hi.toString(16).padStart(8, "0") + lo.toString(16).padStart(8, "0");
  if (id === spanId || id === "0000000000000000") {
    hi = (hi ^ 0x80000000) >>> 0;
    id = hi.toString(16).padStart(8, "0") + lo.toString(16).padStart(8, "0");
  }
  return id;
}
