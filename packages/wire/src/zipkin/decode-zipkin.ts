import type { Attributes, SpanEvent, SpanKind, SpanRecord } from "@meshscope/model";
import { DecodeContext, type DecodeResult, setAttribute } from "../decode-context.js";
import { isAllZeroHex, normaliseHex } from "../encoding.js";
import { fieldError, type JsonObject, jsonType, parseJson, prependPath, toWireError } from "../json-path.js";
import { type DecodeLimits, resolveLimits } from "../limits.js";
import { expectObject } from "../otlp/json-values.js";
import { UNKNOWN_SERVICE } from "../otlp/semantics.js";
import { separateSharedSpanIds, type ZipkinSpanDraft } from "./shared-span-ids.js";
import { zipkinStatus } from "./zipkin-status.js";

/**
 * Decodes a Zipkin v2 `ListOfSpans` in JSON (openzipkin/zipkin-api zipkin2-api.yaml), what Envoy/Istio send
 * to `POST /api/v2/spans`. Mapping follows the OpenTelemetry collector's Zipkin translator (zipkinv2
 * to_translator.go): localEndpoint.serviceName → service.name; remoteEndpoint → peer.service, net.peer.ip,
 * net.peer.port; localEndpoint address → net.host.ip, net.host.port; tags → string attributes; annotations →
 * events; no kind → unspecified unless the tag `span.kind=internal`. Times are already µs.
 */
export function decodeZipkinV2Json(text: string, limits?: Partial<DecodeLimits>): DecodeResult {
  const ctx = new DecodeContext(resolveLimits(limits));
  const root = parseJson(text);
  const drafts: ZipkinSpanDraft[] = [];
  try {
    if (!Array.isArray(root))
      fieldError("", `expected an array of spans (Zipkin v2 ListOfSpans), got ${jsonType(root)}`);
    const resources = new Map<string, Attributes>();
    for (let i = 0; i < root.length; i++) {
      try {
        const draft = decodeZipkinSpan(root[i], ctx, resources);
        if (draft !== null) drafts.push(draft);
      } catch (error) {
        prependPath(error, `[${i}]`);
      }
    }
  } catch (error) {
    toWireError(error);
  }
  separateSharedSpanIds(drafts);
  for (const draft of drafts) ctx.spans.push(draft.record);
  return ctx.result();
}

const KINDS: Readonly<Record<string, SpanKind>> = {
  CLIENT: "client",
  SERVER: "server",
  PRODUCER: "producer",
  CONSUMER: "consumer",
};

