import type { Attributes } from "@meshscope/model";
import { DecodeContext } from "../decode-context.js";
import { WireError } from "../errors.js";
import { decodeKeyValue } from "../otlp/any-value-protobuf.js";
import { ProtoReader, WIRE_I64, WIRE_LEN, WIRE_VARINT } from "../otlp/protobuf-reader.js";
import { assemblePoints } from "./assemble.js";
import { attributeToLabel } from "./attribute-value.js";
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
 * OTLP/protobuf `ExportMetricsServiceRequest` (opentelemetry-proto `collector/metrics/v1/metrics_service.proto`,
 * `metrics/v1/metrics.proto`, `common/v1/common.proto`). Field numbers are checked against the encoder of
 * `@opentelemetry/otlp-transformer` 0.223.1 by the tests. Unknown fields are skipped, as proto3 requires.
 * Each reader takes the end offset of its message; `ProtoReader` never reads past it.
 */
export function decodeOtlpMetricsProtobuf(bytes: Uint8Array): OtlpMetricsRequest {
  const r = new ProtoReader(bytes);
  const ctx = new DecodeContext(LABEL_LIMITS);
  const end = bytes.length;
  const resources: RawResourceMetrics[] = [];
  while (r.pos < end) {
    const tag = r.tag(end);
    if (tag >>> 3 === 1) {
      r.expect(tag, WIRE_LEN, "ExportMetricsServiceRequest.resource_metrics");
      resources.push(readResourceMetrics(r, r.lengthEnd(end), ctx));
    } else {
      r.skip(tag, end);
    }
  }
  return assemblePoints(resources);
}

/** ResourceMetrics { Resource resource = 1; repeated ScopeMetrics scope_metrics = 2; string schema_url = 3; } */
function readResourceMetrics(r: ProtoReader, end: number, ctx: DecodeContext): RawResourceMetrics {
  const out: RawResourceMetrics = { resource: Object.create(null), metrics: [] };
  while (r.pos < end) {
    const tag = r.tag(end);
    const field = tag >>> 3;
    if (field === 1) {
      r.expect(tag, WIRE_LEN, "ResourceMetrics.resource");
      // Resource { repeated KeyValue attributes = 1; uint32 dropped_attributes_count = 2; }
      readAttributes(r, r.lengthEnd(end), 1, out.resource, ctx);
    } else if (field === 2) {
      r.expect(tag, WIRE_LEN, "ResourceMetrics.scope_metrics");
      readScopeMetrics(r, r.lengthEnd(end), out.metrics, ctx);
    } else {
      r.skip(tag, end);
    }
  }
  return out;
}

/** ScopeMetrics { InstrumentationScope scope = 1; repeated Metric metrics = 2; string schema_url = 3; } */
function readScopeMetrics(r: ProtoReader, end: number, into: RawMetric[], ctx: DecodeContext): void {
  while (r.pos < end) {
    const tag = r.tag(end);
    if (tag >>> 3 === 2) {
      r.expect(tag, WIRE_LEN, "ScopeMetrics.metrics");
      into.push(readMetric(r, r.lengthEnd(end), ctx));
    } else {
      r.skip(tag, end);
    }
  }
}

/** Every KeyValue in field `field` of the message ending at `end`, flattened into `into`. */
function readAttributes(r: ProtoReader, end: number, field: number, into: Record<string, string>, ctx: DecodeContext) {
  while (r.pos < end) {
    const tag = r.tag(end);
    if (tag >>> 3 === field) readLabel(r, tag, end, "attributes", into, ctx);
    else r.skip(tag, end);
  }
}

/**
 * One KeyValue, decoded by the trace decoder's AnyValue reader (same nesting limit, int64 beyond 2^53 kept exact as
 * a decimal string), then flattened to its label text. No attribute count limit applies: labels identify a series.
 */
function readLabel(
  r: ProtoReader,
  tag: number,
  end: number,
  what: string,
  into: Record<string, string>,
  ctx: DecodeContext,
) {
  r.expect(tag, WIRE_LEN, what);
  const kvEnd = r.lengthEnd(end);
  const one: Attributes = {};
  decodeKeyValue(r, kvEnd, one, ctx, 0);
  r.pos = kvEnd;
  for (const key in one) into[key] = attributeToLabel(one[key] ?? null);
}

/** Metric { name = 1; description = 2; unit = 3; gauge = 5; sum = 7; histogram = 9; exponential_histogram = 10;
 *  summary = 11; metadata = 12 }. The data oneof may come before the name on the wire, so both are held until the
 *  message ends. */
