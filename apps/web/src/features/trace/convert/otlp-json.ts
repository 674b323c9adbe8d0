/**
 * API spans ↔ OTLP JSON (`ExportTraceServiceRequest`, opentelemetry-proto `trace.proto` with the OTLP JSON
 * mapping rules): ids as lower-case hex, times as unix-nanosecond decimal strings, enums as numbers, attributes as
 * `KeyValue` lists of `AnyValue`. Spans are grouped by resource, then by instrumentation scope, as an SDK
 * exports them. Pure: the download and the open-a-file page use these, and the unit tests round-trip them.
 */
import type { ApiSpan, Attributes, AttributeValue, SpanKind } from "@meshscope/model";
import { setAttribute } from "@meshscope/model";
import {
  arrayAt,
  hexAt,
  type JsonObject,
  nanosToMicros,
  objectAt,
  optionalArray,
  optionalString,
  stringAt,
  TraceFileError,
} from "./json-read";

export interface OtlpAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string;
  doubleValue?: number;
  arrayValue?: { values: OtlpAnyValue[] };
  kvlistValue?: { values: OtlpKeyValue[] };
}
export interface OtlpKeyValue {
  key: string;
  value: OtlpAnyValue;
}
export interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: OtlpKeyValue[];
  events: { timeUnixNano: string; name: string; attributes: OtlpKeyValue[] }[];
  links: { traceId: string; spanId: string; attributes: OtlpKeyValue[] }[];
  status: { code: number; message?: string };
}
export interface OtlpTraceRequest {
  resourceSpans: {
    resource: { attributes: OtlpKeyValue[] };
    scopeSpans: { scope?: { name: string; version?: string }; spans: OtlpSpan[] }[];
  }[];
}

/** OTLP `SpanKind` numbers, in the model's SPAN_KINDS order (0 = SPAN_KIND_UNSPECIFIED … 5 = CONSUMER). */
const KIND_NUMBERS: Record<SpanKind, number> = {
  unspecified: 0,
  internal: 1,
  server: 2,
  client: 3,
  producer: 4,
  consumer: 5,
};
const KINDS_BY_NUMBER: readonly SpanKind[] = ["unspecified", "internal", "server", "client", "producer", "consumer"];
const STATUS_NUMBERS = { unset: 0, ok: 1, error: 2 } as const;
const STATUS_BY_NUMBER = ["unset", "ok", "error"] as const;

function toAnyValue(value: AttributeValue): OtlpAnyValue {
  if (value === null) return {};
  if (typeof value === "string") return { stringValue: value };
  if (typeof value === "boolean") return { boolValue: value };
  if (typeof value === "number") {
    // int64 travels as a decimal string in OTLP JSON; a whole number the API gave us was an int (or a whole double,
    // which reads back as the same number).
    return Number.isSafeInteger(value) ? { intValue: String(value) } : { doubleValue: value };
  }
  if (Array.isArray(value)) return { arrayValue: { values: value.map(toAnyValue) } };
  return { kvlistValue: { values: toKeyValues(value) } };
}

function toKeyValues(attributes: Attributes): OtlpKeyValue[] {
  return Object.keys(attributes).map((key) => ({ key, value: toAnyValue(attributes[key] ?? null) }));
}

const nanos = (us: number) => (BigInt(Math.round(us)) * 1000n).toString();

function toOtlpSpan(traceId: string, span: ApiSpan): OtlpSpan {
  const status: OtlpSpan["status"] = { code: STATUS_NUMBERS[span.status.code] };
  if (span.status.message !== undefined) status.message = span.status.message;
  return {
    traceId,
    spanId: span.spanId,
    ...(span.parentSpanId === null ? {} : { parentSpanId: span.parentSpanId }),
    name: span.name,
    kind: KIND_NUMBERS[span.kind],
    startTimeUnixNano: nanos(span.start),
    endTimeUnixNano: nanos(span.start + span.duration),
    attributes: toKeyValues(span.attributes),
    events: span.events.map((e) => ({
      timeUnixNano: nanos(e.time),
      name: e.name,
      attributes: toKeyValues(e.attributes),
    })),
    links: span.links.map((l) => ({ traceId: l.traceId, spanId: l.spanId, attributes: toKeyValues(l.attributes) })),
    status,
  };
}

/** The resource an SDK would have sent: the span's resource, with `service.name` filled in when it was missing. */
function resourceOf(span: ApiSpan): Attributes {
  if (typeof span.resource["service.name"] === "string") return span.resource;
  const resource: Attributes = { ...span.resource };
  setAttribute(resource, "service.name", span.service);
  return resource;
}

