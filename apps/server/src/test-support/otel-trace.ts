/**
 * A realistic multi-service trace recorded with the real OpenTelemetry JS SDK (sdk-trace-base
 * BasicTracerProvider, one per service with its resource), for the acceptance tests: three services
 * (frontend → checkout → payments), nested server/client/internal/producer spans, events with attributes, a
 * link, an error status with a message, and attributes of every type (int, double, bool, string, string array).
 * Parents cross services the way propagation does it: the callee's parent context is the caller's client span
 * context marked remote, exactly what a W3C traceparent header carries.
 *
 * The spans are captured with an InMemorySpanExporter, pushed through a real OTLP exporter, and returned in
 * the API's terms: tests compare what the API answers with what the SDK recorded (the SDK is the oracle, not
 * our encoder). Test support only: the OpenTelemetry packages are devDependencies of the server.
 */

import * as grpc from "@grpc/grpc-js";
import { type Context, ROOT_CONTEXT, type Span, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { OTLPTraceExporter as GrpcExporter } from "@opentelemetry/exporter-trace-otlp-grpc";
import { OTLPTraceExporter as JsonExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { OTLPTraceExporter as ProtoExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { ProtobufTraceSerializer } from "@opentelemetry/otlp-transformer";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
  type SpanExporter,
} from "@opentelemetry/sdk-trace-base";
import { TRACE_SERVICE_EXPORT_PATH } from "../ingest/otlp-grpc.js";

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

interface RecordedTrace {
  traceId: string;
  spans: ReadableSpan[];
}

const SERVICES = {
  frontend: { "service.name": "frontend", "service.version": "1.4.2", "k8s.namespace.name": "shop" },
  checkout: { "service.name": "checkout", "service.namespace": "shop", "host.cpus": 4 },
  payments: { "service.name": "payments", "deployment.environment": "test" },
} as const;

/** The remote parent a callee sees after extracting the caller's traceparent header. */
function propagated(caller: Span): Context {
  return trace.setSpanContext(ROOT_CONTEXT, { ...caller.spanContext(), isRemote: true });
}

/** Records one checkout trace on three tracer providers and returns its ended spans. */
async function recordCheckoutTrace(): Promise<RecordedTrace> {
  const memory = new InMemorySpanExporter();
  const provider = (service: keyof typeof SERVICES) =>
    new BasicTracerProvider({
      resource: resourceFromAttributes(SERVICES[service]),
      spanProcessors: [new SimpleSpanProcessor(memory)],
    });
  const providers = { frontend: provider("frontend"), checkout: provider("checkout"), payments: provider("payments") };
  const tracer = (service: keyof typeof SERVICES) =>
    providers[service].getTracer(`${service}-instrumentation`, "0.9.1");
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  const root = tracer("frontend").startSpan("GET /checkout", {
    kind: SpanKind.SERVER,
    attributes: {
      "http.request.method": "GET",
      "http.response.status_code": 200,
      "app.cart.ratio": 0.25,
      "app.cache.hit": false,
      "app.features": ["express-checkout", "gift-wrap"],
      "app.note": 'quotes " and <b>tags</b> and ünïcode ✓',
    },
  });
  const rootCtx = trace.setSpan(ROOT_CONTEXT, root);
  const render = tracer("frontend").startSpan("render cart", { kind: SpanKind.INTERNAL }, rootCtx);
  render.addEvent("cache miss", { "cache.key": "cart:42", "cache.attempt": 2 });
  await sleep(3);
  render.end();

  const call = tracer("frontend").startSpan(
    "POST /charge",
    { kind: SpanKind.CLIENT, attributes: { "server.address": "checkout", "server.port": 8080 } },
    rootCtx,
  );
  const charge = tracer("checkout").startSpan(
    "POST /charge",
    { kind: SpanKind.SERVER, attributes: { "http.request.method": "POST", "http.route": "/charge" } },
    propagated(call),
  );
  const chargeCtx = trace.setSpan(ROOT_CONTEXT, charge);
  const validate = tracer("checkout").startSpan(
    "validate order",
    { kind: SpanKind.INTERNAL, links: [{ context: render.spanContext(), attributes: { "link.reason": "same cart" } }] },
    chargeCtx,
  );
  await sleep(2);
  validate.end();

  const pay = tracer("checkout").startSpan(
    "payments.Charge",
    { kind: SpanKind.CLIENT, attributes: { "rpc.system": "grpc", "rpc.service": "payments" } },
    chargeCtx,
  );
  const payServer = tracer("payments").startSpan(
    "payments.Charge",
    {
      kind: SpanKind.SERVER,
      attributes: { "rpc.system": "grpc", "payment.amount": 12.5, "payment.retries": 3, "payment.ok": false },
    },
    propagated(pay),
  );
  const db = tracer("payments").startSpan(
    "SELECT cards",
    { kind: SpanKind.CLIENT, attributes: { "db.system.name": "postgresql", "db.query.text": "SELECT * FROM cards" } },
    trace.setSpan(ROOT_CONTEXT, payServer),
  );
  await sleep(4);
  db.end();
  payServer.addEvent("exception", {
    "exception.type": "CardDeclined",
    "exception.message": "card declined",
    "exception.escaped": false,
  });
  payServer.setStatus({ code: SpanStatusCode.ERROR, message: "card declined" });
  payServer.end();
  pay.setStatus({ code: SpanStatusCode.ERROR, message: "UNKNOWN" });
  pay.end();

  const publish = tracer("checkout").startSpan("orders publish", { kind: SpanKind.PRODUCER }, chargeCtx);
  publish.end();
  charge.setStatus({ code: SpanStatusCode.OK });
  charge.end();
  call.end();
  await sleep(1);
  root.end();

  await Promise.all(Object.values(providers).map((p) => p.forceFlush()));
  const traceId = root.spanContext().traceId;
  const spans = memory.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);
  await Promise.all(Object.values(providers).map((p) => p.shutdown()));
  return { traceId, spans };
}

/** Sends spans through an OTLP exporter and resolves when the receiver has answered (export succeeded). */
function exportSpans(exporter: SpanExporter, spans: ReadableSpan[]): Promise<void> {
  return new Promise((resolve, reject) => {
    exporter.export(spans, (result) => {
      // ExportResultCode.SUCCESS is 0 (@opentelemetry/core).
      if (result.code === 0) resolve();
      else reject(result.error ?? new Error("export failed"));
    });
  });
}

/** µs from an SDK HrTime, truncating the sub-µs part as the OTLP decoders do (ns / 1000, floored). */
function hrTimeToUs([seconds, nanos]: [number, number]): number {
  return seconds * 1_000_000 + Math.floor(nanos / 1000);
}

/** @opentelemetry/api SpanKind and SpanStatusCode numbers → the API's names. */
const KIND = ["internal", "server", "client", "producer", "consumer"];
const STATUS = ["unset", "ok", "error"];

/** What the API must return for a span, derived from the SDK's ReadableSpan. */
function expectedSpan(span: ReadableSpan): ExpectedSpan {
  const startUs = hrTimeToUs(span.startTime);
  const status = { code: STATUS[span.status.code] ?? "?" };
  return {
    spanId: span.spanContext().spanId,
    parentSpanId: span.parentSpanContext?.spanId ?? null,
    service: String(span.resource.attributes["service.name"]),
    name: span.name,
    kind: KIND[span.kind] ?? "?",
    start: startUs,
    duration: hrTimeToUs(span.endTime) - startUs,
    status: span.status.message ? { ...status, message: span.status.message } : status,
    attributes: { ...span.attributes },
    resource: { ...span.resource.attributes },
    scope: span.instrumentationScope.version
      ? { name: span.instrumentationScope.name, version: span.instrumentationScope.version }
      : { name: span.instrumentationScope.name },
    events: span.events.map((e) => ({ time: hrTimeToUs(e.time), name: e.name, attributes: { ...e.attributes } })),
    links: span.links.map((l) => ({
      traceId: l.context.traceId,
      spanId: l.context.spanId,
      attributes: { ...l.attributes },
    })),
  };
}

function makeExporter(request: ExportRequest): SpanExporter {
  switch (request.exporter) {
    case "otlp-proto":
      return new ProtoExporter({ url: request.url });
    case "otlp-json":
      return new JsonExporter({ url: request.url });
    case "otlp-grpc":
      return new GrpcExporter({ url: request.url });
  }
}

/**
 * Builds the exporter with OTEL_EXPORTER_OTLP_COMPRESSION set for gzip, the way users configure it. The
 * `compression` option's enum lives in @opentelemetry/otlp-exporter-base, which the server does not depend on.
 * The exporters read the variable in their constructor, so it is restored right after: the test process's
 * environment stays as it was for the other tests of the file.
 */
function makeExporterWithCompression(request: ExportRequest): SpanExporter {
  const previous = process.env.OTEL_EXPORTER_OTLP_COMPRESSION;
  if (request.gzip) process.env.OTEL_EXPORTER_OTLP_COMPRESSION = "gzip";
  else delete process.env.OTEL_EXPORTER_OTLP_COMPRESSION;
  try {
    return makeExporter(request);
  } finally {
    if (previous === undefined) delete process.env.OTEL_EXPORTER_OTLP_COMPRESSION;
    else process.env.OTEL_EXPORTER_OTLP_COMPRESSION = previous;
  }
}

/** Records the checkout trace, exports it through the requested exporter, and describes what was sent. */
export async function recordAndExportTrace(request: ExportRequest): Promise<ExportedTrace> {
  const recorded = await recordCheckoutTrace();
  const exporter = makeExporterWithCompression(request);
  await exportSpans(exporter, recorded.spans);
  const exportedAtMs = Date.now();
  await exporter.shutdown();
  return { traceId: recorded.traceId, spans: recorded.spans.map(expectedSpan), exportedAtMs };
}

/** A small valid ExportTraceServiceRequest in protobuf, serialised by the OpenTelemetry transformer, with
 * `spanCount` spans of one new trace. */
export async function protobufExportRequest(spanCount: number): Promise<{ traceId: string; bytes: Uint8Array }> {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ "service.name": "proto-client" }),
    spanProcessors: [new SimpleSpanProcessor(memory)],
  });
  const tracer = provider.getTracer("meshscope-tests");
  const root = tracer.startSpan("proto root");
  const ctx = trace.setSpan(ROOT_CONTEXT, root);
  for (let i = 1; i < spanCount; i++) tracer.startSpan(`proto child ${i}`, {}, ctx).end();
  root.end();
  await provider.forceFlush();
  const bytes = ProtobufTraceSerializer.serializeRequest(memory.getFinishedSpans());
  await provider.shutdown();
  if (!bytes) throw new Error("the serializer produced nothing");
  return { traceId: root.spanContext().traceId, bytes };
}

/** Sends `body` (a serialised ExportTraceServiceRequest) as one TraceService/Export call and answers with the
 * call's error, null when it ended OK. */
export function grpcExportTraces(target: string, body: Uint8Array): Promise<grpc.ServiceError | null> {
  const client = new grpc.Client(target, grpc.credentials.createInsecure());
  return new Promise((resolve) => {
    client.makeUnaryRequest(
      TRACE_SERVICE_EXPORT_PATH,
      (b: Buffer) => b,
      (b: Buffer) => b,
      Buffer.from(body),
      (error) => {
        client.close();
        resolve(error);
      },
    );
  });
}
