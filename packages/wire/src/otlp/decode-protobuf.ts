import type { Attributes, InstrumentationScope, SpanEvent, SpanKind, SpanLink, SpanStatus } from "@meshscope/model";
import { DecodeContext, type DecodeResult } from "../decode-context.js";
import { isAllZeroHex } from "../encoding.js";
import { WireError } from "../errors.js";
import { type DecodeLimits, resolveLimits } from "../limits.js";
import { decodeAttributeField } from "./any-value-protobuf.js";
import { ProtoReader, WIRE_I32, WIRE_I64, WIRE_LEN, WIRE_VARINT } from "./protobuf-reader.js";
import { assignResource, finishSpan, nanosToMicros, spanKindFromNumber, spanStatus } from "./semantics.js";

/**
 * Decodes an OTLP/HTTP (or gRPC) `ExportTraceServiceRequest` in protobuf encoding. Field numbers are those of
 * opentelemetry-proto v1.x (collector/trace/v1/trace_service.proto, trace/v1/trace.proto, common/v1/common.proto);
 * they were checked against the field maps of the OpenTelemetry JS encoder (@opentelemetry/otlp-transformer).
 * Unknown fields of any wire type are skipped, so newer senders keep working.
 */
export function decodeOtlpTracesProtobuf(bytes: Uint8Array, limits?: Partial<DecodeLimits>): DecodeResult {
  const ctx = new DecodeContext(resolveLimits(limits));
  const r = new ProtoReader(bytes);
  const end = bytes.length;
  while (r.pos < end) {
    const tag = r.tag(end);
    if (tag >>> 3 === 1) {
      r.expect(tag, WIRE_LEN, "ExportTraceServiceRequest.resource_spans");
      const rsEnd = r.lengthEnd(end);
      decodeResourceSpans(r, rsEnd, ctx);
    } else {
      r.skip(tag, end);
    }
  }
  return ctx.result();
}

/** ResourceSpans{resource=1, scope_spans=2, schema_url=3}. Fields may come in any order, so the resource is
 * applied to this message's spans once the whole message is read. */
function decodeResourceSpans(r: ProtoReader, end: number, ctx: DecodeContext): void {
  const resource: Attributes = {};
  let resourceAttributeCount = 0;
  const firstSpan = ctx.spans.length;
  while (r.pos < end) {
    const tag = r.tag(end);
    switch (tag >>> 3) {
      case 1: {
        r.expect(tag, WIRE_LEN, "ResourceSpans.resource");
        const resourceEnd = r.lengthEnd(end);
        // Resource{attributes=1, dropped_attributes_count=2}
        while (r.pos < resourceEnd) {
          const inner = r.tag(resourceEnd);
          if (inner >>> 3 === 1) {
            const dropped = decodeAttributeField(
              r,
              inner,
              resourceEnd,
              resource,
              resourceAttributeCount,
              ctx,
              "Resource.attributes",
            );
            resourceAttributeCount += 1 - dropped;
          } else {
            r.skip(inner, resourceEnd);
          }
        }
        break;
      }
      case 2: {
        r.expect(tag, WIRE_LEN, "ResourceSpans.scope_spans");
        decodeScopeSpans(r, r.lengthEnd(end), ctx);
        break;
      }
      default:
        r.skip(tag, end);
    }
  }
  assignResource(ctx.spans, firstSpan, resource);
}

/** ScopeSpans{scope=1, spans=2, schema_url=3}; InstrumentationScope{name=1, version=2, attributes=3, dropped=4}. */
function decodeScopeSpans(r: ProtoReader, end: number, ctx: DecodeContext): void {
  let scope: InstrumentationScope | null = null;
  const firstSpan = ctx.spans.length;
  while (r.pos < end) {
    const tag = r.tag(end);
    switch (tag >>> 3) {
      case 1: {
        r.expect(tag, WIRE_LEN, "ScopeSpans.scope");
        const scopeEnd = r.lengthEnd(end);
        let name = "";
        let version = "";
        while (r.pos < scopeEnd) {
          const inner = r.tag(scopeEnd);
          const field = inner >>> 3;
          if (field === 1 || field === 2) {
            r.expect(inner, WIRE_LEN, field === 1 ? "InstrumentationScope.name" : "InstrumentationScope.version");
            if (field === 1) name = r.string(scopeEnd);
            else version = r.string(scopeEnd);
          } else {
            r.skip(inner, scopeEnd);
          }
        }
        scope = version === "" ? { name } : { name, version };
        break;
      }
      case 2:
        r.expect(tag, WIRE_LEN, "ScopeSpans.spans");
        decodeSpan(r, r.lengthEnd(end), ctx);
        break;
      default:
        r.skip(tag, end);
    }
  }
  if (scope === null) return;
  for (let i = firstSpan; i < ctx.spans.length; i++) {
    const span = ctx.spans[i];
    if (span !== undefined) span.scope = scope;
  }
}

