/**
 * The trace views besides the full answer (packages/model trace-outline.ts): the outline (what the trace page
 * draws), some spans in full (the span-detail panel) and find-in-trace (which matches attribute values, so it
 * runs where the attributes are). Each reads the store's rows directly when the store offers that (SQLite), and
 * otherwise falls back on the full trace.
 */
import {
  type ApiSpan,
  type Attributes,
  encodeTraceOutline,
  OutlineDictionary,
  parseFindQuery,
  SPAN_KINDS,
  STATUS_CODES,
  spanMatches,
  type TraceOutline,
  type TraceResponse,
} from "@meshscope/model";
import type { OutlineRows, SpanJsonParts } from "../store/sqlite-reader.js";
import type { TraceReader } from "../store/trace-store.js";
import { getTrace } from "../traces/get-trace.js";

/** What SqliteTraceReader offers beyond TraceReader for these views. */
interface OutlineReader {
  traceOutlineRows(traceId: string): OutlineRows | null;
  traceJsonPartsOf(traceId: string, spanIds: ReadonlySet<string>): SpanJsonParts[] | null;
  traceJsonParts(traceId: string): Iterable<SpanJsonParts> | null;
}

function isOutlineReader(reader: TraceReader): reader is TraceReader & OutlineReader {
  return (
    "traceOutlineRows" in reader &&
    typeof reader.traceOutlineRows === "function" &&
    "traceJsonPartsOf" in reader &&
    typeof reader.traceJsonPartsOf === "function" &&
    "traceJsonParts" in reader &&
    typeof reader.traceJsonParts === "function"
  );
}

/** The outline of the trace with this (normalised) id, or null when no span of it is stored. */
export function getTraceOutline(reader: TraceReader, traceId: string): TraceOutline | null {
  if (isOutlineReader(reader)) {
    const rows = reader.traceOutlineRows(traceId);
    return rows === null || rows.spanId.length === 0 ? null : outlineOfRows(traceId, rows);
  }
  const spans = getTrace(reader, traceId)?.spans ?? [];
  return spans.length === 0 ? null : encodeTraceOutline(traceId, spans);
}

/** An outline as the route sends it: its JSON text in UTF-8, and how many spans it has. */
export interface OutlineAnswer {
  bytes: Buffer;
  spanCount: number;
}

/** Where outlines come from when not built on the request's own thread (traces/outline-builder.ts). */
export interface OutlineSource {
  outline(traceId: string): Promise<OutlineAnswer | null>;
}

/** getTraceOutline as the route's answer, built on this thread. */
export function getTraceOutlineAnswer(reader: TraceReader, traceId: string): OutlineAnswer | null {
  const outline = getTraceOutline(reader, traceId);
  return outline === null ? null : { bytes: Buffer.from(JSON.stringify(outline)), spanCount: outline.spanId.length };
}

/** An operation's columns in the outline: index into `services`, into `strings` (name), into SPAN_KINDS. */
interface OutlineOperation {
  service: number;
  name: number;
  kind: number;
}

/**
 * encodeTraceOutline (packages/model) over the store's columns, with the same output byte for byte (the tests
 * compare the two): spans in start order then span id (storage order among equals), a duplicate span id's
 * first span in that order wins as parent, strings numbered in order of first use. It differs in cost only:
 * no object per span, the sort runs over indices, and each operation is resolved once (service, name and kind
 * come with it), so a span costs one Map lookup by span id and one by operation id.
 */
