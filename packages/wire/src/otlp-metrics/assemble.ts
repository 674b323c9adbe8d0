import { WireError } from "../errors.js";
import type {
  OtlpMetricPoint,
  OtlpMetricsRequest,
  OtlpTemporality,
  RawHistogramPoint,
  RawNumberPoint,
  RawResourceMetrics,
} from "./types.js";

/** opentelemetry-proto `metrics.proto`: DataPointFlags.DATA_POINT_FLAGS_NO_RECORDED_VALUE_MASK. */
const FLAG_NO_RECORDED_VALUE = 1;

/** AggregationTemporality enum: 0 unspecified, 1 delta, 2 cumulative. */
export function temporalityName(value: number): OtlpTemporality {
  return value === 1 ? "delta" : value === 2 ? "cumulative" : "unspecified";
}

/** Turns the decoded tree into flat points: the same for both encodings, so they cannot drift apart. */
export function assemblePoints(resources: RawResourceMetrics[]): OtlpMetricsRequest {
  const out: OtlpMetricsRequest = { points: [], skipped: [] };
  for (const rm of resources) {
    for (const metric of rm.metrics) {
      const { name, data } = metric;
      switch (data.type) {
        case "gauge":
          for (const p of data.points) pushNumber(out.points, name, rm.resource, p, "gauge", "unspecified");
          break;
        case "sum": {
          const kind = data.monotonic ? "counter" : "gauge";
          const temporality = temporalityName(data.temporality);
          for (const p of data.points) pushNumber(out.points, name, rm.resource, p, kind, temporality);
          break;
        }
        case "histogram": {
          const temporality = temporalityName(data.temporality);
          for (const p of data.points) pushHistogram(out.points, name, rm.resource, p, temporality);
          break;
        }
        case "exponential_histogram":
        case "summary":
          out.skipped.push({ name, type: data.type });
          break;
        case "none":
          break;
      }
    }
  }
  return out;
}

function pushNumber(
  into: OtlpMetricPoint[],
  name: string,
  resource: Record<string, string>,
  p: RawNumberPoint,
  kind: "counter" | "gauge",
  temporality: OtlpTemporality,
): void {
  const base = { name, labels: mergeLabels(resource, p.attributes), kind, temporality };
  const times = { startTimeUs: p.startTimeUs, timeUs: p.timeUs };
  if ((p.flags & FLAG_NO_RECORDED_VALUE) !== 0) {
    into.push({ ...base, ...times, noRecordedValue: true });
  } else if (p.value !== undefined) {
    into.push({ ...base, ...times, value: p.value });
  }
  // A point with neither a value nor the no-value flag carries nothing; the Collector drops those too.
}

function pushHistogram(
  into: OtlpMetricPoint[],
  name: string,
  resource: Record<string, string>,
  p: RawHistogramPoint,
  temporality: OtlpTemporality,
): void {
  const labels = mergeLabels(resource, p.attributes);
  const times = { startTimeUs: p.startTimeUs, timeUs: p.timeUs };
  if ((p.flags & FLAG_NO_RECORDED_VALUE) !== 0) {
    into.push({ name, labels, kind: "histogram", temporality, ...times, noRecordedValue: true });
    return;
  }
  // metrics.proto: "bucket_counts ... must be one greater than the number of elements in explicit_bounds", except
  // that a point may carry no buckets at all (count and sum only) — and then explicit_bounds must be empty too.
  const noBuckets = p.bucketCounts.length === 0 && p.bounds.length === 0;
  if (!noBuckets && p.bucketCounts.length !== p.bounds.length + 1) {
    throw new WireError(
      "invalid_field",
      `histogram "${name.slice(0, 128)}" has ${p.bucketCounts.length} bucket counts for ${p.bounds.length} bounds`,
    );
  }
  const point: OtlpMetricPoint = {
    name,
    labels,
    kind: "histogram",
    temporality,
    ...times,
    count: p.count,
    bounds: p.bounds,
    bucketCounts: p.bucketCounts,
  };
  if (p.sum !== undefined) point.sum = p.sum;
  into.push(point);
}

function mergeLabels(resource: Record<string, string>, attributes: Record<string, string>): Record<string, string> {
  const labels: Record<string, string> = Object.create(null);
  Object.assign(labels, resource, attributes);
  return labels;
}
