/**
 * Test side of the OpenTelemetry SDK fixture: records the checkout trace and exports it through a real OTLP
 * exporter inside a clean worker (see clean-worker.ts), and returns the spans as the API should show them.
 */
import { runInCleanWorker } from "./clean-worker.js";

export type ExporterKind = "otlp-proto" | "otlp-json" | "otlp-grpc";

export interface ExportRequest {
  exporter: ExporterKind;
  /** `http://host:port/v1/traces` for HTTP exporters, `http://host:port` for gRPC. */
  url: string;
  gzip: boolean;
}

/** A span as the SDK recorded it, in the API's terms (µs times, names of kinds and status codes). */
export interface ExpectedSpan {
  spanId: string;
  parentSpanId: string | null;
  service: string;
  name: string;
  kind: string;
  start: number;
  duration: number;
  status: { code: string; message?: string };
  attributes: Record<string, unknown>;
  resource: Record<string, unknown>;
  scope: { name: string; version?: string };
  events: { time: number; name: string; attributes: Record<string, unknown> }[];
  links: { traceId: string; spanId: string; attributes: Record<string, unknown> }[];
}

export interface ExportedTrace {
  traceId: string;
  spans: ExpectedSpan[];
  /** Date.now() when the exporter reported success. */
  exportedAtMs: number;
}

export function recordAndExportTrace(request: ExportRequest): Promise<ExportedTrace> {
  return runInCleanWorker<ExportedTrace>(new URL("./otel-trace.ts", import.meta.url), "recordAndExport", request);
}

/** A valid OTLP protobuf ExportTraceServiceRequest made by the OpenTelemetry serializer. */
export function protobufExportRequest(spanCount: number): Promise<{ traceId: string; bytes: Uint8Array }> {
  return runInCleanWorker(new URL("./otel-trace.ts", import.meta.url), "protobufExportRequest", spanCount);
}