function outlineOfRows(traceId: string, rows: OutlineRows): TraceOutline {
  const n = rows.spanId.length;
  const { spanId, parentSpanId, start, op, status } = rows;
  const order = startOrder(rows);
  const dict = new OutlineDictionary();
  const serviceIds = new Map<string, { namespace: string | null; id: number }[]>();
  const services: [number, number][] = [];
  const serviceOf = (service: string, namespace: string | null): number => {
    let entries = serviceIds.get(service);
    if (entries === undefined) {
      entries = [];
      serviceIds.set(service, entries);
    }
    for (const e of entries) if (e.namespace === namespace) return e.id;
    const id = services.length;
    services.push([dict.id(service), namespace === null ? -1 : dict.id(namespace)]);
    entries.push({ namespace, id });
    return id;
  };
  const operations = new Map<number, OutlineOperation>();
  const byId = SpanIndex.of(spanId, parentSpanId) ?? new Map<string, number>();
  // Backwards, so the first span of an id is set last and wins.
  for (let k = n - 1; k >= 0; k--) byId.set(spanId[order[k] as number] as string, k);
  const startUs = start[order[0] as number] as number;
  // Row → its place in rows.rare, -1 for most.
  const rareOf = new Int32Array(n).fill(-1);
  for (let r = 0; r < rows.rare.length; r++) rareOf[rows.rare[r] as number] = r;
  const statusIndex = STATUS_CODES.map((code) => Math.max(0, STATUS_CODES.indexOf(code)));
  const unset = Math.max(0, STATUS_CODES.indexOf("unset"));
  // One pass in output order for what numbers strings (so the dictionary matches encodeTraceOutline's) and for
  // the per-position values; then each column is one Array.prototype.map over the order, which makes a packed
  // array of the right size at once (push, growing 13 arrays of 100,000, cost about twice as much; measured).
  const parentAt = new Int32Array(n);
  const serviceAt = new Int32Array(n);
  const nameAt = new Int32Array(n);
  const kindAt = new Int32Array(n);
  const eventCountAt = new Int32Array(n);
  const missingParent: [number, string][] = [];
  const statusMessage: [number, number][] = [];
  const eventTime: number[] = [];
  const eventName: number[] = [];
  const positions: number[] = [];
  for (let k = 0; k < n; k++) {
    const i = order[k] as number;
    positions.push(i);
    const parentId = parentSpanId[i] as string | null;
    const parent = parentId === null ? undefined : byId.get(parentId);
    parentAt[k] = parent ?? -1;
    if (parentId !== null && parent === undefined) missingParent.push([k, parentId]);
    const opId = op[i] as number;
    let operation = operations.get(opId);
    if (operation === undefined) {
      const o = rows.operation(opId);
      // Service before name, as encodeTraceOutline numbers the strings.
      const service = serviceOf(o.service, o.namespace);
      operation = { service, name: dict.id(o.name), kind: Math.max(0, SPAN_KINDS.indexOf(o.kind)) };
      operations.set(opId, operation);
    }
    serviceAt[k] = operation.service;
    nameAt[k] = operation.name;
    kindAt[k] = operation.kind;
    const r = rareOf[i] as number;
    if (r < 0) continue;
    const message = rows.message[r];
    if (message !== null && message !== undefined) statusMessage.push([k, dict.id(message)]);
    const events = rows.events[r] ?? [];
    eventCountAt[k] = events.length;
    for (const e of events) {
      eventTime.push(e.time - startUs);
      eventName.push(dict.id(e.name));
    }
  }
  const { duration } = rows;
  return {
    traceId,
    startUs,
    strings: dict.strings,
    services,
    spanId: positions.map((i) => spanId[i] as string),
    parent: positions.map((_, k) => parentAt[k] as number),
    missingParent,
    service: positions.map((_, k) => serviceAt[k] as number),
    name: positions.map((_, k) => nameAt[k] as number),
    kind: positions.map((_, k) => kindAt[k] as number),
    start: positions.map((i) => (start[i] as number) - startUs),
    duration: positions.map((i) => duration[i] as number),
    status: positions.map((i) => statusIndex[status[i] as number] ?? unset),
    statusMessage,
    eventCount: positions.map((_, k) => eventCountAt[k] as number),
    eventTime,
    eventName,
  };
}

/** Value of a lowercase hex digit, or -1. */
function hexDigit(c: number): number {
  return c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : -1;
}

