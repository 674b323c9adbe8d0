/**
 * Builds an OTLP/JSON `ExportTraceServiceRequest` for the specs (OTLP JSON rules: hex ids, int64 as decimal
 * strings, enums as numbers; opentelemetry-proto `trace.proto`). Two services; the span names and attributes
 * can carry hostile strings to check they are shown as text.
 */
import { randomBytes } from "node:crypto";

export interface FixtureSpan {
  spanId: string;
  parentSpanId: string | null;
  service: string;
  name: string;
  /** Offsets from the trace start, ms. */
  startMs: number;
  durationMs: number;
  /** SpanKind enum: 1 internal, 2 server, 3 client. */
  kind: 1 | 2 | 3;
  error?: boolean;
  attributes?: Record<string, string | number | boolean>;
}

export interface FixtureTrace {
  traceId: string;
  spans: FixtureSpan[];
  body: unknown;
}

export function hexId(bytes: number): string {
  return randomBytes(bytes).toString("hex");
}

function attributeValue(value: string | number | boolean) {
  if (typeof value === "string") return { stringValue: value };
  if (typeof value === "boolean") return { boolValue: value };
  return Number.isInteger(value) ? { intValue: String(value) } : { doubleValue: value };
}

/** What every OTLP/JSON span carries: its ids, name, kind and times, offsets from `startMs` (ms since the epoch). */
export function otlpSpanFields(
  traceId: string,
  s: Pick<FixtureSpan, "spanId" | "parentSpanId" | "name" | "kind" | "startMs" | "durationMs">,
  startMs: number,
) {
  return {
    traceId,
    spanId: s.spanId,
    ...(s.parentSpanId ? { parentSpanId: s.parentSpanId } : {}),
    name: s.name,
    kind: s.kind,
    startTimeUnixNano: unixNano(startMs + s.startMs),
    endTimeUnixNano: unixNano(startMs + s.startMs + s.durationMs),
  };
}

/** Ms since the epoch as OTLP JSON's fixed64 nanoseconds: a decimal string, exact past 2^53. */
export function unixNano(ms: number): string {
  return (BigInt(Math.round(ms * 1_000)) * 1_000n).toString();
}

/** Groups spans by service into one resourceSpans entry each, timed from `startMs` (ms since the epoch). */
export function buildOtlpTrace(traceId: string, spans: FixtureSpan[], startMs = Date.now() - 1_000): FixtureTrace {
  const services = [...new Set(spans.map((s) => s.service))];
  const body = {
    resourceSpans: services.map((service) => ({
      resource: { attributes: [{ key: "service.name", value: { stringValue: service } }] },
      scopeSpans: [
        {
          scope: { name: "meshscope-e2e", version: "1.0.0" },
          spans: spans
            .filter((s) => s.service === service)
            .map((s) => ({
              ...otlpSpanFields(traceId, s, startMs),
              attributes: Object.entries(s.attributes ?? {}).map(([key, value]) => ({
                key,
                value: attributeValue(value),
              })),
              status: s.error ? { code: 2, message: "upstream failed" } : { code: 0 },
            })),
        },
      ],
    })),
  };
  return { traceId, spans, body };
}