export function toOtlpJson(traceId: string, spans: readonly ApiSpan[]): OtlpTraceRequest {
  const byResource = new Map<string, { resource: Attributes; scopes: Map<string, ApiSpan[]> }>();
  for (const span of spans) {
    const resource = resourceOf(span);
    const resourceKey = JSON.stringify(Object.entries(resource).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    let group = byResource.get(resourceKey);
    if (!group) {
      group = { resource, scopes: new Map() };
      byResource.set(resourceKey, group);
    }
    const scopeKey = span.scope === null ? "" : JSON.stringify([span.scope.name, span.scope.version ?? null]);
    const list = group.scopes.get(scopeKey);
    if (list) list.push(span);
    else group.scopes.set(scopeKey, [span]);
  }
  return {
    resourceSpans: [...byResource.values()].map((group) => ({
      resource: { attributes: toKeyValues(group.resource) },
      scopeSpans: [...group.scopes.values()].map((list) => {
        const scope = (list[0] as ApiSpan).scope;
        return {
          ...(scope === null ? {} : { scope: scope.version === undefined ? { name: scope.name } : { ...scope } }),
          spans: list.map((s) => toOtlpSpan(traceId, s)),
        };
      }),
    })),
  };
}

// ---- OTLP JSON → API spans ----

/** int64 → a number when exact, else the decimal string (what the server stores: model/span.ts). */
function int64(value: unknown, path: string): AttributeValue {
  const text = typeof value === "number" && Number.isInteger(value) ? String(value) : stringAt(value, path);
  if (!/^-?\d+$/.test(text)) throw new TraceFileError(`${path} must be an integer`);
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : text;
}

export function fromAnyValue(value: unknown, path: string): AttributeValue {
  const v = objectAt(value, path);
  if ("stringValue" in v) return stringAt(v.stringValue, `${path}.stringValue`);
  if ("boolValue" in v) {
    if (typeof v.boolValue !== "boolean") throw new TraceFileError(`${path}.boolValue must be a boolean`);
    return v.boolValue;
  }
  if ("intValue" in v) return int64(v.intValue, `${path}.intValue`);
  if ("doubleValue" in v) {
    // proto3 JSON writes NaN and ±Infinity as strings; keep them as text.
    return typeof v.doubleValue === "number" ? v.doubleValue : stringAt(v.doubleValue, `${path}.doubleValue`);
  }
  if ("bytesValue" in v) return stringAt(v.bytesValue, `${path}.bytesValue`);
  if ("arrayValue" in v) {
    const values = optionalArray(objectAt(v.arrayValue, `${path}.arrayValue`).values, `${path}.arrayValue.values`);
    return values.map((x, i) => fromAnyValue(x, `${path}.arrayValue.values[${i}]`));
  }
  if ("kvlistValue" in v) {
    const values = optionalArray(objectAt(v.kvlistValue, `${path}.kvlistValue`).values, `${path}.kvlistValue.values`);
    return fromKeyValues(values, `${path}.kvlistValue.values`);
  }
  return null;
}

export function fromKeyValues(list: unknown, path: string): Attributes {
  const out: Attributes = {};
  optionalArray(list, path).forEach((item, i) => {
    const kv = objectAt(item, `${path}[${i}]`);
    const key = stringAt(kv.key, `${path}[${i}].key`);
    setAttribute(out, key, kv.value === undefined ? null : fromAnyValue(kv.value, `${path}[${i}].value`));
  });
  return out;
}

function enumNumber(value: unknown, names: readonly string[], prefix: string, path: string): number {
  if (value === undefined || value === null) return 0;
  if (typeof value === "number" && Number.isInteger(value) && value >= 0 && value < names.length) return value;
  if (typeof value === "string") {
    const i = names.findIndex((n) => `${prefix}${n.toUpperCase()}` === value);
    if (i >= 0) return i;
  }
  throw new TraceFileError(`${path} must be one of 0–${names.length - 1}`);
}

export interface ParsedTrace {
  traceId: string;
  spans: ApiSpan[];
}

interface Origin {
  service: string;
  namespace: string | null;
  resource: Attributes;
  scope: ApiSpan["scope"];
}

const textOrNull = (v: AttributeValue | undefined) => (typeof v === "string" && v !== "" ? v : null);

/** Service and namespace from the resource, as the server's ingest does (wire/otlp/semantics.ts). */
export function originOf(resource: Attributes, scope: ApiSpan["scope"]): Origin {
  return {
    service: textOrNull(resource["service.name"]) ?? "unknown_service",
    namespace: textOrNull(resource["k8s.namespace.name"]) ?? textOrNull(resource["service.namespace"]),
    resource,
    scope,
  };
}

function fromOtlpSpan(raw: unknown, path: string, origin: Origin): { traceId: string; span: ApiSpan } {
  const s = objectAt(raw, path);
  const traceId = hexAt(s.traceId, `${path}.traceId`, [32]);
  const parent = s.parentSpanId === undefined || s.parentSpanId === "" ? null : s.parentSpanId;
  const start = nanosToMicros(s.startTimeUnixNano, `${path}.startTimeUnixNano`);
  const end = nanosToMicros(s.endTimeUnixNano, `${path}.endTimeUnixNano`);
  const status = s.status === undefined ? {} : objectAt(s.status, `${path}.status`);
  const message = optionalString(status.message, `${path}.status.message`);
  const code =
    STATUS_BY_NUMBER[enumNumber(status.code, STATUS_BY_NUMBER, "STATUS_CODE_", `${path}.status.code`)] ?? "unset";
  const span: ApiSpan = {
    spanId: hexAt(s.spanId, `${path}.spanId`, [16]),
    parentSpanId: parent === null ? null : hexAt(parent, `${path}.parentSpanId`, [16]),
    service: origin.service,
    namespace: origin.namespace,
    name: optionalString(s.name, `${path}.name`) ?? "",
    kind: KINDS_BY_NUMBER[enumNumber(s.kind, KINDS_BY_NUMBER, "SPAN_KIND_", `${path}.kind`)] ?? "unspecified",
    start,
    duration: Math.max(0, end - start),
    status: message === undefined || message === "" ? { code } : { code, message },
    attributes: fromKeyValues(s.attributes, `${path}.attributes`),
    resource: origin.resource,
    scope: origin.scope,
    events: optionalArray(s.events, `${path}.events`).map((e, i) => {
      const ev = objectAt(e, `${path}.events[${i}]`);
      return {
        time: nanosToMicros(ev.timeUnixNano, `${path}.events[${i}].timeUnixNano`),
        name: optionalString(ev.name, `${path}.events[${i}].name`) ?? "",
        attributes: fromKeyValues(ev.attributes, `${path}.events[${i}].attributes`),
      };
    }),
    links: optionalArray(s.links, `${path}.links`).map((l, i) => {
      const link = objectAt(l, `${path}.links[${i}]`);
      return {
        traceId: hexAt(link.traceId, `${path}.links[${i}].traceId`, [32]),
        spanId: hexAt(link.spanId, `${path}.links[${i}].spanId`, [16]),
        attributes: fromKeyValues(link.attributes, `${path}.links[${i}].attributes`),
      };
    }),
  };
  return { traceId, span };
}

function scopeOf(value: unknown, path: string): ApiSpan["scope"] {
  if (value === undefined || value === null) return null;
  const scope = objectAt(value, path);
  const name = optionalString(scope.name, `${path}.name`) ?? "";
  const version = optionalString(scope.version, `${path}.version`);
  return version === undefined || version === "" ? { name } : { name, version };
}

/** Every trace in an OTLP JSON request, spans grouped by trace id in file order. */
export function fromOtlpJson(body: JsonObject): ParsedTrace[] {
  const traces = new Map<string, ApiSpan[]>();
  arrayAt(body.resourceSpans, "resourceSpans").forEach((rsRaw, r) => {
    const rs = objectAt(rsRaw, `resourceSpans[${r}]`);
    const resourceObj = rs.resource === undefined ? {} : objectAt(rs.resource, `resourceSpans[${r}].resource`);
    const resource = fromKeyValues(resourceObj.attributes, `resourceSpans[${r}].resource.attributes`);
    optionalArray(rs.scopeSpans, `resourceSpans[${r}].scopeSpans`).forEach((ssRaw, s) => {
      const path = `resourceSpans[${r}].scopeSpans[${s}]`;
      const ss = objectAt(ssRaw, path);
      const origin = originOf(resource, scopeOf(ss.scope, `${path}.scope`));
      optionalArray(ss.spans, `${path}.spans`).forEach((spanRaw, i) => {
        const { traceId, span } = fromOtlpSpan(spanRaw, `${path}.spans[${i}]`, origin);
        const list = traces.get(traceId);
        if (list) list.push(span);
        else traces.set(traceId, [span]);
      });
    });
  });
  return [...traces].map(([traceId, spans]) => ({ traceId, spans }));
}
