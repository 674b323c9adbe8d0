/**
 * Golden inputs made by the real OpenTelemetry JS SDK and its exporters' serializers: the oracle for our
 * decoders (CONVENTIONS: golden fixtures for wire formats come from real encoders). Test support only,
 * excluded from the package build, which is why it may import the OpenTelemetry packages (devDependencies).
 */
import type { AttributeValue, SpanRecord } from "@meshscope/model";
import {
  type HrTime,
  type Link,
  type Attributes as OtelAttributes,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
} from "@opentelemetry/api";
import { hrTimeToMicroseconds } from "@opentelemetry/core";
import { JsonTraceSerializer, ProtobufTraceSerializer } from "@opentelemetry/otlp-transformer";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { BIG_INT, GOLDEN_RESOURCE, HOSTILE_ATTRIBUTES, ROOT_END, ROOT_START } from "./golden-constants.js";

/** Records a small multi-span trace with every attribute type, events, links, an error status and nesting. */
export function recordGoldenSpans(): ReadableSpan[] {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes(GOLDEN_RESOURCE),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer("meshscope-golden", "1.2.3");
  const root = tracer.startSpan("GET /reviews/{id}", {
    kind: SpanKind.SERVER,
    startTime: [...ROOT_START],
    attributes: {
      "http.request.method": "GET",
      "http.response.status_code": 503,
      "server.duration_ratio": 0.25,
      "http.retried": false,
      "user_agent.tags": ["a", "b", "<script>alert(1)</script>"],
      "reviews.ratings": [1, 2.5, -3],
      "reviews.big": BIG_INT,
      "reviews.negative": -42,
    },
  });
  root.addEvent("cache miss", { "cache.key": "reviews:0", "cache.attempt": 2 }, [1718000000, 500_000_000]);
  root.setStatus({ code: SpanStatusCode.ERROR, message: "ratings unavailable" });

  const ctx = trace.setSpan(ROOT_CONTEXT, root);
  const linkTarget: Link = {
    context: { traceId: "0af7651916cd43dd8448eb211c80319c", spanId: "b7ad6b7169203331", traceFlags: 1 },
    attributes: { "link.reason": "batch" },
  };
  const child = tracer.startSpan("GET ratings", { kind: SpanKind.CLIENT, links: [linkTarget] }, ctx);
  child.setAttribute("peer.service", "ratings");
  child.end();
  const internal = tracer.startSpan("render", { kind: SpanKind.INTERNAL }, ctx);
  internal.setStatus({ code: SpanStatusCode.OK });
  internal.end();
  root.end([...ROOT_END]);
  return exporter.getFinishedSpans();
}

export function protobufRequest(spans: ReadableSpan[]): Uint8Array {
  const bytes = ProtobufTraceSerializer.serializeRequest(spans);
  if (bytes === undefined) throw new Error("ProtobufTraceSerializer returned nothing");
  return bytes;
}

export function jsonRequest(spans: ReadableSpan[]): string {
  const bytes = JsonTraceSerializer.serializeRequest(spans);
  if (bytes === undefined) throw new Error("JsonTraceSerializer returned nothing");
  return new TextDecoder().decode(bytes);
}

/** Epoch µs of an HrTime, truncated, computed exactly (no float sum of seconds·1e6 and ns/1e3). */
export function hrTimeToWholeMicros(time: HrTime): number {
  return time[0] * 1_000_000 + Math.floor(time[1] / 1000);
}

const API_KINDS = ["internal", "server", "client", "producer", "consumer"] as const;
const API_STATUS = ["unset", "ok", "error"] as const;

/** What an SDK attribute value must become: an int64 beyond 2^53 is kept as its exact decimal string. */
function expectedValue(value: unknown): AttributeValue {
  if (typeof value === "number" && Number.isInteger(value) && !Number.isSafeInteger(value)) {
    return BigInt(value).toString();
  }
  if (Array.isArray(value)) return value.map(expectedValue);
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return value;
  return null;
}

function expectedAttributes(attributes: OtelAttributes | undefined): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  for (const [key, value] of Object.entries(attributes ?? {})) out[key] = expectedValue(value);
  return out;
}

/** The SpanRecord a decoder must produce for an SDK span, derived from the SDK's own data. */
export function expectedRecord(sdk: ReadableSpan): SpanRecord {
  const ctx = sdk.spanContext();
  const startUs = hrTimeToWholeMicros(sdk.startTime);
  const { name, version } = sdk.instrumentationScope;
  return {
    traceId: ctx.traceId,
    spanId: ctx.spanId,
    parentSpanId: sdk.parentSpanContext?.spanId ?? null,
    service: GOLDEN_RESOURCE["service.name"],
    namespace: GOLDEN_RESOURCE["k8s.namespace.name"],
    name: sdk.name,
    kind: API_KINDS[sdk.kind],
    startUs,
    durationUs: hrTimeToWholeMicros(sdk.endTime) - startUs,
    status: sdk.status.message
      ? { code: API_STATUS[sdk.status.code], message: sdk.status.message }
      : { code: API_STATUS[sdk.status.code] },
    attributes: expectedAttributes(sdk.attributes),
    resource: expectedAttributes(sdk.resource.attributes),
    scope: version === undefined ? { name } : { name, version },
    events: sdk.events.map((e) => ({
      timeUs: hrTimeToWholeMicros(e.time),
      name: e.name,
      attributes: expectedAttributes(e.attributes),
    })),
    links: sdk.links.map((l) => ({
      traceId: l.context.traceId,
      spanId: l.context.spanId,
      attributes: expectedAttributes(l.attributes),
    })),
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
  };
}

/** Everything the golden tests need: the two encodings of the same spans and what they must decode to. */
export interface GoldenFixture {
  protobuf: Uint8Array;
  json: string;
  expected: SpanRecord[];
  /** The SDK's own (floating-point) µs conversion of the root span's start. */
  rootStartSdkMicros: number;
  /** Spans with hostile strings: markup, NUL, a lone surrogate, a 1 MiB value. */
  hostileProtobuf: Uint8Array;
  hostileJson: string;
}

function recordHostileSpans(): ReadableSpan[] {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes(GOLDEN_RESOURCE),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const span = provider
    .getTracer("hostile")
    .startSpan("<img src=x onerror=alert(1)>", { attributes: HOSTILE_ATTRIBUTES });
  span.end();
  return exporter.getFinishedSpans();
}

export function goldenFixture(): GoldenFixture {
  const spans = recordGoldenSpans();
  const hostile = recordHostileSpans();
  return {
    protobuf: protobufRequest(spans),
    json: jsonRequest(spans),
    expected: spans.map(expectedRecord),
    rootStartSdkMicros: hrTimeToMicroseconds([...ROOT_START]),
    hostileProtobuf: protobufRequest(hostile),
    hostileJson: jsonRequest(hostile),
  };
}

/** What the OpenTelemetry exporters make of our export responses: their own protobuf response parser. */
export function parseExportResponses(responses: Uint8Array[]): unknown[] {
  return responses.map((bytes) => ProtobufTraceSerializer.deserializeResponse(bytes));
}
