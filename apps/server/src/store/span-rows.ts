/**
 * SpanRecord ⇄ the row shapes of the trace tables. Encoding is pure CPU work (attribute encoding, JSON, grouping
 * by trace) done before the writer sees the batch, so it runs on the thread that decoded the request and the
 * writer (possibly a worker thread) only binds values.
 *
 * An EncodedBatch is plain data (arrays, typed arrays, strings): it crosses to a worker thread by structured
 * clone, and its typed arrays can be transferred.
 */
import { createHash } from "node:crypto";
import type {
  Attributes,
  InstrumentationScope,
  SpanEvent,
  SpanKind,
  SpanLink,
  SpanRecord,
  SpanStatus,
  StatusCode,
} from "@meshscope/model";
import { SPAN_KINDS, STATUS_CODES, setAttribute } from "@meshscope/model";
import { encodeAttributes, toAttributeValue } from "./attr-codec.js";

export interface EncodedService {
  name: string;
  /** "" when the span has none. */
  namespace: string;
}

export interface EncodedOperation {
  /** Index into EncodedBatch.services. */
  service: number;
  name: string;
  /** Index into SPAN_KINDS. */
  kind: number;
}

export interface EncodedResource {
  /** SHA-1 of `attrs`: the dedupe key of the resources table. */
  hash: string;
  attrs: string;
}

export interface EncodedScope {
  name: string;
  /** "" when absent. */
  version: string;
}

/** The spans of one trace within the batch: `count` consecutive spans, and their contribution to the summary. */
export interface EncodedTrace {
  traceId: string;
  count: number;
  startUs: number;
  endUs: number;
  /** Index into EncodedBatch.operations of the root candidate: a span without parent, else the earliest. */
  rootOp: number;
  rootHasParent: 0 | 1;
  rootStartUs: number;
  errorCount: number;
  /** Pairs [service index, span count], flattened. */
  serviceCounts: number[];
}

export interface EncodedSpans {
  op: Int32Array;
  resource: Int32Array;
  /** Index into EncodedBatch.scopes, or -1 for a span without instrumentation scope. */
  scope: Int32Array;
  startUs: Float64Array;
  durationUs: Float64Array;
  status: Uint8Array;
  attrs: string[];
  body: string[];
}

export interface EncodedBatch {
  services: EncodedService[];
  operations: EncodedOperation[];
  resources: EncodedResource[];
  scopes: EncodedScope[];
  /** In span order: trace i owns the next traces[i].count spans. */
  traces: EncodedTrace[];
  spans: EncodedSpans;
  spanCount: number;
  maxStartUs: number;
}

const KIND_INDEX = new Map<string, number>(SPAN_KINDS.map((k, i) => [k, i]));
const STATUS_INDEX = new Map<string, number>(STATUS_CODES.map((c, i) => [c, i]));
const ERROR_STATUS = STATUS_CODES.indexOf("error");
const HEX_ID = /^(?:[0-9a-f]{2})+$/;

/** The body column: what search never filters on. Short keys because it is stored once per span. */
interface SpanBody {
  s: string;
  p?: string;
  m?: string;
  e?: SpanEvent[];
  l?: SpanLink[];
  d?: [number, number, number];
}

function encodeBody(span: SpanRecord): string {
  const body: SpanBody = { s: span.spanId };
  if (span.parentSpanId !== null) body.p = span.parentSpanId;
  if (span.status.message !== undefined) body.m = span.status.message;
  if (span.events.length > 0) body.e = span.events;
  if (span.links.length > 0) body.l = span.links;
  if (span.droppedAttributesCount + span.droppedEventsCount + span.droppedLinksCount > 0) {
    body.d = [span.droppedAttributesCount, span.droppedEventsCount, span.droppedLinksCount];
  }
  return JSON.stringify(body);
}

