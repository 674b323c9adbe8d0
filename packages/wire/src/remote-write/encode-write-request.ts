import { encodeUtf8 } from "../encoding.js";
import { snappyCompress } from "./snappy-compress.js";

/**
 * Encodes Prometheus remote-write 1.0 bodies: a snappy block around a protobuf `prometheus.WriteRequest`
 * (prometheus/prometheus `prompb/remote.proto`, `prompb/types.proto`), the inverse of `decodeRemoteWrite`:
 *
 *   WriteRequest { repeated TimeSeries timeseries = 1; }
 *   TimeSeries   { repeated Label labels = 1; repeated Sample samples = 2; }
 *   Label        { string name = 1; string value = 2; }
 *   Sample       { double value = 1; int64 timestamp = 2; }   // timestamp: ms since the epoch
 *
 * Built for senders that push the same series every round (~130,000 per round in the graph benchmark): a series'
 * labels are encoded once (`encodeLabels`) and each round only appends the sample, into one growing buffer.
 */

const TAG_LABEL = (1 << 3) | 2; // Label / TimeSeries.labels / WriteRequest.timeseries: field 1, length-delimited
const TAG_LABEL_VALUE = (2 << 3) | 2;
const TAG_SAMPLE = (2 << 3) | 2;
const TAG_SAMPLE_VALUE = (1 << 3) | 1; // field 1, 64-bit
const TAG_SAMPLE_TIMESTAMP = (2 << 3) | 0; // field 2, varint

function varintSize(n: number): number {
  let size = 1;
  // Division, not shifts: millisecond timestamps exceed 32 bits.
  for (let v = n; v >= 0x80; v = Math.floor(v / 0x80)) size++;
  return size;
}

/** An append-only byte buffer that doubles when full. */
class ProtoWriter {
  buf: Uint8Array;
  view: DataView;
  pos = 0;

  constructor(capacity: number) {
    this.buf = new Uint8Array(capacity);
    this.view = new DataView(this.buf.buffer);
  }

  reserve(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.pos + n));
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  /** The caller has reserved the space. */
  varint(n: number): void {
    let v = n;
    while (v >= 0x80) {
      this.buf[this.pos++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.pos++] = v;
  }

  bytes(b: Uint8Array): void {
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }
}

function checkTimestamp(timestampMs: number): void {
  // int64 on the wire; negative values would need ten-byte two's-complement varints and mean nothing here.
  if (!Number.isSafeInteger(timestampMs) || timestampMs < 0) {
    throw new RangeError(`remote-write timestamp must be a non-negative integer of ms, got ${timestampMs}`);
  }
}

/** UTF-8 length of `s`, and whether it is plain ASCII (then each code unit is one byte). */
function utf8Length(s: string): number {
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) >= 0x80) return encodeUtf8(s).length;
  }
  return s.length;
}

/** Writes a string of `byteLength` UTF-8 bytes; ASCII is copied code unit by code unit, which beats a native call. */
function writeString(w: ProtoWriter, s: string, byteLength: number): void {
  if (byteLength === s.length) {
    for (let i = 0; i < s.length; i++) w.buf[w.pos++] = s.charCodeAt(i);
  } else {
    w.bytes(encodeUtf8(s));
  }
}

function writeLabel(w: ProtoWriter, name: string, value: string): void {
  const n = utf8Length(name);
  const v = utf8Length(value);
  const inner = 1 + varintSize(n) + n + 1 + varintSize(v) + v;
  w.reserve(1 + varintSize(inner) + inner);
  w.buf[w.pos++] = TAG_LABEL;
  w.varint(inner);
  w.buf[w.pos++] = TAG_LABEL;
  w.varint(n);
  writeString(w, name, n);
  w.buf[w.pos++] = TAG_LABEL_VALUE;
  w.varint(v);
  writeString(w, value, v);
}

