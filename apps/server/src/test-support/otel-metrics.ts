/**
 * Records Istio-like metrics with the real OpenTelemetry JS metrics SDK and exports them through the real OTLP
 * metric exporters (protobuf over HTTP, JSON over HTTP, gRPC), cumulative or delta, in two rounds: the test can
 * then check what each round's export delivered.
 */
import { type Attributes, ValueType } from "@opentelemetry/api";
import { OTLPMetricExporter as GrpcExporter } from "@opentelemetry/exporter-metrics-otlp-grpc";
import {
  AggregationTemporalityPreference,
  OTLPMetricExporter as JsonExporter,
} from "@opentelemetry/exporter-metrics-otlp-http";
import { OTLPMetricExporter as ProtoExporter } from "@opentelemetry/exporter-metrics-otlp-proto";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { MeterProvider, PeriodicExportingMetricReader } from "@opentelemetry/sdk-metrics";

export type MetricExporterKind = "otlp-proto" | "otlp-json" | "otlp-grpc";

export interface MetricExportRequest {
  exporter: MetricExporterKind;
  /** Full URL for HTTP (`…/v1/metrics`), `http://host:port` for gRPC. */
  url: string;
  temporality: "cumulative" | "delta";
  gzip?: boolean;
}

/** Bucket bounds of the recorded histogram, ms (a few of Envoy's defaults; read back from `le`, never assumed). */
export const DURATION_BOUNDS = [5, 10, 25];

export const REQUEST_ATTRIBUTES: Attributes = {
  reporter: "destination",
  source_workload: "productpage-v1",
  destination_service: "reviews.bookinfo.svc.cluster.local",
  response_code: "200",
};

export const RESOURCE_ATTRIBUTES = { "service.name": "reviews", "k8s.namespace.name": "bookinfo" };

/** What the two rounds recorded. */
export const ROUNDS = [
  { requests: 3, durationsMs: [3, 7, 30], gauge: 4 },
  { requests: 2, durationsMs: [12], gauge: 9 },
];

function makeExporter(request: MetricExportRequest) {
  const temporalityPreference =
    request.temporality === "delta"
      ? AggregationTemporalityPreference.DELTA
      : AggregationTemporalityPreference.CUMULATIVE;
  switch (request.exporter) {
    case "otlp-proto":
      return new ProtoExporter({ url: request.url, temporalityPreference });
    case "otlp-json":
      return new JsonExporter({ url: request.url, temporalityPreference });
    case "otlp-grpc":
      return new GrpcExporter({ url: request.url, temporalityPreference });
  }
}

/** gzip is set the way users set it, OTEL_EXPORTER_OTLP_COMPRESSION (read in the constructor, then restored), as
 * in otel-trace.ts: the `compression` enum lives in a package the server does not depend on. */
function makeExporterWithCompression(request: MetricExportRequest) {
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

/**
 * Runs both rounds; after each, flushes (which resolves once the exporter has its answer) and calls
 * `afterRound(i)` so the test can look at what arrived for that round.
 */
export async function recordAndExportMetrics(
  request: MetricExportRequest,
  afterRound: (round: number) => Promise<void> | void,
): Promise<void> {
  const reader = new PeriodicExportingMetricReader({
    exporter: makeExporterWithCompression(request),
    // Long enough that only our explicit flushes export.
    exportIntervalMillis: 3_600_000,
  });
  const provider = new MeterProvider({ resource: resourceFromAttributes(RESOURCE_ATTRIBUTES), readers: [reader] });
  const meter = provider.getMeter("meshscope-test");
  const requests = meter.createCounter("istio_requests_total", { valueType: ValueType.INT });
  const duration = meter.createHistogram("istio_request_duration_milliseconds", {
    unit: "ms",
    advice: { explicitBucketBoundaries: DURATION_BOUNDS },
  });
  const connections = meter.createGauge("istio_test_open_connections");
  try {
    for (const [i, round] of ROUNDS.entries()) {
      requests.add(round.requests, REQUEST_ATTRIBUTES);
      for (const ms of round.durationsMs) duration.record(ms, REQUEST_ATTRIBUTES);
      connections.record(round.gauge, REQUEST_ATTRIBUTES);
      await provider.forceFlush();
      await afterRound(i);
    }
  } finally {
    await provider.shutdown();
  }
}
