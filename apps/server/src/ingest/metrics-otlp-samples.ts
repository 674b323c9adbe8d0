/**
 * OTLP metric points → the store's Prometheus-shaped samples, as the OpenTelemetry Collector's Prometheus
 * exporters map them:
 *   Sum / Gauge        one sample, the point's value, under the metric's name
 *   Histogram          `<name>_bucket{le}` cumulative counts (OTLP carries per-bucket counts; Prometheus' `le`
 *                      bucket counts everything ≤ le, so bucket i is the running sum of counts 0..i, and the
 *                      last, unbounded bucket is `le="+Inf"` = count), `<name>_sum`, `<name>_count`
 * Names are kept as sent (Istio's OTLP metrics already use `istio_requests_total` etc.); the store ignores
 * metrics it does not roll up. Cumulative and delta points go into separate batches, the sink's unit of
 * temporality; gauges (OTLP leaves their temporality unspecified) are values, not increments, and travel with the
 * cumulative batch as Prometheus gauges do.
 */
import type { OtlpMetricPoint, OtlpMetricsRequest } from "@meshscope/wire";
import type { MetricBatch, MetricSample } from "../metrics/metric-sink.js";

export interface OtlpSampleBatches {
  batches: MetricBatch[];
  /** Points flagged "no recorded value" (a gap or the series' end); the sink contract cannot express them. */
  noValuePoints: number;
  /** Metrics of a type we do not map (exponential histograms, summaries), for the partial-success answer. */
  skippedMetrics: OtlpMetricsRequest["skipped"];
}

/** `le` as Prometheus clients print bounds: shortest round-trip decimal, `+Inf` for the overflow bucket. */
function leLabel(bound: number): string {
  return bound === Number.POSITIVE_INFINITY ? "+Inf" : String(bound);
}

/** OTLP times are µs here (the decoder converted from ns); sample timestamps are whole ms, as in Prometheus. */
function timestampMs(point: OtlpMetricPoint): number {
  return Math.floor(point.timeUs / 1000);
}

function withLabel(labels: Record<string, string>, name: string, value: string): Record<string, string> {
  // Null prototype, like the decoder's label objects, so a `__proto__` label stays data.
  const out: Record<string, string> = Object.assign(Object.create(null), labels);
  out[name] = value;
  return out;
}

function histogramSamples(point: OtlpMetricPoint, into: MetricSample[]): void {
  const ts = timestampMs(point);
  const bounds = point.bounds ?? [];
  const counts = point.bucketCounts ?? [];
  if (counts.length > 0) {
    let cumulative = 0;
    for (let i = 0; i < counts.length; i++) {
      cumulative += counts[i] ?? 0;
      const le = i < bounds.length ? leLabel(bounds[i] ?? Number.POSITIVE_INFINITY) : "+Inf";
      into.push({
        name: `${point.name}_bucket`,
        labels: withLabel(point.labels, "le", le),
        value: cumulative,
        timestampMs: ts,
      });
    }
  } else {
    // A histogram without buckets still counts: Prometheus has the single +Inf bucket equal to the count.
    into.push({
      name: `${point.name}_bucket`,
      labels: withLabel(point.labels, "le", "+Inf"),
      value: point.count ?? 0,
      timestampMs: ts,
    });
  }
  if (point.sum !== undefined) {
    into.push({ name: `${point.name}_sum`, labels: point.labels, value: point.sum, timestampMs: ts });
  }
  into.push({ name: `${point.name}_count`, labels: point.labels, value: point.count ?? 0, timestampMs: ts });
}

export function otlpPointsToBatches(decoded: OtlpMetricsRequest, source: string): OtlpSampleBatches {
  const cumulative: MetricSample[] = [];
  const delta: MetricSample[] = [];
  let noValuePoints = 0;
  for (const point of decoded.points) {
    if (point.noRecordedValue) {
      noValuePoints++;
      continue;
    }
    const into = point.temporality === "delta" ? delta : cumulative;
    if (point.kind === "histogram") histogramSamples(point, into);
    else if (point.value !== undefined) {
      into.push({ name: point.name, labels: point.labels, value: point.value, timestampMs: timestampMs(point) });
    }
  }
  const batches: MetricBatch[] = [];
  // Pushes are partial views of the sender: never `complete`, so series absent from one request stay alive.
  if (cumulative.length > 0) batches.push({ source, temporality: "cumulative", complete: false, samples: cumulative });
  if (delta.length > 0) batches.push({ source, temporality: "delta", complete: false, samples: delta });
  return { batches, noValuePoints, skippedMetrics: decoded.skipped };
}
