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

const index = z.int().nonnegative();

/**
 * A column of 100,000 numbers checked by one tight loop: z.array(z.int()) takes ~100 times longer on such a column
 * (measured: ~200 ms for an outline's columns), which would be most of the page's cost of reading the outline.
 */
function intColumn(min: number, max = Number.MAX_SAFE_INTEGER) {
  return z.custom<number[]>(
    (v) => {
      if (!Array.isArray(v)) return false;
      for (const x of v) if (typeof x !== "number" || !Number.isInteger(x) || x < min || x > max) return false;
      return true;
    },
    { message: `expected an array of integers from ${min}${max === Number.MAX_SAFE_INTEGER ? "" : ` to ${max}`}` },
  );
}

const numberColumn = z.custom<number[]>(
  (v) => {
    if (!Array.isArray(v)) return false;
    for (const x of v) if (typeof x !== "number" || !Number.isFinite(x)) return false;
    return true;
  },
  { message: "expected an array of finite numbers" },
);

const stringColumn = z.custom<string[]>(
  (v) => {
    if (!Array.isArray(v)) return false;
    for (const x of v) if (typeof x !== "string") return false;
    return true;
  },
  { message: "expected an array of strings" },
);

export const TraceOutline = z.object({
  traceId: z.string(),
  /** µs since the epoch of the earliest span start; `start` and `eventTime` are µs after it. */
  startUs: z.number(),
  /** Dictionary of service names, namespaces, operation names, event names and status messages. */
  strings: stringColumn,
  /** Distinct (service, namespace) pairs as string indices; namespace -1 when the span has none. */
  services: z.array(z.tuple([index, z.int().min(-1)])),
  spanId: stringColumn,
  /** Index of the parent span in these arrays, -1 when the span has no parent in the trace. */
  parent: intColumn(-1),
  /** [span index, parent span id] of the spans whose parent id is set but names no span of the trace. */
  missingParent: z.array(z.tuple([index, z.string()])),
  /** Index into `services`. */
  service: intColumn(0),
  /** Operation name, index into `strings`. */
  name: intColumn(0),
  /** Index into SPAN_KINDS. */
  kind: intColumn(0, SPAN_KINDS.length - 1),
  start: numberColumn,
  duration: numberColumn,
  /** Index into STATUS_CODES. */
  status: intColumn(0, STATUS_CODES.length - 1),
  /** [span index, string index] of the spans with a status message. */
  statusMessage: z.array(z.tuple([index, index])),
  /** Events per span; the events of all spans follow each other in `eventTime` and `eventName`. */
  eventCount: intColumn(0),
  eventTime: numberColumn,
  eventName: intColumn(0),
});
export type TraceOutline = z.infer<typeof TraceOutline>;

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

function at<T>(list: readonly T[], i: number, what: string): T {
  const value = list[i];
  if (value === undefined) throw new Error(`trace outline: ${what} ${i} is out of range`);
  return value;
}

/** Throws unless every per-span column has one entry per span and the events add up. */
function checkShape(o: TraceOutline): void {
  const n = o.spanId.length;
  const columns = { parent: o.parent, service: o.service, name: o.name, kind: o.kind, start: o.start } as const;
  const more = { duration: o.duration, status: o.status, eventCount: o.eventCount } as const;
  for (const [name, column] of Object.entries({ ...columns, ...more })) {
    if (column.length !== n) throw new Error(`trace outline: ${name} has ${column.length} entries for ${n} spans`);
  }
  let events = 0;
  for (const c of o.eventCount) events += c;
  if (o.eventTime.length !== events || o.eventName.length !== events) {
    throw new Error(`trace outline: eventTime/eventName do not hold the ${events} events eventCount announces`);
  }
}

/** The spans of an outline (in its start order). Throws on an outline whose columns do not fit together. */
export function decodeTraceOutline(o: TraceOutline): OutlineSpan[] {
  checkShape(o);
  const n = o.spanId.length;
  const services = o.services.map(([name, namespace]) => ({
    name: at(o.strings, name, "string"),
    namespace: namespace < 0 ? null : at(o.strings, namespace, "string"),
  }));
  // Per-span lookups by position in plain arrays (most spans have neither), not a Map lookup per span.
  const messages: (string | undefined)[] = [];
  for (const [span, text] of o.statusMessage) messages[span] = at(o.strings, text, "string");
  const missing: (string | undefined)[] = [];
  for (const [span, parentId] of o.missingParent) missing[span] = parentId;
  const names = o.strings;
  const spans: OutlineSpan[] = new Array(n);
  let e = 0;
  for (let i = 0; i < n; i++) {
    const service = at(services, o.service[i] as number, "service");
    const p = o.parent[i] as number;
    const count = o.eventCount[i] as number;
    let events = NO_EVENTS;
    if (count > 0) {
      const list: { time: number; name: string }[] = new Array(count);
      for (let k = 0; k < count; k++, e++) {
        list[k] = {
          time: o.startUs + (o.eventTime[e] as number),
          name: at(o.strings, o.eventName[e] as number, "string"),
        };
      }
      events = list;
    }
    const code = STATUS_CODES[o.status[i] as number] ?? "unset";
    const message = messages.length > i ? messages[i] : undefined;
    spans[i] = {
      spanId: o.spanId[i] as string,
      parentSpanId: p >= 0 ? at(o.spanId, p, "parent") : ((missing.length > i ? missing[i] : undefined) ?? null),
      service: service.name,
      namespace: service.namespace,
      name: at(names, o.name[i] as number, "string"),
      kind: SPAN_KINDS[o.kind[i] as number] ?? "unspecified",
      start: o.startUs + (o.start[i] as number),
      duration: o.duration[i] as number,
      status: message === undefined ? (STATUS_ONLY[code] ?? { code }) : { code, message },
      events,
    };
  }
  return spans;
}
