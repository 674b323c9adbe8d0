/**
 * The outline of a trace (`GET /api/traces/{traceId}?view=outline`): what the waterfall, minimap, header, critical
 * path, trace graph and statistics need per span, and nothing else. Attributes, resource, scope, event attributes
 * and links stay on the server and are fetched per span (`/api/traces/{traceId}/spans?ids=`) or searched there
 * (`/api/traces/{traceId}/find?q=`).
 *
 * Columnar, one array per field, spans in start order (then span id), strings in one dictionary: a 100,000-span
 * trace is ~5 MB of JSON (~1.5 MB gzipped) instead of ~52 MB, and parses in tens of milliseconds (issue #6).
 * Times are µs after `startUs`, so they stay short integers on the wire.
 */
import { z } from "zod";
import { SPAN_KINDS, type SpanKind, STATUS_CODES, type StatusCode } from "./span.js";

/** An outline as the server writes it. */
export interface TraceOutline {
  traceId: string;
  /** µs since the epoch of the earliest span start; `start` and `eventTime` are µs after it. */
  startUs: number;
  /** Dictionary of service names, namespaces, operation names, event names and status messages. */
  strings: string[];
  /** Distinct (service, namespace) pairs as string indices; namespace -1 when the span has none. */
  services: [number, number][];
  spanId: string[];
  /** Index of the parent span in these arrays, -1 when the span has no parent in the trace. */
  parent: number[];
  /** [span index, parent span id] of the spans whose parent id is set but names no span of the trace. */
  missingParent: [number, string][];
  /** Index into `services`. */
  service: number[];
  /** Operation name, index into `strings`. */
  name: number[];
  /** Index into SPAN_KINDS. */
  kind: number[];
  start: number[];
  duration: number[];
  /** Index into STATUS_CODES. */
  status: number[];
  /** [span index, string index] of the spans with a status message. */
  statusMessage: [number, number][];
  /** Events per span; the events of all spans follow each other in `eventTime` and `eventName`. */
  eventCount: number[];
  eventTime: number[];
  eventName: number[];
}

const column = z.custom<readonly unknown[]>((v) => Array.isArray(v), { message: "expected an array" });

/**
 * An outline as read from the wire: zod checks the frame (the fields, and that each column is an array), and
 * decodeTraceOutline checks every value as it reads it, in its one pass over the spans. Checking the columns here
 * as well walked ~1,000,000 values a second time, in loops not yet optimised on a page's first trace: on a
 * 100,000-span outline, check and decode took 136–160 ms cold in Node against 99–126 ms for the one pass (issue #6).
 */
export const TraceOutlineWire = z.object({
  traceId: z.string(),
  startUs: z.number(),
  strings: column,
  services: column,
  spanId: column,
  parent: column,
  missingParent: column,
  service: column,
  name: column,
  kind: column,
  start: column,
  duration: column,
  status: column,
  statusMessage: column,
  eventCount: column,
  eventTime: column,
  eventName: column,
});
export type TraceOutlineWire = z.infer<typeof TraceOutlineWire>;

/** `GET /api/traces/{traceId}`: the full answer by default, the outline with `view=outline`. */
export const TraceViewQuery = z.object({ view: z.enum(["full", "outline"]).default("full") });
export type TraceViewQuery = z.infer<typeof TraceViewQuery>;

/** Span ids are hex (OTLP 8 bytes, Zipkin/Jaeger up to 16); a request names at most this many. */
export const MAX_DETAIL_SPANS = 1000;

/** `GET /api/traces/{traceId}/spans?ids=a,b,c`: the full ApiSpan of some spans (a TraceResponse with those). */
export const TraceSpansQuery = z.object({
  ids: z
    .string()
    .transform((text) => [...new Set(text.split(",").filter((id) => id !== ""))])
    .pipe(
      z
        .array(z.string().regex(/^[0-9a-fA-F]{1,32}$/, "expected hexadecimal span ids"))
        .min(1)
        .max(MAX_DETAIL_SPANS),
    ),
});
export type TraceSpansQuery = z.infer<typeof TraceSpansQuery>;