function readMetric(r: ProtoReader, end: number, ctx: DecodeContext): RawMetric {
  let name = "";
  let data: RawMetricData = { type: "none" };
  while (r.pos < end) {
    const tag = r.tag(end);
    switch (tag >>> 3) {
      case 1:
        r.expect(tag, WIRE_LEN, "Metric.name");
        name = r.string(end);
        break;
      case 5: {
        r.expect(tag, WIRE_LEN, "Metric.gauge");
        data = { type: "gauge", points: readNumberSeries(r, r.lengthEnd(end), ctx).points };
        break;
      }
      case 7: {
        r.expect(tag, WIRE_LEN, "Metric.sum");
        const s = readNumberSeries(r, r.lengthEnd(end), ctx);
        data = { type: "sum", temporality: s.temporality, monotonic: s.monotonic, points: s.points };
        break;
      }
      case 9:
        r.expect(tag, WIRE_LEN, "Metric.histogram");
        data = readHistogram(r, r.lengthEnd(end), ctx);
        break;
      case 10:
        data = { type: "exponential_histogram" };
        r.skip(tag, end);
        break;
      case 11:
        data = { type: "summary" };
        r.skip(tag, end);
        break;
      default:
        r.skip(tag, end);
    }
  }
  if (name === "" && data.type !== "none") throw new WireError("invalid_field", "Metric without a name");
  return { name, data };
}

/** Gauge { data_points = 1 } and Sum { data_points = 1; aggregation_temporality = 2; is_monotonic = 3 }. */
function readNumberSeries(
  r: ProtoReader,
  end: number,
  ctx: DecodeContext,
): { points: RawNumberPoint[]; temporality: number; monotonic: boolean } {
  const points: RawNumberPoint[] = [];
  let temporality = 0;
  let monotonic = false;
  while (r.pos < end) {
    const tag = r.tag(end);
    const field = tag >>> 3;
    if (field === 1) {
      r.expect(tag, WIRE_LEN, "data_points");
      points.push(readNumberPoint(r, r.lengthEnd(end), ctx));
    } else if (field === 2) {
      r.expect(tag, WIRE_VARINT, "aggregation_temporality");
      temporality = r.uint32(end);
    } else if (field === 3) {
      r.expect(tag, WIRE_VARINT, "is_monotonic");
      r.varint64(end);
      monotonic = (r.lo | r.hi) !== 0;
    } else {
      r.skip(tag, end);
    }
  }
  return { points, temporality, monotonic };
}

/** NumberDataPoint { start_time_unix_nano = 2 (fixed64); time_unix_nano = 3; as_double = 4; exemplars = 5;
 *  as_int = 6 (sfixed64); attributes = 7; flags = 8 }. */
function readNumberPoint(r: ProtoReader, end: number, ctx: DecodeContext): RawNumberPoint {
  const p: RawNumberPoint = { attributes: Object.create(null), startTimeUs: 0, timeUs: 0, value: undefined, flags: 0 };
  while (r.pos < end) {
    const tag = r.tag(end);
    switch (tag >>> 3) {
      case 2:
        r.expect(tag, WIRE_I64, "NumberDataPoint.start_time_unix_nano");
        p.startTimeUs = nanosToMicros(r, end);
        break;
      case 3:
        r.expect(tag, WIRE_I64, "NumberDataPoint.time_unix_nano");
        p.timeUs = nanosToMicros(r, end);
        break;
      case 4:
        r.expect(tag, WIRE_I64, "NumberDataPoint.as_double");
        p.value = r.double(end);
        break;
      case 6:
        r.expect(tag, WIRE_I64, "NumberDataPoint.as_int");
        r.fixed64(end);
        p.value = signed64(r.lo, r.hi);
        break;
      case 7:
        readLabel(r, tag, end, "NumberDataPoint.attributes", p.attributes, ctx);
        break;
      case 8:
        r.expect(tag, WIRE_VARINT, "NumberDataPoint.flags");
        p.flags = r.uint32(end);
        break;
      default:
        r.skip(tag, end);
    }
  }
  return p;
}