class BatchEncoder {
  readonly services: EncodedService[] = [];
  readonly operations: EncodedOperation[] = [];
  readonly resources: EncodedResource[] = [];
  readonly scopes: EncodedScope[] = [];
  private readonly scopeIdx = new Map<string, number>();
  private readonly serviceIdx = new Map<string, number>();
  private readonly opIdx = new Map<string, number>();
  private readonly resourceIdx = new Map<string, number>();
  // Decoders share one resource object among the spans of a ResourceSpans: encode it once.
  private readonly resourceByObject = new WeakMap<Attributes, number>();

  service(span: SpanRecord): number {
    const ns = span.namespace ?? "";
    const key = `${span.service}\0${ns}`;
    let idx = this.serviceIdx.get(key);
    if (idx === undefined) {
      idx = this.services.push({ name: span.service, namespace: ns }) - 1;
      this.serviceIdx.set(key, idx);
    }
    return idx;
  }

  operation(span: SpanRecord, service: number): number {
    const kind = KIND_INDEX.get(span.kind) ?? 0;
    const key = `${service}\0${kind}\0${span.name}`;
    let idx = this.opIdx.get(key);
    if (idx === undefined) {
      idx = this.operations.push({ service, name: span.name, kind }) - 1;
      this.opIdx.set(key, idx);
    }
    return idx;
  }

  scope(scope: InstrumentationScope | null): number {
    if (scope === null) return -1;
    const version = scope.version ?? "";
    const key = `${scope.name}\0${version}`;
    let idx = this.scopeIdx.get(key);
    if (idx === undefined) {
      idx = this.scopes.push({ name: scope.name, version }) - 1;
      this.scopeIdx.set(key, idx);
    }
    return idx;
  }

  resource(attrs: Attributes): number {
    const known = this.resourceByObject.get(attrs);
    if (known !== undefined) return known;
    const text = encodeAttributes(attrs);
    let idx = this.resourceIdx.get(text);
    if (idx === undefined) {
      const hash = createHash("sha1").update(text).digest("base64");
      idx = this.resources.push({ hash, attrs: text }) - 1;
      this.resourceIdx.set(text, idx);
    }
    this.resourceByObject.set(attrs, idx);
    return idx;
  }
}

function groupByTrace(spans: readonly SpanRecord[]): Map<string, SpanRecord[]> {
  const groups = new Map<string, SpanRecord[]>();
  for (const span of spans) {
    if (!HEX_ID.test(span.traceId)) throw new TypeError(`trace id is not lower-case hex: ${span.traceId}`);
    const group = groups.get(span.traceId);
    if (group === undefined) groups.set(span.traceId, [span]);
    else group.push(span);
  }
  return groups;
}

/** Encodes spans into the rows of the trace tables, grouped by trace so each trace's spans are contiguous. */
export function encodeSpanRows(spans: readonly SpanRecord[]): EncodedBatch {
  const n = spans.length;
  const enc = new BatchEncoder();
  const out: EncodedSpans = {
    op: new Int32Array(n),
    resource: new Int32Array(n),
    scope: new Int32Array(n),
    startUs: new Float64Array(n),
    durationUs: new Float64Array(n),
    status: new Uint8Array(n),
    attrs: new Array<string>(n),
    body: new Array<string>(n),
  };
  const traces: EncodedTrace[] = [];
  let i = 0;
  let maxStartUs = 0;
  for (const [traceId, group] of groupByTrace(spans)) {
    const perService = new Map<number, number>();
    let startUs = Number.POSITIVE_INFINITY;
    let endUs = Number.NEGATIVE_INFINITY;
    let rootOp = -1;
    let rootHasParent: 0 | 1 = 1;
    let rootStartUs = Number.POSITIVE_INFINITY;
    let errorCount = 0;
    for (const span of group) {
      const service = enc.service(span);
      const op = enc.operation(span, service);
      const status = STATUS_INDEX.get(span.status.code) ?? 0;
      out.op[i] = op;
      out.resource[i] = enc.resource(span.resource);
      out.scope[i] = enc.scope(span.scope);
      out.startUs[i] = span.startUs;
      out.durationUs[i] = span.durationUs;
      out.status[i] = status;
      out.attrs[i] = encodeAttributes(span.attributes);
      out.body[i] = encodeBody(span);
      i++;
      perService.set(service, (perService.get(service) ?? 0) + 1);
      if (status === ERROR_STATUS) errorCount++;
      startUs = Math.min(startUs, span.startUs);
      endUs = Math.max(endUs, span.startUs + span.durationUs);
      maxStartUs = Math.max(maxStartUs, span.startUs);
      const hasParent = span.parentSpanId === null ? 0 : 1;
      if (hasParent < rootHasParent || (hasParent === rootHasParent && span.startUs < rootStartUs) || rootOp < 0) {
        rootOp = op;
        rootHasParent = hasParent;
        rootStartUs = span.startUs;
      }
    }
    traces.push({
      traceId,
      count: group.length,
      startUs,
      endUs,
      rootOp,
      rootHasParent,
      rootStartUs,
      errorCount,
      serviceCounts: [...perService].flat(),
    });
  }
  return {
    services: enc.services,
    operations: enc.operations,
    resources: enc.resources,
    scopes: enc.scopes,
    traces,
    spans: out,
    spanCount: n,
    maxStartUs,
  };
}

