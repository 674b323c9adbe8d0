/**
 * Golden OTLP metrics requests made by the real OpenTelemetry JS metrics SDK and the serializers of
 * `@opentelemetry/otlp-transformer` (the encoders the OTLP exporters use): the oracle for the OTLP metrics
 * decoders. The expected points are read from the SDK's own in-memory `ResourceMetrics`, not from our decoder.
 * Test support only, excluded from the package build.
 */
import { type Attributes, type HrTime, ValueType } from "@opentelemetry/api";
import { JsonMetricsSerializer, ProtobufMetricsSerializer } from "@opentelemetry/otlp-transformer";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  AggregationTemporality,
  DataPointType,
  MeterProvider,
  MetricReader,
  type ResourceMetrics,
} from "@opentelemetry/sdk-metrics";
import type { OtlpMetricPoint } from "../otlp-metrics/types.js";

export interface OtelMetricsCase {
  label: string;
  protobuf: Uint8Array;
  json: string;
  expected: OtlpMetricPoint[];
}

/** Envoy's default histogram buckets, which Istio uses for `istio_request_duration_milliseconds` (istio.md §1.2). */
export const ENVOY_DEFAULT_BUCKETS = [
  0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000, 3600000,
];

const RESOURCE = {
  "service.name": "reviews",
  "k8s.namespace.name": "bookinfo",
  "meshscope.shard": 3,
  "meshscope.canary": true,
};

const OK = {
  reporter: "destination",
  source_workload: "productpage-v1",
  source_workload_namespace: "bookinfo",
  destination_service: "reviews.bookinfo.svc.cluster.local",
  destination_workload: "reviews-v2",
  request_protocol: "http",
  response_code: "200",
  response_flags: "-",
  connection_security_policy: "mutual_tls",
};
const TRIPPED = { ...OK, reporter: "source", response_code: "503", response_flags: "UO" };

class CollectingReader extends MetricReader {
  protected override async onShutdown(): Promise<void> {}
  protected override async onForceFlush(): Promise<void> {}
}

function instruments(provider: MeterProvider) {
  const meter = provider.getMeter("meshscope-golden", "1.0.0");
  let queueDepth = 7.5;
  meter
    .createObservableGauge("meshscope_queue_depth", { unit: "1" })
    .addCallback((result) => result.observe(queueDepth, { queue: "ingest" }));
  return {
    requests: meter.createCounter("istio_requests_total", { valueType: ValueType.INT }),
    duration: meter.createHistogram("istio_request_duration_milliseconds", {
      unit: "ms",
      advice: { explicitBucketBoundaries: ENVOY_DEFAULT_BUCKETS },
    }),
    inflight: meter.createUpDownCounter("meshscope_inflight_requests"),
    setQueueDepth: (v: number) => {
      queueDepth = v;
    },
  };
}

function firstBatch(i: ReturnType<typeof instruments>): void {
  i.requests.add(3, OK);
  i.requests.add(2, TRIPPED);
  for (const ms of [0.3, 4, 12, 12, 700, 5_000_000]) i.duration.record(ms, OK);
  i.inflight.add(5, { pool: "a" });
  i.inflight.add(-2, { pool: "a" });
}

function secondBatch(i: ReturnType<typeof instruments>): void {
  i.requests.add(10, OK);
  i.duration.record(30, OK);
  i.duration.record(0.5, TRIPPED); // exactly on a bound: counted in the (0, 0.5] bucket
  i.setQueueDepth(2);
}

export async function otelMetricsCases(): Promise<OtelMetricsCase[]> {
  const cases: OtelMetricsCase[] = [];
  for (const temporality of [AggregationTemporality.CUMULATIVE, AggregationTemporality.DELTA]) {
    const reader = new CollectingReader({ aggregationTemporalitySelector: () => temporality });
    const provider = new MeterProvider({ resource: resourceFromAttributes(RESOURCE), readers: [reader] });
    const i = instruments(provider);
    const name = temporality === AggregationTemporality.DELTA ? "delta" : "cumulative";
    firstBatch(i);
    cases.push(toCase(`${name}, first collection`, (await reader.collect()).resourceMetrics));
    secondBatch(i);
    cases.push(toCase(`${name}, second collection`, (await reader.collect()).resourceMetrics));
    await provider.shutdown();
  }
  return cases;
}

function toCase(label: string, rm: ResourceMetrics): OtelMetricsCase {
  return {
    label,
    protobuf: ProtobufMetricsSerializer.serializeRequest(rm) ?? new Uint8Array(),
    json: new TextDecoder().decode(JsonMetricsSerializer.serializeRequest(rm)),
    expected: expectedPoints(rm),
  };
}

/** What a correct decoder must return, read off the SDK's data model. */
function expectedPoints(rm: ResourceMetrics): OtlpMetricPoint[] {
  const points: OtlpMetricPoint[] = [];
  const resource = labelsOf(rm.resource.attributes);
  for (const scope of rm.scopeMetrics) {
    for (const metric of scope.metrics) {
      const common = (dp: { attributes: Attributes; startTime: HrTime; endTime: HrTime }) => ({
        name: metric.descriptor.name,
        labels: { ...resource, ...labelsOf(dp.attributes) },
        startTimeUs: micros(dp.startTime),
        timeUs: micros(dp.endTime),
      });
      const temporality = metric.aggregationTemporality === AggregationTemporality.DELTA ? "delta" : "cumulative";
      if (metric.dataPointType === DataPointType.HISTOGRAM) {
        for (const dp of metric.dataPoints) {
          const h = dp.value;
          points.push({
            ...common(dp),
            kind: "histogram",
            temporality,
            count: h.count,
            ...(h.sum === undefined ? {} : { sum: h.sum }),
            bounds: [...h.buckets.boundaries],
            bucketCounts: [...h.buckets.counts],
          });
        }
      } else if (metric.dataPointType === DataPointType.SUM) {
        const kind = metric.isMonotonic ? "counter" : "gauge";
        for (const dp of metric.dataPoints) points.push({ ...common(dp), kind, temporality, value: dp.value });
      } else if (metric.dataPointType === DataPointType.GAUGE) {
        // A Gauge has no aggregation temporality on the wire.
        for (const dp of metric.dataPoints) {
          points.push({ ...common(dp), kind: "gauge", temporality: "unspecified", value: dp.value });
        }
      }
    }
  }
  return points;
}

/** ns → µs by truncation, which is what OTLP's fixed64 ns carry and what the decoders must produce. */
function micros(t: HrTime): number {
  return t[0] * 1_000_000 + Math.floor(t[1] / 1000);
}

function labelsOf(attributes: Attributes): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(attributes)) {
    if (v === undefined) continue;
    out[k] = typeof v === "string" ? v : Array.isArray(v) ? JSON.stringify(v) : String(v);
  }
  return out;
}