/** Histogram { data_points = 1; aggregation_temporality = 2 }. */
function readHistogram(r: ProtoReader, end: number, ctx: DecodeContext): RawMetricData {
  const points: RawHistogramPoint[] = [];
  let temporality = 0;
  while (r.pos < end) {
    const tag = r.tag(end);
    const field = tag >>> 3;
    if (field === 1) {
      r.expect(tag, WIRE_LEN, "Histogram.data_points");
      points.push(readHistogramPoint(r, r.lengthEnd(end), ctx));
    } else if (field === 2) {
      r.expect(tag, WIRE_VARINT, "Histogram.aggregation_temporality");
      temporality = r.uint32(end);
    } else {
      r.skip(tag, end);
    }
  }
  return { type: "histogram", temporality, points };
}

/** HistogramDataPoint { start_time_unix_nano = 2; time_unix_nano = 3; count = 4 (fixed64); sum = 5 (optional
 *  double); bucket_counts = 6 (repeated fixed64); explicit_bounds = 7 (repeated double); exemplars = 8;
 *  attributes = 9; flags = 10; min = 11; max = 12 }. */
function readHistogramPoint(r: ProtoReader, end: number, ctx: DecodeContext): RawHistogramPoint {
  const p: RawHistogramPoint = {
    attributes: Object.create(null),
    startTimeUs: 0,
    timeUs: 0,
    count: 0,
    sum: undefined,
    bounds: [],
    bucketCounts: [],
    flags: 0,
  };
  while (r.pos < end) {
    const tag = r.tag(end);
    switch (tag >>> 3) {
      case 2:
        r.expect(tag, WIRE_I64, "HistogramDataPoint.start_time_unix_nano");
        p.startTimeUs = nanosToMicros(r, end);
        break;
      case 3:
        r.expect(tag, WIRE_I64, "HistogramDataPoint.time_unix_nano");
        p.timeUs = nanosToMicros(r, end);
        break;
      case 4:
        r.expect(tag, WIRE_I64, "HistogramDataPoint.count");
        p.count = unsigned64(r, end);
        break;
      case 5:
        r.expect(tag, WIRE_I64, "HistogramDataPoint.sum");
        p.sum = r.double(end);
        break;
      case 6:
        readRepeated64(r, tag, end, "HistogramDataPoint.bucket_counts", p.bucketCounts, unsigned64);
        break;
      case 7:
        readRepeated64(r, tag, end, "HistogramDataPoint.explicit_bounds", p.bounds, (rr, e) => rr.double(e));
        break;
      case 9:
        readLabel(r, tag, end, "HistogramDataPoint.attributes", p.attributes, ctx);
        break;
      case 10:
        r.expect(tag, WIRE_VARINT, "HistogramDataPoint.flags");
        p.flags = r.uint32(end);
        break;
      default:
        r.skip(tag, end);
    }
  }
  return p;
}

/**
 * A repeated 8-byte scalar, packed (wire type LEN, proto3's default) or one element per tag (I64): parsers must
 * accept both ("Packed Repeated Fields" in the protobuf encoding guide).
 */
function readRepeated64(
  r: ProtoReader,
  tag: number,
  end: number,
  what: string,
  into: number[],
  read: (r: ProtoReader, end: number) => number,
): void {
  if ((tag & 7) === WIRE_I64) {
    into.push(read(r, end));
    return;
  }
  r.expect(tag, WIRE_LEN, what);
  const packedEnd = r.lengthEnd(end);
  if ((packedEnd - r.pos) % 8 !== 0) throw new WireError("invalid_field", `${what}: packed length not a multiple of 8`);
  while (r.pos < packedEnd) into.push(read(r, packedEnd));
}

const TWO_32 = 4294967296;

/** fixed64 as a number, exact up to 2^53 (counts). */
function unsigned64(r: ProtoReader, end: number): number {
  r.fixed64(end);
  return r.hi * TWO_32 + r.lo;
}

/** int64 two's-complement halves → number, exact within ±2^53. */
function signed64(lo: number, hi: number): number {
  return hi >= 0x80000000 ? (hi - TWO_32) * TWO_32 + lo : hi * TWO_32 + lo;
}

/**
 * A fixed64 nanosecond timestamp → whole µs, exactly and without BigInt: ns = hi·2^32 + lo =
 * hi·4294967·1000 + (hi·296 + lo), so µs = hi·4294967 + ⌊(hi·296 + lo) / 1000⌋, every term below 2^53.
 */
function nanosToMicros(r: ProtoReader, end: number): number {
  r.fixed64(end);
  return r.hi * 4294967 + Math.floor((r.hi * 296 + r.lo) / 1000);
}
