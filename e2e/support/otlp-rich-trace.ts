/**
 * An OTLP/JSON `ExportTraceServiceRequest` with every place a sender can put a string: resource attributes, the
 * instrumentation scope, span names, attribute keys and values (arrays too), events with attributes, links with
 * attributes, and the status message (opentelemetry-proto `trace.proto`; OTLP JSON: hex ids, int64 as decimal
 * strings, enums as numbers). otlp-trace.ts builds the plainer traces most specs need.
 */
import { otlpSpanFields, unixNano } from "./otlp-trace.js";

export type RichValue = string | number | boolean | RichValue[];

export interface RichSpan {
  spanId: string;
  parentSpanId: string | null;
  name: string;
  /** SpanKind enum: 1 internal, 2 server, 3 client. */
  kind: 1 | 2 | 3;
  /** Offsets from the trace start, ms. */
  startMs: number;
  durationMs: number;
  attributes?: Record<string, RichValue>;
  events?: { name: string; atMs: number; attributes?: Record<string, RichValue> }[];
  links?: { traceId: string; spanId: string; attributes?: Record<string, RichValue> }[];
  /** Status code enum: 0 unset, 1 ok, 2 error. */
  status?: { code: 0 | 1 | 2; message?: string };
}

export interface RichResource {
  /** Must hold `service.name`. */
  attributes: Record<string, RichValue>;
  scope: { name: string; version?: string };
  spans: RichSpan[];
}

function anyValue(value: RichValue): unknown {
  if (Array.isArray(value)) return { arrayValue: { values: value.map(anyValue) } };
  if (typeof value === "string") return { stringValue: value };
  if (typeof value === "boolean") return { boolValue: value };
  return Number.isInteger(value) ? { intValue: String(value) } : { doubleValue: value };
}

function keyValues(attributes: Record<string, RichValue> | undefined): unknown[] {
  // Object.entries keeps a `__proto__` key given as a computed key, so specs can send one.
  return Object.entries(attributes ?? {}).map(([key, value]) => ({ key, value: anyValue(value) }));
}

/** One request body; times are offsets from `startMs` (ms since the epoch). */
export function richTraceBody(traceId: string, resources: RichResource[], startMs = Date.now() - 2_000): unknown {
  return {
    resourceSpans: resources.map((r) => ({
      resource: { attributes: keyValues(r.attributes) },
      scopeSpans: [
        {
          scope: r.scope,
          spans: r.spans.map((s) => ({
            ...otlpSpanFields(traceId, s, startMs),
            attributes: keyValues(s.attributes),
            events: (s.events ?? []).map((e) => ({
              timeUnixNano: unixNano(startMs + e.atMs),
              name: e.name,
              attributes: keyValues(e.attributes),
            })),
            links: (s.links ?? []).map((l) => ({
              traceId: l.traceId,
              spanId: l.spanId,
              attributes: keyValues(l.attributes),
            })),
            status: s.status ?? { code: 0 },
          })),
        },
      ],
    })),
  };
}