/**
 * Span id → position, for ids of 16 lowercase hex digits (OTLP's, as the store keeps them): an open-addressing
 * table of the two 32-bit halves in typed arrays. A Map keyed by the id text cost ~1 µs per operation on 100,000
 * ids (hashing and comparing the strings, and its growth), the largest part of the outline; here a lookup is a
 * few integer operations and nothing is allocated per span. Only for exactly that form, so equal numbers mean
 * equal strings; `of` answers null when some id (or parent id) has another form, and the caller uses a Map.
 */
class SpanIndex {
  private readonly hi: Int32Array;
  private readonly lo: Int32Array;
  private readonly value: Int32Array;
  private readonly mask: number;
  private readonly shift: number;
  private h = 0;
  private l = 0;

  private constructor(capacity: number) {
    this.hi = new Int32Array(capacity);
    this.lo = new Int32Array(capacity);
    this.value = new Int32Array(capacity).fill(-1);
    this.mask = capacity - 1;
    this.shift = 32 - Math.log2(capacity);
  }

  static of(spanIds: readonly string[], parentIds: readonly (string | null)[]): SpanIndex | null {
    let capacity = 16;
    while (capacity < spanIds.length * 2) capacity *= 2;
    const index = new SpanIndex(capacity);
    for (const id of spanIds) if (!index.parse(id)) return null;
    for (const id of parentIds) if (id !== null && !index.parse(id)) return null;
    return index;
  }

  /** Reads `id` into h/l; false unless it is 16 lowercase hex digits. */
  private parse(id: string): boolean {
    if (id.length !== 16) return false;
    let h = 0;
    let l = 0;
    for (let c = 0; c < 8; c++) {
      const a = hexDigit(id.charCodeAt(c));
      const b = hexDigit(id.charCodeAt(c + 8));
      if (a < 0 || b < 0) return false;
      h = (h << 4) | a;
      l = (l << 4) | b;
    }
    this.h = h;
    this.l = l;
    return true;
  }

  /** The slot of the parsed id: where it is, or the empty slot where it would go. */
  private slot(): number {
    const { h, l, mask } = this;
    // Fibonacci hashing: the top bits of the product mix every bit of both halves.
    let i = Math.imul(h ^ Math.imul(l, 0x9e3779b1), 0x85ebca6b) >>> this.shift;
    while (this.value[i] !== -1 && (this.hi[i] !== h || this.lo[i] !== l)) i = (i + 1) & mask;
    return i;
  }

  set(id: string, position: number): void {
    // Every id was checked by `of`.
    this.parse(id);
    const i = this.slot();
    this.hi[i] = this.h;
    this.lo[i] = this.l;
    this.value[i] = position;
  }

  get(id: string): number | undefined {
    if (!this.parse(id)) return undefined;
    const v = this.value[this.slot()] as number;
    return v < 0 ? undefined : v;
  }
}

/** Row indices by start time, then span id, then storage order (encodeTraceOutline's stable sort). */
function startOrder(rows: OutlineRows): Uint32Array {
  const { start, spanId } = rows;
  const n = start.length;
  const order = new Uint32Array(n);
  let sorted = true;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let integers = true;
  for (let i = 0; i < n; i++) {
    order[i] = i;
    const t = start[i] as number;
    if (t < min) min = t;
    if (t > max) max = t;
    if (!Number.isInteger(t)) integers = false;
    // Span ids compared only between equal starts (rare): a string comparison per span is most of this loop.
    if (i > 0 && sorted && t <= (start[i - 1] as number) && compareRows(start, spanId, i - 1, i) > 0) sorted = false;
  }
  if (sorted) return order;
  // (start - min) * 2^k + row as one exact double: a comparator-free numeric sort (native, several times faster
  // than calling a comparator ~n log n times), then only runs of equal starts are sorted by span id.
  let width = 1;
  while (width < n) width *= 2;
  if (!integers || (max - min + 1) * width > Number.MAX_SAFE_INTEGER) {
    order.sort((a, b) => compareRows(start, spanId, a, b) || a - b);
    return order;
  }
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) keys[i] = ((start[i] as number) - min) * width + i;
  keys.sort();
  for (let k = 0; k < n; k++) order[k] = (keys[k] as number) % width;
  for (let k = 0; k < n; ) {
    const t = start[order[k] as number] as number;
    let end = k + 1;
    while (end < n && start[order[end] as number] === t) end++;
    if (end - k > 1) order.subarray(k, end).sort((a, b) => compareRows(start, spanId, a, b) || a - b);
    k = end;
  }
  return order;
}

