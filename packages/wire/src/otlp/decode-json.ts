import type { Attributes, InstrumentationScope, SpanEvent, SpanLink, SpanRecord, SpanStatus } from "@meshscope/model";
import { DecodeContext, type DecodeResult } from "../decode-context.js";
import { isAllZeroHex } from "../encoding.js";
import {
  fieldError,
  isJsonObject,
  type JsonObject,
  jsonType,
  parseJson,
  prependPath,
  toWireError,
} from "../json-path.js";
import { type DecodeLimits, resolveLimits } from "../limits.js";
import {
  arrayField,
  attributesField,
  enumField,
  expectObject,
  idField,
  nanosFieldToMicros,
  objectField,
  stringField,
  uint32Field,
} from "./json-values.js";
import {
  assignResource,
  finishSpan,
  spanKindFromName,
  spanKindFromNumber,
  spanStatus,
  statusCodeFromName,
} from "./semantics.js";

/**
 * Decodes an OTLP/HTTP JSON `ExportTraceServiceRequest` (OTLP spec, "JSON Protobuf Encoding"): field names in
 * lowerCamelCase (snake_case accepted too), trace/span ids as hex, enums as numbers (names accepted), 64-bit
 * integers as decimal strings or numbers, bytes as base64. A value of the wrong JSON type rejects the whole
 * request with a WireError naming its path.
 */
export function decodeOtlpTracesJson(text: string, limits?: Partial<DecodeLimits>): DecodeResult {
  const ctx = new DecodeContext(resolveLimits(limits));
  const root = parseJson(text);
  try {
    if (!isJsonObject(root)) fieldError("", `expected an ExportTraceServiceRequest object, got ${jsonType(root)}`);
    const resourceSpans = arrayField(root, "resourceSpans", "resource_spans");
    for (let i = 0; i < resourceSpans.length; i++) {
      try {
        decodeResourceSpans(resourceSpans[i], ctx);
      } catch (error) {
        prependPath(error, `resourceSpans[${i}]`);
      }
    }
  } catch (error) {
    toWireError(error);
  }
  return ctx.result();
}

function decodeResourceSpans(value: unknown, ctx: DecodeContext): void {
  const o = expectObject(value, "ResourceSpans");
  const resource: Attributes = {};
  const resourceMessage = objectField(o, "resource", "resource");
  if (resourceMessage !== null) {
    try {
      attributesField(resourceMessage, resource, ctx);
    } catch (error) {
      prependPath(error, ".resource");
    }
  }
  const firstSpan = ctx.spans.length;
  const scopeSpans = arrayField(o, "scopeSpans", "scope_spans");
  for (let i = 0; i < scopeSpans.length; i++) {
    try {
      decodeScopeSpans(scopeSpans[i], ctx);
    } catch (error) {
      prependPath(error, `.scopeSpans[${i}]`);
    }
  }
  assignResource(ctx.spans, firstSpan, resource);
}

function decodeScopeSpans(value: unknown, ctx: DecodeContext): void {
  const o = expectObject(value, "ScopeSpans");
  let scope: InstrumentationScope | null = null;
  const scopeMessage = objectField(o, "scope", "scope");
  if (scopeMessage !== null) {
    try {
      const name = stringField(scopeMessage, "name", "name");
      const version = stringField(scopeMessage, "version", "version");
      scope = version === "" ? { name } : { name, version };
    } catch (error) {
      prependPath(error, ".scope");
    }
  }
  const spans = arrayField(o, "spans", "spans");
  for (let i = 0; i < spans.length; i++) {
    try {
      const span = decodeSpan(spans[i], ctx, scope);
      if (span !== null) ctx.spans.push(span);
    } catch (error) {
      prependPath(error, `.spans[${i}]`);
    }
  }
}

function decodeSpan(value: unknown, ctx: DecodeContext, scope: InstrumentationScope | null): SpanRecord | null {
  const o = expectObject(value, "Span");
  const traceId = idField(o, "traceId", "trace_id", 16);
  const spanId = idField(o, "spanId", "span_id", 8);
  const parentSpanId = idField(o, "parentSpanId", "parent_span_id", 8);
  const name = stringField(o, "name", "name");
  const kind = enumField(o, "kind", "kind", spanKindFromNumber, spanKindFromName, "unspecified");
  const startUs = nanosFieldToMicros(o, "startTimeUnixNano", "start_time_unix_nano");
  const endUs = nanosFieldToMicros(o, "endTimeUnixNano", "end_time_unix_nano");
  const attributes: Attributes = {};
  const droppedByUs = attributesField(o, attributes, ctx);
  const droppedAttributesCount = uint32Field(o, "droppedAttributesCount", "dropped_attributes_count") + droppedByUs;
  const [events, eventsDroppedByUs] = decodeEvents(o, ctx);
  const droppedEventsCount = uint32Field(o, "droppedEventsCount", "dropped_events_count") + eventsDroppedByUs;
  const [links, linksDroppedByUs] = decodeLinks(o, ctx);
  const droppedLinksCount = uint32Field(o, "droppedLinksCount", "dropped_links_count") + linksDroppedByUs;
  const status = decodeStatus(objectField(o, "status", "status"));
  return finishSpan(
    {
      traceId,
      spanId,
      parentSpanId,
      name,
      kind,
      startUs,
      endUs,
      status,
      attributes,
      scope,
      events,
      links,
      droppedAttributesCount,
      droppedEventsCount,
      droppedLinksCount,
    },
    ctx,
  );
}

function decodeEvents(span: JsonObject, ctx: DecodeContext): [SpanEvent[], number] {
  const list = arrayField(span, "events", "events");
  const kept = Math.min(list.length, ctx.limits.maxEventsPerSpan);
  const events: SpanEvent[] = new Array(kept);
  for (let i = 0; i < kept; i++) {
    try {
      const o = expectObject(list[i], "Span.Event");
      const attributes: Attributes = {};
      attributesField(o, attributes, ctx);
      events[i] = {
        timeUs: nanosFieldToMicros(o, "timeUnixNano", "time_unix_nano"),
        name: stringField(o, "name", "name"),
        attributes,
      };
    } catch (error) {
      prependPath(error, `.events[${i}]`);
    }
  }
  return [events, list.length - kept];
}

function decodeLinks(span: JsonObject, ctx: DecodeContext): [SpanLink[], number] {
  const list = arrayField(span, "links", "links");
  const links: SpanLink[] = [];
  let dropped = 0;
  for (let i = 0; i < list.length; i++) {
    if (links.length >= ctx.limits.maxLinksPerSpan) {
      dropped += list.length - i;
      break;
    }
    try {
      const o = expectObject(list[i], "Span.Link");
      const traceId = idField(o, "traceId", "trace_id", 16);
      const spanId = idField(o, "spanId", "span_id", 8);
      const attributes: Attributes = {};
      attributesField(o, attributes, ctx);
      // A link without a usable context points nowhere; it is counted as dropped.
      if (traceId === "" || spanId === "" || isAllZeroHex(traceId) || isAllZeroHex(spanId)) dropped++;
      else links.push({ traceId, spanId, attributes });
    } catch (error) {
      prependPath(error, `.links[${i}]`);
    }
  }
  return [links, dropped];
}

function decodeStatus(o: JsonObject | null): SpanStatus {
  if (o === null) return { code: "unset" };
  try {
    const code = enumField(o, "code", "code", (n) => n, statusCodeFromName, 0);
    return spanStatus(code, stringField(o, "message", "message"));
  } catch (error) {
    return prependPath(error, ".status");
  }
}