/**
 * The encoded `TimeSeries.labels` fields for these (name, value) pairs, in the order given. Pairs with an empty
 * value are left out: "" means "no label" in Prometheus' data model and Prometheus never sends them. Remote-write
 * requires each series' labels sorted by name; callers that assemble a series from several pieces keep that order.
 */
export function encodeLabelPairs(pairs: Iterable<readonly [string, string]>): Uint8Array {
  const w = new ProtoWriter(256);
  for (const [name, value] of pairs) {
    if (value !== "") writeLabel(w, name, value);
  }
  return w.buf.slice(0, w.pos);
}

/** The encoded `labels` fields of one TimeSeries, sorted by name (code-unit order, as Go sorts strings). */
export function encodeLabels(labels: Readonly<Record<string, string>>): Uint8Array {
  const w = new ProtoWriter(1024);
  for (const name of Object.keys(labels).sort()) {
    const value = labels[name];
    if (value !== undefined && value !== "") writeLabel(w, name, value);
  }
  return w.buf.slice(0, w.pos);
}

/** Accumulates series (pre-encoded labels + one sample each) into one WriteRequest. */
export class WriteRequestBuilder {
  private readonly w: ProtoWriter;
  private count = 0;

  constructor(initialCapacity = 64 * 1024) {
    this.w = new ProtoWriter(initialCapacity);
  }

  get seriesCount(): number {
    return this.count;
  }

  /** Uncompressed size so far, to cut requests at a byte budget. */
  get byteLength(): number {
    return this.w.pos;
  }

  /**
   * Appends one TimeSeries. `labels` is one `encodeLabels` result or several `encodeLabelPairs` pieces that
   * together list the labels sorted by name (so a cached prefix and suffix can surround a per-series label).
   */
  addSeries(labels: Uint8Array | readonly Uint8Array[], value: number, timestampMs: number): void {
    checkTimestamp(timestampMs);
    let labelBytes = 0;
    if (labels instanceof Uint8Array) labelBytes = labels.length;
    else for (const piece of labels) labelBytes += piece.length;
    const sampleSize = 1 + 8 + 1 + varintSize(timestampMs);
    const seriesSize = labelBytes + 1 + varintSize(sampleSize) + sampleSize;
    const w = this.w;
    w.reserve(1 + varintSize(seriesSize) + seriesSize);
    w.buf[w.pos++] = TAG_LABEL;
    w.varint(seriesSize);
    if (labels instanceof Uint8Array) w.bytes(labels);
    else for (const piece of labels) w.bytes(piece);
    w.buf[w.pos++] = TAG_SAMPLE;
    w.varint(sampleSize);
    w.buf[w.pos++] = TAG_SAMPLE_VALUE;
    w.view.setFloat64(w.pos, value, true);
    w.pos += 8;
    w.buf[w.pos++] = TAG_SAMPLE_TIMESTAMP;
    w.varint(timestampMs);
    this.count++;
  }

  /** The uncompressed WriteRequest so far (a view: valid until the next call). */
  protobuf(): Uint8Array {
    return this.w.buf.subarray(0, this.w.pos);
  }

  /** The snappy-compressed body (`Content-Encoding: snappy`); the builder is empty afterwards. */
  finish(): Uint8Array {
    const body = snappyCompress(this.protobuf());
    this.w.pos = 0;
    this.count = 0;
    return body;
  }
}

/** One snappy-compressed WriteRequest: series `labels[i]` with one sample `values[i]` at `timestampMs`. */
export function writeRequestBody(
  labels: readonly Uint8Array[],
  values: readonly number[],
  timestampMs: number,
): Uint8Array {
  let size = 0;
  for (const l of labels) size += l.length + 32;
  const builder = new WriteRequestBuilder(size);
  labels.forEach((encodedLabels, i) => {
    builder.addSeries(encodedLabels, values[i] ?? 0, timestampMs);
  });
  return builder.finish();
}