function compareRows(start: Float64Array, spanId: readonly string[], a: number, b: number): number {
  const d = (start[a] as number) - (start[b] as number);
  if (d !== 0) return d;
  const x = spanId[a] as string;
  const y = spanId[b] as string;
  return x < y ? -1 : x > y ? 1 : 0;
}

function parseAttributes(json: string): Attributes {
  // The store wrote this text from an attribute map (attr-codec attributesJson); parsing gives that map back.
  const parsed: Attributes = JSON.parse(json);
  return parsed;
}

/** An ApiSpan from the store's JSON parts; `resources` shares one parsed resource per distinct text. */
function apiSpanOf(p: SpanJsonParts, resources: Map<string, Attributes>): ApiSpan {
  let resource = resources.get(p.resourceJson);
  if (resource === undefined) {
    resource = parseAttributes(p.resourceJson);
    resources.set(p.resourceJson, resource);
  }
  return {
    spanId: p.spanId,
    parentSpanId: p.parentSpanId,
    service: p.service,
    namespace: p.namespace,
    name: p.name,
    kind: p.kind,
    start: p.startUs,
    duration: p.durationUs,
    status: p.status.message === undefined ? { code: p.status.code } : { ...p.status },
    attributes: parseAttributes(p.attributesJson),
    resource,
    scope: p.scope === null ? null : { ...p.scope },
    events: p.events.map((e) => ({ time: e.timeUs, name: e.name, attributes: e.attributes })),
    links: p.links.map((l) => ({ traceId: l.traceId, spanId: l.spanId, attributes: l.attributes })),
  };
}

/** The spans with these ids in full, by start time; null when the trace is unknown. Unknown span ids are left out. */
export function getTraceSpans(reader: TraceReader, traceId: string, spanIds: readonly string[]): TraceResponse | null {
  const wanted = new Set(spanIds.map((id) => id.toLowerCase()));
  let spans: ApiSpan[];
  if (isOutlineReader(reader)) {
    const parts = reader.traceJsonPartsOf(traceId, wanted);
    if (parts === null) return null;
    const resources = new Map<string, Attributes>();
    spans = parts.map((p) => apiSpanOf(p, resources));
  } else {
    const trace = getTrace(reader, traceId);
    if (trace === null) return null;
    spans = trace.spans.filter((s) => wanted.has(s.spanId.toLowerCase()));
  }
  spans.sort((a, b) => a.start - b.start);
  return { traceId, spans };
}

/** Every span of the trace in full, one at a time (a fresh object each, so each can be dropped at once). */
function* allSpans(reader: TraceReader, traceId: string): Generator<ApiSpan, boolean> {
  if (isOutlineReader(reader)) {
    const parts = reader.traceJsonParts(traceId);
    if (parts === null) return false;
    const resources = new Map<string, Attributes>();
    for (const p of parts) yield apiSpanOf(p, resources);
    return true;
  }
  const trace = getTrace(reader, traceId);
  if (trace === null) return false;
  yield* trace.spans;
  return true;
}

/** Ids of the spans `text` finds, in no particular order; null when the trace is unknown. */
export function findInTrace(reader: TraceReader, traceId: string, text: string): string[] | null {
  const terms = parseFindQuery(text);
  const out: string[] = [];
  const spans = allSpans(reader, traceId);
  for (let next = spans.next(); ; next = spans.next()) {
    if (next.done) return next.value ? out : null;
    if (terms.include.length > 0 && spanMatches(next.value, terms)) out.push(next.value.spanId);
  }
}