/** `GET /api/traces/{traceId}/find?q=`: the spans that Jaeger's find-in-trace matches, by the same terms. */
export const TraceFindQuery = z.object({ q: z.string().trim().min(1).max(1000) });
export type TraceFindQuery = z.infer<typeof TraceFindQuery>;

export const TraceFindResponse = z.object({ spanIds: z.array(z.string()) });
export type TraceFindResponse = z.infer<typeof TraceFindResponse>;

/**
 * One span as the outline carries it. An ApiSpan is one too, so the trace views take either (a stored trace's
 * outline, or a file opened in the browser with every detail).
 */
export interface OutlineSpan {
  spanId: string;
  parentSpanId: string | null;
  service: string;
  namespace: string | null;
  name: string;
  kind: SpanKind;
  /** µs since the epoch. */
  start: number;
  duration: number;
  status: { code: StatusCode; message?: string };
  events: readonly { time: number; name: string }[];
}

function byStartThenId(a: OutlineSpan, b: OutlineSpan): number {
  return a.start - b.start || (a.spanId < b.spanId ? -1 : a.spanId > b.spanId ? 1 : 0);
}

/** The string dictionary of an outline (indices in order of first use); the server's builder uses it too. */
export class OutlineDictionary {
  readonly strings: string[] = [];
  private readonly ids = new Map<string, number>();
  id(text: string): number {
    let id = this.ids.get(text);
    if (id === undefined) {
      id = this.strings.length;
      this.strings.push(text);
      this.ids.set(text, id);
    }
    return id;
  }
}

/**
 * (service, namespace) pairs → index into `services`. One Map lookup per span (a service has one namespace, rarely
 * a few, scanned): on a 100,000-span trace every Map operation per span costs tens of milliseconds.
 */
class ServiceTable {
  readonly services: [number, number][] = [];
  private readonly ids = new Map<string, { namespace: string | null; id: number }[]>();
  constructor(private readonly dict: OutlineDictionary) {}
  id(service: string, namespace: string | null): number {
    let entries = this.ids.get(service);
    if (entries === undefined) {
      entries = [];
      this.ids.set(service, entries);
    }
    for (const e of entries) if (e.namespace === namespace) return e.id;
    const id = this.services.length;
    this.services.push([this.dict.id(service), namespace === null ? -1 : this.dict.id(namespace)]);
    entries.push({ namespace, id });
    return id;
  }
}

/** The spans by start time (then id); the input itself when it is in that order already. */
function inStartOrder(input: readonly OutlineSpan[]): readonly OutlineSpan[] {
  for (let i = 1; i < input.length; i++) {
    if (byStartThenId(input[i - 1] as OutlineSpan, input[i] as OutlineSpan) > 0) return [...input].sort(byStartThenId);
  }
  return input;
}

/** The outline of a trace's spans (in any order; a duplicate span id keeps the first span in start order). */
export function encodeTraceOutline(traceId: string, input: readonly OutlineSpan[]): TraceOutline {
  const spans = inStartOrder(input);
  const n = spans.length;
  const dict = new OutlineDictionary();
  const services = new ServiceTable(dict);
  const byId = new Map<string, number>();
  // Backwards, so the first span of an id is set last and wins: one Map operation per span, not two.
  for (let i = n - 1; i >= 0; i--) byId.set((spans[i] as OutlineSpan).spanId, i);
  const startUs = n === 0 ? 0 : (spans[0] as OutlineSpan).start;
  // Filled by push, not preallocated: V8 keeps such arrays packed, which JSON.stringify walks fastest.
  const out: TraceOutline = {
    traceId,
    startUs,
    strings: dict.strings,
    services: services.services,
    spanId: [],
    parent: [],
    missingParent: [],
    service: [],
    name: [],
    kind: [],
    start: [],
    duration: [],
    status: [],
    statusMessage: [],
    eventCount: [],
    eventTime: [],
    eventName: [],
  };
  for (let i = 0; i < n; i++) {
    const s = spans[i] as OutlineSpan;
    out.spanId.push(s.spanId);
    const parent = s.parentSpanId === null ? undefined : byId.get(s.parentSpanId);
    out.parent.push(parent ?? -1);
    if (s.parentSpanId !== null && parent === undefined) out.missingParent.push([i, s.parentSpanId]);
    out.service.push(services.id(s.service, s.namespace));
    out.name.push(dict.id(s.name));
    // indexOf over a handful of constants: cheaper than a Map lookup per span.
    out.kind.push(Math.max(0, SPAN_KINDS.indexOf(s.kind)));
    out.start.push(s.start - startUs);
    out.duration.push(s.duration);
    out.status.push(Math.max(0, STATUS_CODES.indexOf(s.status.code)));
    if (s.status.message !== undefined) out.statusMessage.push([i, dict.id(s.status.message)]);
    out.eventCount.push(s.events.length);
    for (const e of s.events) {
      out.eventTime.push(e.time - startUs);
      out.eventName.push(dict.id(e.name));
    }
  }
  return out;
}

