import { DecodeContext } from "../decode-context.js";
import { WireError } from "../errors.js";
import { assemblePoints } from "./assemble.js";
import { attributeToLabel } from "./attribute-value.js";
import { JsonPath } from "./json-path.js";
import { LABEL_LIMITS } from "./label-limits.js";
import type {
  OtlpMetricsRequest,
  RawHistogramPoint,
  RawMetric,
  RawMetricData,
  RawNumberPoint,
  RawResourceMetrics,
} from "./types.js";

/**
 * OTLP/JSON `ExportMetricsServiceRequest` (OTLP spec "JSON Protobuf Encoding"): the protobuf JSON mapping with
 * lowerCamelCase names (snake_case accepted too, as protobuf JSON parsers do), 64-bit integers as decimal strings
 * or numbers, enums as integers or names, bytes as base64, and unknown fields ignored.
 */
export function decodeOtlpMetricsJson(text: string): OtlpMetricsRequest {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    const reason = err instanceof Error ? err.message : "parse error";
    throw new WireError("malformed", `invalid OTLP/JSON: ${reason}`);
  }
  const root = JsonPath.root(doc);
  const ctx = new DecodeContext(LABEL_LIMITS);
  const resources = root.list("resourceMetrics", "resource_metrics").map((rm) => readResourceMetrics(rm, ctx));
  return assemblePoints(resources);
}

function readResourceMetrics(rm: JsonPath, ctx: DecodeContext): RawResourceMetrics {
  const resource: Record<string, string> = Object.create(null);
  const res = rm.optionalObject("resource");
  if (res) readAttributes(res.list("attributes"), resource, ctx);
  const metrics: RawMetric[] = [];
  for (const sm of rm.list("scopeMetrics", "scope_metrics")) {
    for (const m of sm.list("metrics")) metrics.push(readMetric(m, ctx));
  }
  return { resource, metrics };
}

function readMetric(m: JsonPath, ctx: DecodeContext): RawMetric {
  const name = m.string("name");
  let data: RawMetricData = { type: "none" };
  const gauge = m.optionalObject("gauge");
  const sum = m.optionalObject("sum");
  const histogram = m.optionalObject("histogram");
  if (gauge) {
    data = { type: "gauge", points: gauge.list("dataPoints", "data_points").map((p) => readNumberPoint(p, ctx)) };
  } else if (sum) {
    data = {
      type: "sum",
      temporality: sum.temporality(),
      monotonic: sum.boolean("isMonotonic", "is_monotonic"),
      points: sum.list("dataPoints", "data_points").map((p) => readNumberPoint(p, ctx)),
    };
  } else if (histogram) {
    data = {
      type: "histogram",
      temporality: histogram.temporality(),
      points: histogram.list("dataPoints", "data_points").map((p) => readHistogramPoint(p, ctx)),
    };
  } else if (m.optionalObject("exponentialHistogram", "exponential_histogram")) {
    data = { type: "exponential_histogram" };
  } else if (m.optionalObject("summary")) {
    data = { type: "summary" };
  }
  if (name === "" && data.type !== "none") throw new WireError("invalid_field", `${m.path}: Metric without a name`);
  return { name, data };
}

function readNumberPoint(p: JsonPath, ctx: DecodeContext): RawNumberPoint {
  const attributes: Record<string, string> = Object.create(null);
  readAttributes(p.list("attributes"), attributes, ctx);
  // as_double and as_int are a oneof; asInt is an int64, so it may arrive as a decimal string.
  const value = p.has("asDouble", "as_double") ? p.double("asDouble", "as_double") : p.optionalInt64("asInt", "as_int");
  return {
    attributes,
    startTimeUs: p.nanosAsMicros("startTimeUnixNano", "start_time_unix_nano"),
    timeUs: p.nanosAsMicros("timeUnixNano", "time_unix_nano"),
    value,
    flags: p.optionalInt64("flags") ?? 0,
  };
}

function readHistogramPoint(p: JsonPath, ctx: DecodeContext): RawHistogramPoint {
  const attributes: Record<string, string> = Object.create(null);
  readAttributes(p.list("attributes"), attributes, ctx);
  return {
    attributes,
    startTimeUs: p.nanosAsMicros("startTimeUnixNano", "start_time_unix_nano"),
    timeUs: p.nanosAsMicros("timeUnixNano", "time_unix_nano"),
    count: p.optionalInt64("count") ?? 0,
    sum: p.has("sum") ? p.double("sum") : undefined,
    bounds: p.numberList("explicitBounds", "explicit_bounds", "double"),
    bucketCounts: p.numberList("bucketCounts", "bucket_counts", "int64"),
    flags: p.optionalInt64("flags") ?? 0,
  };
}

function readAttributes(list: JsonPath[], into: Record<string, string>, ctx: DecodeContext): void {
  for (const kv of list) into[kv.string("key")] = attributeToLabel(kv.anyValue("value", ctx));
}