function decodeZipkinSpan(
  value: unknown,
  ctx: DecodeContext,
  resources: Map<string, Attributes>,
): ZipkinSpanDraft | null {
  const o = expectObject(value, "span");
  const rawTraceId = requiredString(o, "traceId");
  // 64-bit trace ids (16 hex) are the low half of a 128-bit id: pad to 32, as Zipkin and the collector do.
  const traceId = normaliseHex(rawTraceId.padStart(32, "0"), 32);
  if (traceId === null || (rawTraceId.length !== 16 && rawTraceId.length !== 32)) {
    fieldError(".traceId", `expected 16 or 32 hex digits, got ${rawTraceId.length} characters`);
  }
  const spanId = spanIdField(o, "id", true);
  let parentSpanId: string | null = spanIdField(o, "parentId", false);
  // The collector drops a parent equal to the span itself; all zeros means no parent.
  if (parentSpanId === "" || parentSpanId === spanId || isAllZeroHex(parentSpanId)) parentSpanId = null;
  const name = optionalString(o, "name") ?? "";
  const sink = new AttributeSink(ctx);
  const tags = tagsField(o, sink);
  const kindName = optionalString(o, "kind");
  let kind: SpanKind = "unspecified";
  if (kindName !== undefined) {
    const known = KINDS[kindName];
    if (known === undefined) fieldError(".kind", "expected one of CLIENT, SERVER, PRODUCER, CONSUMER");
    kind = known;
  } else if (tags("span.kind") === "internal") {
    kind = "internal";
  }
  const timestamp = optionalMicros(o, "timestamp");
  const duration = optionalMicros(o, "duration") ?? 0;
  const shared = optionalBoolean(o, "shared") ?? false;
  optionalBoolean(o, "debug");
  const local = endpointField(o, "localEndpoint");
  const remote = endpointField(o, "remoteEndpoint");
  const events = annotationsField(o, ctx);
  // Endpoint attributes only fill gaps left by tags (the collector inserts without overwriting).
  sink.addIfAbsent("net.host.ip", local?.ipv4 ?? local?.ipv6);
  sink.addIfAbsent("net.host.port", local?.port);
  sink.addIfAbsent("peer.service", remote?.serviceName);
  sink.addIfAbsent("net.peer.ip", remote?.ipv4 ?? remote?.ipv6);
  sink.addIfAbsent("net.peer.port", remote?.port);

  if (isAllZeroHex(traceId)) return reject(ctx, "trace id is all zeros");
  if (isAllZeroHex(spanId)) return reject(ctx, "span id is all zeros");
  // Zipkin allows a missing timestamp for late-arriving parts of a span; alone it cannot be placed in time.
  if (timestamp === undefined || timestamp === 0) return reject(ctx, "zipkin span has no timestamp");
  if (timestamp + duration > Number.MAX_SAFE_INTEGER) return reject(ctx, "end time is out of range");

  const service = local?.serviceName || UNKNOWN_SERVICE;
  let resource = resources.get(service);
  if (resource === undefined) {
    resource = service === UNKNOWN_SERVICE ? {} : { "service.name": service };
    resources.set(service, resource);
  }
  const record: SpanRecord = {
    traceId,
    spanId,
    parentSpanId,
    service,
    namespace: tags("k8s.namespace.name") || tags("istio.namespace") || tags("service.namespace") || null,
    name,
    kind,
    startUs: timestamp,
    durationUs: duration,
    status: zipkinStatus(kind, tags),
    attributes: sink.attributes,
    resource,
    scope: null,
    events: events.kept,
    links: [],
    droppedAttributesCount: sink.dropped,
    droppedEventsCount: events.dropped,
    droppedLinksCount: 0,
  };
  return { record, shared };
}

function reject(ctx: DecodeContext, reason: string): null {
  ctx.reject(reason);
  return null;
}

function requiredString(o: JsonObject, key: string): string {
  const value = o[key];
  if (typeof value !== "string") fieldError(`.${key}`, `expected string, got ${jsonType(value)}`);
  return value;
}