// Shared by every span without events, or with a status but no message: 100,000 spans need no 200,000 small objects.
const NO_EVENTS: readonly { time: number; name: string }[] = Object.freeze([]);
const STATUS_ONLY: Readonly<Record<StatusCode, OutlineSpan["status"]>> = {
  unset: Object.freeze({ code: "unset" }),
  ok: Object.freeze({ code: "ok" }),
  error: Object.freeze({ code: "error" }),
};

function invalid(what: string, i: number, detail: string): Error {
  return new Error(`trace outline: ${what} of span ${i} ${detail}`);
}

/** `list[i]` when `i` indexes a string of it (a JSON array has no holes: a missing entry is out of range). */
function stringAt(list: readonly unknown[], i: unknown, what: string): string {
  const value = typeof i === "number" ? list[i] : undefined;
  if (typeof value === "string") return value;
  throw new Error(`trace outline: ${what} ${String(i)} is ${value === undefined ? "out of range" : "not a string"}`);
}

/** A [number, number-or-string] pair of the small side columns (services, statusMessage, missingParent). */
function pair(list: readonly unknown[], k: number, what: string): [unknown, unknown] {
  const entry = list[k];
  if (!Array.isArray(entry) || entry.length !== 2) throw new Error(`trace outline: ${what} ${k} is not a pair`);
  return entry as [unknown, unknown];
}

/** A span index of a side column: an integer in [0, n). */
function spanIndex(value: unknown, n: number, what: string): number {
  if (typeof value === "number" && Number.isInteger(value) && value >= 0 && value < n) return value;
  throw new Error(`trace outline: ${what} names span ${String(value)} of ${n}`);
}

/** Throws unless every per-span column has one entry per span. */
function checkShape(o: TraceOutlineWire): void {
  const n = o.spanId.length;
  const columns = { parent: o.parent, service: o.service, name: o.name, kind: o.kind, start: o.start } as const;
  const more = { duration: o.duration, status: o.status, eventCount: o.eventCount } as const;
  for (const [name, column] of Object.entries({ ...columns, ...more })) {
    if (column.length !== n) throw new Error(`trace outline: ${name} has ${column.length} entries for ${n} spans`);
  }
  if (o.eventTime.length !== o.eventName.length) {
    throw new Error(
      `trace outline: eventTime and eventName hold different numbers of events (${o.eventTime.length}, ${o.eventName.length})`,
    );
  }
}

/** An outline's spans (in its start order) and each span's parent position (-1: none in the trace). */
export interface DecodedTraceOutline {
  spans: OutlineSpan[];
  parents: number[];
}

/**
 * The spans of an outline (in its start order), checking every value as it reads it (TraceOutlineWire leaves the
 * values to this pass). Throws, naming the column, on an outline whose values or columns do not fit together.
 */