/** The buffers of an EncodedBatch that postMessage can transfer instead of copying. */
export function transferables(batch: EncodedBatch): ArrayBuffer[] {
  const s = batch.spans;
  return [
    s.op.buffer,
    s.resource.buffer,
    s.scope.buffer,
    s.startUs.buffer,
    s.durationUs.buffer,
    s.status.buffer,
  ].filter((b): b is ArrayBuffer => b instanceof ArrayBuffer);
}

// ---- decoding (read path) ----

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function toAttributes(v: unknown): Attributes {
  const out: Attributes = {};
  if (!isRecord(v)) return out;
  for (const [k, val] of Object.entries(v)) setAttribute(out, k, toAttributeValue(val));
  return out;
}

function toNumber(v: unknown): number {
  return typeof v === "number" ? v : 0;
}

function toStr(v: unknown): string {
  return typeof v === "string" ? v : "";
}

function toEvents(v: unknown): SpanEvent[] {
  if (!Array.isArray(v)) return [];
  return v.filter(isRecord).map((e) => ({
    timeUs: toNumber(e.timeUs),
    name: toStr(e.name),
    attributes: toAttributes(e.attributes),
  }));
}

function toLinks(v: unknown): SpanLink[] {
  if (!Array.isArray(v)) return [];
  return v.filter(isRecord).map((l) => ({
    traceId: toStr(l.traceId),
    spanId: toStr(l.spanId),
    attributes: toAttributes(l.attributes),
  }));
}

export interface DecodedSpanParts {
  spanId: string;
  parentSpanId: string | null;
  status: SpanStatus;
  events: SpanEvent[];
  links: SpanLink[];
  droppedAttributesCount: number;
  droppedEventsCount: number;
  droppedLinksCount: number;
}

/** Reads the body column back. It was written by encodeBody; the checks only narrow the parsed JSON. */
export function decodeBody(body: string, statusIndex: number): DecodedSpanParts {
  const parsed: unknown = JSON.parse(body);
  const b = isRecord(parsed) ? parsed : {};
  const code: StatusCode = STATUS_CODES[statusIndex] ?? "unset";
  const status: SpanStatus = { code };
  if (typeof b.m === "string") status.message = b.m;
  const dropped = Array.isArray(b.d) ? b.d : [];
  return {
    spanId: toStr(b.s),
    parentSpanId: typeof b.p === "string" ? b.p : null,
    status,
    events: toEvents(b.e),
    links: toLinks(b.l),
    droppedAttributesCount: toNumber(dropped[0]),
    droppedEventsCount: toNumber(dropped[1]),
    droppedLinksCount: toNumber(dropped[2]),
  };
}

export function spanKindAt(index: number): SpanKind {
  return SPAN_KINDS[index] ?? "unspecified";
}

/** Index of a span kind given as text (e.g. a `span.kind` search tag); undefined when it names no kind. */
export function spanKindIndexOf(text: string): number | undefined {
  return KIND_INDEX.get(text);
}

export function statusIndex(code: StatusCode): number {
  return STATUS_INDEX.get(code) ?? 0;
}
