/**
 * Jaeger's UI JSON (`{data:[{traceID, spans, processes}]}`, reference jaeger.md §2.1, what Jaeger's "Download"
 * and `/api/traces/{id}` give) → API spans. The mapping is the reverse of OpenTelemetry's OTLP → Jaeger
 * translator (jaeger.md §2.2): `span.kind`, `otel.status_code` / `otel.status_description` and the scope tags
 * become fields again, `error=true` marks an error, the parent is the first CHILD_OF (else FOLLOWS_FROM)
 * reference within the trace, and references to other traces become links. Jaeger ids of 16 hex characters are
 * 64-bit: left-padded to OTel's 32.
 */
import type { ApiSpan, Attributes, AttributeValue, SpanKind } from "@meshscope/model";
import { SPAN_KINDS, setAttribute } from "@meshscope/model";
import {
  arrayAt,
  isObject,
  type JsonObject,
  numberAt,
  objectAt,
  optionalArray,
  stringAt,
  TraceFileError,
} from "./json-read";
import { originOf, type ParsedTrace } from "./otlp-json";

function hexId(value: unknown, path: string, width: number): string {
  const text = stringAt(value, path).toLowerCase();
  if (!/^[0-9a-f]{1,32}$/.test(text) || text.length > width) {
    throw new TraceFileError(`${path} must be hex of at most ${width} characters`);
  }
  return text.padStart(width, "0");
}

/** Jaeger tags `[{key, type, value}]` → attributes (int64 beyond 2^53 arrives as a string and stays one). */
function tagsToAttributes(list: unknown, path: string): Attributes {
  const out: Attributes = {};
  optionalArray(list, path).forEach((raw, i) => {
    const tag = objectAt(raw, `${path}[${i}]`);
    const key = stringAt(tag.key, `${path}[${i}].key`);
    const value = tag.value;
    if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean") {
      throw new TraceFileError(`${path}[${i}].value must be a string, number or boolean`);
    }
    setAttribute(out, key, value);
  });
  return out;
}

function take(attributes: Attributes, key: string): AttributeValue | undefined {
  if (!Object.hasOwn(attributes, key)) return undefined;
  const value = attributes[key];
  delete attributes[key];
  return value;
}

function isKind(value: string): value is SpanKind {
  return (SPAN_KINDS as readonly string[]).includes(value);
}

function statusFrom(attributes: Attributes): ApiSpan["status"] {
  const code = take(attributes, "otel.status_code");
  const description = take(attributes, "otel.status_description");
  const errorTag = take(attributes, "error");
  const message = typeof description === "string" && description !== "" ? { message: description } : {};
  if (code === "ERROR" || errorTag === true || errorTag === "true") return { code: "error", ...message };
  if (code === "OK") return { code: "ok", ...message };
  return { code: "unset", ...message };
}

function scopeFrom(attributes: Attributes): ApiSpan["scope"] {
  const name = take(attributes, "otel.scope.name") ?? take(attributes, "otel.library.name");
  const version = take(attributes, "otel.scope.version") ?? take(attributes, "otel.library.version");
  if (typeof name !== "string") return null;
  return typeof version === "string" && version !== "" ? { name, version } : { name };
}

interface Reference {
  refType: string;
  traceId: string;
  spanId: string;
}

function references(list: unknown, path: string): Reference[] {
  return optionalArray(list, path).map((raw, i) => {
    const ref = objectAt(raw, `${path}[${i}]`);
    return {
      refType: stringAt(ref.refType, `${path}[${i}].refType`),
      traceId: hexId(ref.traceID, `${path}[${i}].traceID`, 32),
      spanId: hexId(ref.spanID, `${path}[${i}].spanID`, 16),
    };
  });
}

function eventsFrom(list: unknown, path: string): ApiSpan["events"] {
  return optionalArray(list, path).map((raw, i) => {
    const log = objectAt(raw, `${path}[${i}]`);
    const attributes = tagsToAttributes(log.fields, `${path}[${i}].fields`);
    const name = take(attributes, "event");
    return {
      time: numberAt(log.timestamp, `${path}[${i}].timestamp`),
      name: typeof name === "string" ? name : "log",
      attributes,
    };
  });
}

function convertSpan(raw: unknown, path: string, traceId: string, processes: JsonObject): ApiSpan {
  const s = objectAt(raw, path);
  const processId = stringAt(s.processID, `${path}.processID`);
  // Own properties only: a processID of `__proto__` must not reach Object.prototype.
  const process = objectAt(
    Object.hasOwn(processes, processId) ? processes[processId] : undefined,
    `processes.${processId}`,
  );
  const resource = tagsToAttributes(process.tags, `processes.${processId}.tags`);
  if (!Object.hasOwn(resource, "service.name")) {
    setAttribute(resource, "service.name", stringAt(process.serviceName, `processes.${processId}.serviceName`));
  }
  const attributes = tagsToAttributes(s.tags, `${path}.tags`);
  const kind = take(attributes, "span.kind");
  const status = statusFrom(attributes);
  const scope = scopeFrom(attributes);
  const refs = references(s.references, `${path}.references`);
  const inTrace = refs.filter((r) => r.traceId === traceId);
  const parentRef = inTrace.find((r) => r.refType === "CHILD_OF") ?? inTrace.find((r) => r.refType === "FOLLOWS_FROM");
  const origin = originOf(resource, scope);
  return {
    spanId: hexId(s.spanID, `${path}.spanID`, 16),
    parentSpanId: parentRef?.spanId ?? null,
    service: origin.service,
    namespace: origin.namespace,
    name: typeof s.operationName === "string" ? s.operationName : "",
    kind: typeof kind === "string" && isKind(kind) ? kind : "unspecified",
    start: numberAt(s.startTime, `${path}.startTime`),
    duration: numberAt(s.duration, `${path}.duration`),
    status,
    attributes,
    resource,
    scope,
    events: eventsFrom(s.logs, `${path}.logs`),
    links: refs.filter((r) => r !== parentRef).map((r) => ({ traceId: r.traceId, spanId: r.spanId, attributes: {} })),
  };
}

function convertTrace(raw: unknown, path: string): ParsedTrace {
  const trace = objectAt(raw, path);
  const traceId = hexId(trace.traceID, `${path}.traceID`, 32);
  const processes = trace.processes === undefined ? {} : objectAt(trace.processes, `${path}.processes`);
  const spans = arrayAt(trace.spans, `${path}.spans`).map((s, i) =>
    convertSpan(s, `${path}.spans[${i}]`, traceId, processes),
  );
  return { traceId, spans };
}

/** `{data:[trace…]}` (Jaeger's envelope) or a bare trace object. */
export function fromJaegerJson(body: JsonObject): ParsedTrace[] {
  if ("data" in body) return arrayAt(body.data, "data").map((t, i) => convertTrace(t, `data[${i}]`));
  return [convertTrace(body, "trace")];
}

export function looksLikeJaeger(body: JsonObject): boolean {
  return (Array.isArray(body.data) && body.data.every(isObject)) || ("traceID" in body && "spans" in body);
}
