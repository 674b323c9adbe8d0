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
   * Empty when `labelsSkipped` (the caller said it knows the series).
   */
  labels: Record<string, string>;
  samples: RemoteWriteSample[];
  /**
   * A 64-bit hash (two unsigned 32-bit halves) of the series' encoded label fields, bytes as sent. A sender
   * encodes one label set the same way every time (remote-write sorts labels by name), so a receiver can
   * recognise a series it has seen by this hash without decoding its ~25 label strings again. Two different
   * label sets share a hash with probability 2^-64 per pair (≈3·10^-8 across a million live series).
   */
  labelsHashHi: number;
  labelsHashLo: number;
  /** Set when `isKnownSeries` answered true: `labels` was not decoded. */
  labelsSkipped?: true;
}

export interface RemoteWriteRequest {
  timeseries: RemoteWriteSeries[];
}

export interface DecodeRemoteWriteOptions {
  /** Refuse bodies whose snappy preamble declares more than this many bytes. Default 32 MiB. */
  maxDecompressedBytes: number;
  /**
   * Asked once per series with its label hash (see RemoteWriteSeries); true means the caller already holds this
   * label set, decoded and checked from an earlier request, so it is not decoded again. Label checks (empty or
   * duplicate names) ran when the caller first saw it.
   */
  isKnownSeries?: (hashHi: number, hashLo: number) => boolean;
}

export const DEFAULT_MAX_DECOMPRESSED_BYTES = 32 * 1024 * 1024;

export function decodeRemoteWrite(body: Uint8Array, opts?: DecodeRemoteWriteOptions): RemoteWriteRequest {
  const limit = opts?.maxDecompressedBytes ?? DEFAULT_MAX_DECOMPRESSED_BYTES;
  return decodeWriteRequest(snappyDecompress(body, limit), opts?.isKnownSeries);
}

/** The protobuf half alone, for callers that received an uncompressed WriteRequest. */
export function decodeWriteRequest(
  bytes: Uint8Array,
  isKnownSeries?: (hashHi: number, hashLo: number) => boolean,
): RemoteWriteRequest {
  const r = new ProtoReader(bytes);
  const end = bytes.length;
  const strings: Strings = {
    names: new LabelStringCache(bytes),
    values: new LabelStringCache(bytes),
    builder: new LabelSetBuilder(),
    isKnownSeries,
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
  isKnownSeries: ((hashHi: number, hashLo: number) => boolean) | undefined;
}

/** Shared by every series whose labels were skipped; frozen so nobody mistakes it for a real label set. */
const NO_LABELS: Record<string, string> = Object.freeze(Object.create(null));

function readTimeSeries(r: ProtoReader, end: number, strings: Strings): RemoteWriteSeries {
  const samples: RemoteWriteSample[] = [];
  const start = r.pos;
  // First pass: samples are read, label fields are only hashed (their bytes, tag and length included).
  hashState.h1 = 0x9747b28c;
  hashState.h2 = 0x85ebca6b;
  let labelCount = 0;
  while (r.pos < end) {
    const at = r.pos;
    const tag = r.tag(end);
    const field = tag >>> 3;
    if (field === 1) {
      r.expect(tag, WIRE_LEN, "TimeSeries.labels");
      const labelEnd = r.lengthEnd(end);
      hashBytes(r.buf, at, labelEnd);
      labelCount++;
      r.pos = labelEnd;
    } else if (field === 2) {
      r.expect(tag, WIRE_LEN, "TimeSeries.samples");
      samples.push(readSample(r, r.lengthEnd(end)));
    } else {
      r.skip(tag, end);
    }
  }
  const hi = finalMix(hashState.h1 ^ labelCount) >>> 0;
  const lo = finalMix(hashState.h2 ^ Math.imul(labelCount, 0x27d4eb2d)) >>> 0;
  if (strings.isKnownSeries?.(hi, lo) === true) {
    return { labels: NO_LABELS, samples, labelsHashHi: hi, labelsHashLo: lo, labelsSkipped: true };
  }
  // Second pass over the same bytes: decode the labels.
  const endOfSeries = r.pos;
  r.pos = start;
  strings.builder.reset();
  let index = 0;
  while (r.pos < endOfSeries) {
    const tag = r.tag(endOfSeries);
    if (tag >>> 3 === 1) readLabel(r, r.lengthEnd(endOfSeries), strings, index++);
    else r.skip(tag, endOfSeries);
  }
  return { labels: strings.builder.build(duplicateLabel), samples, labelsHashHi: hi, labelsHashLo: lo };
}

/**
 * Two independent 32-bit multiply-rotate hashes (murmur3-style rounds) over the bytes, four at a time; together
 * they give the 64-bit label-set identity. The running state lives in `hashState` (no tuple per label field).
 */
const hashState = { h1: 0, h2: 0 };

function hashBytes(buf: Uint8Array, from: number, to: number): void {
  let h1 = hashState.h1;
  let h2 = hashState.h2;
  let i = from;
  for (; i + 4 <= to; i += 4) {
    const w = (buf[i] ?? 0) | ((buf[i + 1] ?? 0) << 8) | ((buf[i + 2] ?? 0) << 16) | ((buf[i + 3] ?? 0) << 24);
    let k = Math.imul(w, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    h1 ^= Math.imul(k, 0x1b873593);
    h1 = Math.imul((h1 << 13) | (h1 >>> 19), 5) + 0xe6546b64;
    h2 = Math.imul(h2 ^ w, 0x01000193);
    h2 = (h2 << 11) | (h2 >>> 21);
  }
  let tail = to - from;
  for (; i < to; i++) tail = Math.imul(tail ^ (buf[i] ?? 0), 0x01000193);
  h1 ^= tail;
  h2 = Math.imul(h2 ^ tail ^ (to - from), 0x85ebca6b);
  hashState.h1 = h1;
  hashState.h2 = h2;
}

function finalMix(h: number): number {
  let x = h;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  return x ^ (x >>> 16);
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