export function decodeTraceOutline(o: TraceOutlineWire): DecodedTraceOutline {
  checkShape(o);
  const n = o.spanId.length;
  const strings = o.strings;
  const services: { name: string; namespace: string | null }[] = new Array(o.services.length);
  for (let k = 0; k < o.services.length; k++) {
    const [name, namespace] = pair(o.services, k, "service");
    services[k] = {
      name: stringAt(strings, name, "string"),
      namespace: namespace === -1 ? null : stringAt(strings, namespace, "string"),
    };
  }
  // Per-span lookups by position in plain arrays (most spans have neither), not a Map lookup per span.
  const messages: (string | undefined)[] = [];
  for (let k = 0; k < o.statusMessage.length; k++) {
    const [span, text] = pair(o.statusMessage, k, "statusMessage");
    messages[spanIndex(span, n, "statusMessage")] = stringAt(strings, text, "string");
  }
  const missing: (string | undefined)[] = [];
  for (let k = 0; k < o.missingParent.length; k++) {
    const [span, parentId] = pair(o.missingParent, k, "missingParent");
    if (typeof parentId !== "string") throw new Error(`trace outline: missingParent ${k} has no parent span id`);
    missing[spanIndex(span, n, "missingParent")] = parentId;
  }
  const spans: OutlineSpan[] = new Array(n);
  const parents: number[] = new Array(n);
  const eventCount = o.eventTime.length;
  let e = 0;
  for (let i = 0; i < n; i++) {
    const serviceIndex = o.service[i];
    const service = typeof serviceIndex === "number" ? services[serviceIndex] : undefined;
    if (service === undefined) throw new Error(`trace outline: service ${String(serviceIndex)} is out of range`);
    const p = o.parent[i];
    if (typeof p !== "number" || (p | 0) !== p || p < -1) throw invalid("parent", i, "is not a span index or -1");
    parents[i] = p;
    const count = o.eventCount[i];
    if (typeof count !== "number" || (count | 0) !== count || count < 0) {
      throw invalid("eventCount", i, "is not a count");
    }
    if (e + count > eventCount) {
      throw new Error(`trace outline: eventTime/eventName hold fewer events than eventCount announces`);
    }
    let events = NO_EVENTS;
    if (count > 0) {
      const list: { time: number; name: string }[] = new Array(count);
      for (let k = 0; k < count; k++, e++) {
        const time = o.eventTime[e];
        if (typeof time !== "number" || time - time !== 0) throw invalid("eventTime", i, "is not a finite number");
        list[k] = { time: o.startUs + time, name: stringAt(strings, o.eventName[e], "string") };
      }
      events = list;
    }
    const statusIndex = o.status[i];
    const code = typeof statusIndex === "number" ? STATUS_CODES[statusIndex] : undefined;
    if (code === undefined) throw invalid("status", i, "is not a status code index");
    const kindIndex = o.kind[i];
    const kind = typeof kindIndex === "number" ? SPAN_KINDS[kindIndex] : undefined;
    if (kind === undefined) throw invalid("kind", i, "is not a span kind index");
    const start = o.start[i];
    if (typeof start !== "number" || start - start !== 0) throw invalid("start", i, "is not a finite number");
    const duration = o.duration[i];
    if (typeof duration !== "number" || duration - duration !== 0) {
      throw invalid("duration", i, "is not a finite number");
    }
    const spanId = o.spanId[i];
    if (typeof spanId !== "string") throw invalid("spanId", i, "is not a string");
    const message = messages.length > i ? messages[i] : undefined;
    spans[i] = {
      spanId,
      parentSpanId: p >= 0 ? stringAt(o.spanId, p, "parent") : ((missing.length > i ? missing[i] : undefined) ?? null),
      service: service.name,
      namespace: service.namespace,
      name: stringAt(strings, o.name[i], "string"),
      kind,
      start: o.startUs + start,
      duration,
      status: message === undefined ? STATUS_ONLY[code] : { code, message },
      events,
    };
  }
  if (e !== eventCount) {
    throw new Error(`trace outline: eventTime/eventName hold ${eventCount} events, eventCount announces ${e}`);
  }
  return { spans, parents };
}
