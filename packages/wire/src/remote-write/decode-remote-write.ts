import { WireError } from "../errors.js";
import { ProtoReader, WIRE_I64, WIRE_LEN, WIRE_VARINT } from "../otlp/protobuf-reader.js";
import { LabelSetBuilder } from "../prometheus/label-set-builder.js";
import { LabelStringCache } from "./label-string-cache.js";
import { snappyDecompress } from "./snappy.js";

/**
 * Prometheus remote-write 1.0: an HTTP body that is a snappy block wrapping a protobuf `prometheus.WriteRequest`
 * (prometheus/prometheus `prompb/remote.proto`, `prompb/types.proto`):
 *
 *   WriteRequest { repeated TimeSeries timeseries = 1; repeated MetricMetadata metadata = 3; }
 *   TimeSeries   { repeated Label labels = 1; repeated Sample samples = 2;
 *                  repeated Exemplar exemplars = 3; repeated Histogram histograms = 4; }
 *   Label        { string name = 1; string value = 2; }
 *   Sample       { double value = 1; int64 timestamp = 2; }   // timestamp: ms since epoch
 *
 * Metadata, exemplars and native histograms are skipped: Istio's histograms arrive as classic `_bucket{le}` series.
 */
export interface RemoteWriteSample {
  value: number;
  timestampMs: number;
  /**
   * Present (true) when the value is Prometheus' staleness marker, the NaN with bits 0x7ff0000000000002 that
   * Prometheus writes when a series disappears from its target. Flagged here because a JS number cannot be relied
   * on to keep a NaN payload, and the counter logic must end the series rather than read a NaN sample.
   */
  stale?: true;
}

export interface RemoteWriteSeries {
  /**
   * Includes `__name__`. Empty-valued labels are left out (Prometheus never sends them; other senders might, and
   * "" means "no label" in Prometheus' data model). A null-prototype object, so `__proto__` is kept as data.
   */
  labels: Record<string, string>;
  samples: RemoteWriteSample[];
}

export interface RemoteWriteRequest {
  timeseries: RemoteWriteSeries[];
}

export interface DecodeRemoteWriteOptions {
  /** Refuse bodies whose snappy preamble declares more than this many bytes. Default 32 MiB. */
  maxDecompressedBytes: number;
}

export const DEFAULT_MAX_DECOMPRESSED_BYTES = 32 * 1024 * 1024;

export function decodeRemoteWrite(body: Uint8Array, opts?: DecodeRemoteWriteOptions): RemoteWriteRequest {
  const limit = opts?.maxDecompressedBytes ?? DEFAULT_MAX_DECOMPRESSED_BYTES;
  return decodeWriteRequest(snappyDecompress(body, limit));
}

/** The protobuf half alone, for callers that received an uncompressed WriteRequest. */
export function decodeWriteRequest(bytes: Uint8Array): RemoteWriteRequest {
  const r = new ProtoReader(bytes);
  const end = bytes.length;
  const strings: Strings = {
    names: new LabelStringCache(bytes),
    values: new LabelStringCache(bytes),
    builder: new LabelSetBuilder(),
  };
  const timeseries: RemoteWriteSeries[] = [];
  while (r.pos < end) {
    const tag = r.tag(end);
    if (tag >>> 3 === 1) {
      r.expect(tag, WIRE_LEN, "WriteRequest.timeseries");
      timeseries.push(readTimeSeries(r, r.lengthEnd(end), strings));
    } else {
      r.skip(tag, end);
    }
  }
  return { timeseries };
}

/** Per-request state for building label sets: string caches and the object builder. */
interface Strings {
  names: LabelStringCache;
  values: LabelStringCache;
  builder: LabelSetBuilder;
}

function readTimeSeries(r: ProtoReader, end: number, strings: Strings): RemoteWriteSeries {
  strings.builder.reset();
  const samples: RemoteWriteSample[] = [];
  let index = 0;
  while (r.pos < end) {
    const tag = r.tag(end);
    const field = tag >>> 3;
    if (field === 1) {
      r.expect(tag, WIRE_LEN, "TimeSeries.labels");
      readLabel(r, r.lengthEnd(end), strings, index++);
    } else if (field === 2) {
      r.expect(tag, WIRE_LEN, "TimeSeries.samples");
      samples.push(readSample(r, r.lengthEnd(end)));
    } else {
      r.skip(tag, end);
    }
  }
  return { labels: strings.builder.build(duplicateLabel), samples };
}

// Prometheus rejects duplicate label names in a series (`labels.Labels` must be unique); so do we.
function duplicateLabel(name: string): never {
  throw new WireError("invalid_field", `duplicate label name "${name.slice(0, 128)}" in one time series`);
}

function readLabel(r: ProtoReader, end: number, strings: Strings, index: number): void {
  const at = r.pos;
  let name = "";
  let value = "";
  while (r.pos < end) {
    const tag = r.tag(end);
    const field = tag >>> 3;
    if (field === 1) {
      r.expect(tag, WIRE_LEN, "Label.name");
      const nameEnd = r.lengthEnd(end);
      name = strings.names.get(index, r.pos, nameEnd);
      r.pos = nameEnd;
    } else if (field === 2) {
      r.expect(tag, WIRE_LEN, "Label.value");
      const valueEnd = r.lengthEnd(end);
      value = strings.values.get(index, r.pos, valueEnd);
      r.pos = valueEnd;
    } else {
      r.skip(tag, end);
    }
  }
  if (name === "") throw new WireError("invalid_field", `Label with an empty name at offset ${at}`);
  if (value !== "") strings.builder.add(name, value);
}

function readSample(r: ProtoReader, end: number): RemoteWriteSample {
  let value = 0;
  let timestampMs = 0;
  let stale = false;
  while (r.pos < end) {
    const tag = r.tag(end);
    const field = tag >>> 3;
    if (field === 1) {
      r.expect(tag, WIRE_I64, "Sample.value");
      stale = isStaleNaN(r.buf, r.pos, end);
      value = r.double(end);
    } else if (field === 2) {
      r.expect(tag, WIRE_VARINT, "Sample.timestamp");
      r.varint64(end);
      timestampMs = int64ToNumber(r.lo, r.hi);
    } else {
      r.skip(tag, end);
    }
  }
  return stale ? { value, timestampMs, stale: true } : { value, timestampMs };
}

/** Prometheus' `value.StaleNaN` is the float64 with bits 0x7ff0000000000002; on the wire (little-endian): */
const STALE_NAN_BYTES = [0x02, 0, 0, 0, 0, 0, 0xf0, 0x7f];

function isStaleNaN(buf: Uint8Array, pos: number, end: number): boolean {
  if (end - pos < 8) return false;
  for (let k = 0; k < 8; k++) if (buf[pos + k] !== STALE_NAN_BYTES[k]) return false;
  return true;
}

/** int64 two's-complement halves → number; exact within ±2^53, which covers every millisecond timestamp. */
function int64ToNumber(lo: number, hi: number): number {
  return hi >= 0x80000000 ? (hi - 4294967296) * 4294967296 + lo : hi * 4294967296 + lo;
}