/** A trace or span id: `bytes` of exactly `size` bytes, or empty (absent). Any other length is not an id. */
function readId(r: ProtoReader, tag: number, end: number, size: number, field: string): string {
  r.expect(tag, WIRE_LEN, field);
  const start = r.pos;
  const idEnd = r.lengthEnd(end);
  const length = idEnd - r.pos;
  if (length !== 0 && length !== size) {
    throw new WireError("invalid_field", `${field} at offset ${start}: must be ${size} bytes, got ${length}`);
  }
  const hex = r.hex(r.pos, idEnd);
  r.pos = idEnd;
  return hex;
}

/** Span fields: trace.proto, message Span. */
function decodeSpan(r: ProtoReader, end: number, ctx: DecodeContext): void {
  const limits = ctx.limits;
  let traceId = "";
  let spanId = "";
  let parentSpanId = "";
  let name = "";
  let kind: SpanKind = "unspecified";
  let startLo = 0;
  let startHi = 0;
  let endLo = 0;
  let endHi = 0;
  const attributes: Attributes = {};
  let attributeCount = 0;
  let droppedAttributesCount = 0;
  const events: SpanEvent[] = [];
  let droppedEventsCount = 0;
  const links: SpanLink[] = [];
  let droppedLinksCount = 0;
  let status: SpanStatus | null = null;
  while (r.pos < end) {
    const tag = r.tag(end);
    switch (tag >>> 3) {
      case 1:
        traceId = readId(r, tag, end, 16, "Span.trace_id");
        break;
      case 2:
        spanId = readId(r, tag, end, 8, "Span.span_id");
        break;
      case 4:
        parentSpanId = readId(r, tag, end, 8, "Span.parent_span_id");
        break;
      case 5:
        r.expect(tag, WIRE_LEN, "Span.name");
        name = r.string(end);
        break;
      case 6:
        r.expect(tag, WIRE_VARINT, "Span.kind");
        kind = spanKindFromNumber(r.uint32(end));
        break;
      case 7:
        r.expect(tag, WIRE_I64, "Span.start_time_unix_nano");
        r.fixed64(end);
        startLo = r.lo;
        startHi = r.hi;
        break;
      case 8:
        r.expect(tag, WIRE_I64, "Span.end_time_unix_nano");
        r.fixed64(end);
        endLo = r.lo;
        endHi = r.hi;
        break;
      case 9: {
        const dropped = decodeAttributeField(r, tag, end, attributes, attributeCount, ctx, "Span.attributes");
        attributeCount += 1 - dropped;
        droppedAttributesCount += dropped;
        break;
      }
      case 10:
        r.expect(tag, WIRE_VARINT, "Span.dropped_attributes_count");
        droppedAttributesCount += r.uint32(end);
        break;
      case 11: {
        r.expect(tag, WIRE_LEN, "Span.events");
        const eventEnd = r.lengthEnd(end);
        if (events.length < limits.maxEventsPerSpan) events.push(decodeEvent(r, eventEnd, ctx));
        else droppedEventsCount++;
        r.pos = eventEnd;
        break;
      }
      case 12:
        r.expect(tag, WIRE_VARINT, "Span.dropped_events_count");
        droppedEventsCount += r.uint32(end);
        break;
      case 13: {
        r.expect(tag, WIRE_LEN, "Span.links");
        const linkEnd = r.lengthEnd(end);
        const link = links.length < limits.maxLinksPerSpan ? decodeLink(r, linkEnd, ctx) : null;
        if (link !== null) links.push(link);
        else droppedLinksCount++;
        r.pos = linkEnd;
        break;
      }
      case 14:
        r.expect(tag, WIRE_VARINT, "Span.dropped_links_count");
        droppedLinksCount += r.uint32(end);
        break;
      case 15: {
        r.expect(tag, WIRE_LEN, "Span.status");
        status = decodeStatus(r, r.lengthEnd(end));
        break;
      }
      case 3: // trace_state: W3C tracestate, not kept
        r.expect(tag, WIRE_LEN, "Span.trace_state");
        r.skip(tag, end);
        break;
      case 16: // flags: W3C trace flags and is-remote bits, not kept
        r.expect(tag, WIRE_I32, "Span.flags");
        r.fixed32(end);
        break;
      default:
        r.skip(tag, end);
    }
  }
  const startUs = nanosToMicros(startLo, startHi);
  const endUs = nanosToMicros(endLo, endHi);
  const span = finishSpan(
    {
      traceId,
      spanId,
      parentSpanId,
      name,
      kind,
      startUs,
      endUs,
      status: status ?? { code: "unset" },
      attributes,
      scope: null,
      events,
      links,
      droppedAttributesCount,
      droppedEventsCount,
      droppedLinksCount,
    },
    ctx,
  );
  if (span !== null) ctx.spans.push(span);
}

