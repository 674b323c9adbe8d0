/**
 * OTLP/JSON request bodies written by hand from the OTLP specification (hex ids, int64 as decimal strings,
 * enums as numbers), for tests that need many small valid requests or deliberately broken ones.
 */
import { randomBytes } from "node:crypto";

export function randomTraceId(): string {
  return randomBytes(16).toString("hex");
}

export function randomSpanId(): string {
  return randomBytes(8).toString("hex");
}

export interface JsonSpanSpec {
  traceId: string;
  spanId?: string;
  parentSpanId?: string;
  name?: string;
  /** ns since the epoch, as a decimal string (int64 in OTLP/JSON). Default: now. */
  startTimeUnixNano?: string;
  durationMs?: number;
  attributes?: { key: string; value: Record<string, unknown> }[];
}

/** ns since the epoch as a decimal string, exact (BigInt: epoch ns do not fit a JS number). */
export function nowNs(offsetMs = 0): string {
  return ((BigInt(Date.now()) + BigInt(offsetMs)) * 1_000_000n).toString();
}

export function otlpJsonSpan(spec: JsonSpanSpec): Record<string, unknown> {
  const start = spec.startTimeUnixNano ?? nowNs(-1000);
  const end = (BigInt(start) + BigInt(spec.durationMs ?? 5) * 1_000_000n).toString();
  return {
    traceId: spec.traceId,
    spanId: spec.spanId ?? randomSpanId(),
    ...(spec.parentSpanId ? { parentSpanId: spec.parentSpanId } : {}),
    name: spec.name ?? "GET /health",
    kind: 2,
    startTimeUnixNano: start,
    endTimeUnixNano: end,
    attributes: spec.attributes ?? [{ key: "http.response.status_code", value: { intValue: "200" } }],
    status: {},
  };
}

/** An ExportTraceServiceRequest with one resource (service.name = `service`) and the given spans. */
export function otlpJsonRequest(service: string, spans: Record<string, unknown>[]): Record<string, unknown> {
  return {
    resourceSpans: [
      {
        resource: { attributes: [{ key: "service.name", value: { stringValue: service } }] },
        scopeSpans: [{ scope: { name: "meshscope-tests", version: "1" }, spans }],
      },
    ],
  };
}

/** POSTs an OTLP/JSON body to `${baseUrl}/v1/traces`. */
export function postOtlpJson(baseUrl: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${baseUrl}/v1/traces`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}