function optionalString(o: JsonObject, key: string): string | undefined {
  const value = o[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") fieldError(`.${key}`, `expected string, got ${jsonType(value)}`);
  return value;
}

function optionalBoolean(o: JsonObject, key: string): boolean | undefined {
  const value = o[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "boolean") fieldError(`.${key}`, `expected boolean, got ${jsonType(value)}`);
  return value;
}

/** Epoch or duration µs: a non-negative integer JSON number. */
function optionalMicros(o: JsonObject, key: string): number | undefined {
  const value = o[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    fieldError(`.${key}`, `expected non-negative integer microseconds, got ${jsonType(value)}`);
  }
  return value;
}

/** A 64-bit span id: exactly 16 hex digits. "" when an optional id is absent. */
function spanIdField(o: JsonObject, key: string, required: boolean): string {
  const value = required ? requiredString(o, key) : optionalString(o, key);
  // Some tracers write an empty parentId on root spans.
  if (value === undefined || (value === "" && !required)) return "";
  const id = normaliseHex(value, 16);
  if (id === null) fieldError(`.${key}`, `expected 16 hex digits, got ${value.length} characters`);
  return id;
}

/** A span's attributes under the per-span limit. */
class AttributeSink {
  readonly attributes: Attributes = {};
  dropped = 0;
  private count = 0;
  private readonly ctx: DecodeContext;

  constructor(ctx: DecodeContext) {
    this.ctx = ctx;
  }

  add(key: string, value: string | number): void {
    if (this.count >= this.ctx.limits.maxAttributesPerSpan) {
      this.dropped++;
      this.ctx.truncatedAttributes++;
      return;
    }
    setAttribute(this.attributes, key, typeof value === "string" ? this.ctx.limitString(value) : value);
    this.count++;
  }

  addIfAbsent(key: string, value: string | number | undefined): void {
    if (value !== undefined && value !== "" && !Object.hasOwn(this.attributes, key)) this.add(key, value);
  }
}

type TagLookup = (key: string) => string | undefined;
const NO_TAGS: TagLookup = () => undefined;

/**
 * Tags are string → string in Zipkin v2; numbers and booleans (sent by some tracers) are kept as their text.
 * Each becomes an attribute; the returned lookup reads the full (untruncated) value of a tag by name. It reads
 * own properties only, so a tag named `constructor` or `__proto__` is just a tag.
 */
function tagsField(o: JsonObject, sink: AttributeSink): TagLookup {
  const value = o.tags;
  if (value === undefined || value === null) return NO_TAGS;
  const t = expectTagsObject(value);
  for (const key in t) {
    const v = t[key];
    if (typeof v === "string") sink.add(key, v);
    else if (typeof v === "number" || typeof v === "boolean") sink.add(key, String(v));
    else fieldError(`.tags[${JSON.stringify(key)}]`, `expected string, got ${jsonType(v)}`);
  }
  return (key) => (Object.hasOwn(t, key) ? String(t[key]) : undefined);
}

function expectTagsObject(value: unknown): JsonObject {
  try {
    return expectObject(value, "tags");
  } catch (error) {
    return prependPath(error, ".tags");
  }
}

interface Endpoint {
  serviceName?: string;
  ipv4?: string;
  ipv6?: string;
  port?: number;
}

function endpointField(o: JsonObject, key: string): Endpoint | null {
  const value = o[key];
  if (value === undefined || value === null) return null;
  try {
    const e = expectObject(value, "endpoint");
    const endpoint: Endpoint = {};
    const serviceName = optionalString(e, "serviceName");
    if (serviceName !== undefined) endpoint.serviceName = serviceName;
    const ipv4 = optionalString(e, "ipv4");
    if (ipv4 !== undefined) endpoint.ipv4 = ipv4;
    const ipv6 = optionalString(e, "ipv6");
    if (ipv6 !== undefined) endpoint.ipv6 = ipv6;
    const port = e.port;
    if (port !== undefined && port !== null) {
      if (typeof port !== "number" || !Number.isInteger(port) || port < 0 || port > 65535) {
        fieldError(".port", `expected a port number, got ${jsonType(port)}`);
      }
      if (port > 0) endpoint.port = port;
    }
    return endpoint;
  } catch (error) {
    return prependPath(error, `.${key}`);
  }
}

/** Annotations [{timestamp µs, value}] become events named by their value. */
function annotationsField(o: JsonObject, ctx: DecodeContext): { kept: SpanEvent[]; dropped: number } {
  const value = o.annotations;
  if (value === undefined || value === null) return { kept: [], dropped: 0 };
  if (!Array.isArray(value)) fieldError(".annotations", `expected array, got ${jsonType(value)}`);
  const kept: SpanEvent[] = [];
  const max = ctx.limits.maxEventsPerSpan;
  for (let i = 0; i < value.length && i < max; i++) {
    try {
      const a = expectObject(value[i], "annotation");
      kept.push({ timeUs: optionalMicros(a, "timestamp") ?? 0, name: requiredString(a, "value"), attributes: {} });
    } catch (error) {
      prependPath(error, `.annotations[${i}]`);
    }
  }
  return { kept, dropped: value.length - kept.length };
}