/** Span.Event{time_unix_nano=1 fixed64, name=2, attributes=3, dropped_attributes_count=4}. */
function decodeEvent(r: ProtoReader, end: number, ctx: DecodeContext): SpanEvent {
  let timeUs = 0;
  let name = "";
  const attributes: Attributes = {};
  let attributeCount = 0;
  while (r.pos < end) {
    const tag = r.tag(end);
    switch (tag >>> 3) {
      case 1:
        r.expect(tag, WIRE_I64, "Span.Event.time_unix_nano");
        r.fixed64(end);
        timeUs = nanosToMicros(r.lo, r.hi);
        break;
      case 2:
        r.expect(tag, WIRE_LEN, "Span.Event.name");
        name = r.string(end);
        break;
      case 3:
        attributeCount +=
          1 - decodeAttributeField(r, tag, end, attributes, attributeCount, ctx, "Span.Event.attributes");
        break;
      default:
        r.skip(tag, end);
    }
  }
  return { timeUs, name, attributes };
}

/** Span.Link{trace_id=1, span_id=2, trace_state=3, attributes=4, dropped_attributes_count=5, flags=6}.
 * A link without a usable context points nowhere: null, and the caller counts it as dropped. */
function decodeLink(r: ProtoReader, end: number, ctx: DecodeContext): SpanLink | null {
  let traceId = "";
  let spanId = "";
  const attributes: Attributes = {};
  let attributeCount = 0;
  while (r.pos < end) {
    const tag = r.tag(end);
    switch (tag >>> 3) {
      case 1:
        traceId = readId(r, tag, end, 16, "Span.Link.trace_id");
        break;
      case 2:
        spanId = readId(r, tag, end, 8, "Span.Link.span_id");
        break;
      case 4:
        attributeCount +=
          1 - decodeAttributeField(r, tag, end, attributes, attributeCount, ctx, "Span.Link.attributes");
        break;
      default:
        r.skip(tag, end);
    }
  }
  if (traceId === "" || spanId === "" || isAllZeroHex(traceId) || isAllZeroHex(spanId)) return null;
  return { traceId, spanId, attributes };
}

/** Status{message=2, code=3}; field 1 was the deprecated code and is skipped like any unknown field. */
function decodeStatus(r: ProtoReader, end: number): SpanStatus {
  let code = 0;
  let message = "";
  while (r.pos < end) {
    const tag = r.tag(end);
    switch (tag >>> 3) {
      case 2:
        r.expect(tag, WIRE_LEN, "Status.message");
        message = r.string(end);
        break;
      case 3:
        r.expect(tag, WIRE_VARINT, "Status.code");
        code = r.uint32(end);
        break;
      default:
        r.skip(tag, end);
    }
  }
  return spanStatus(code, message);
}
