import { WireError } from "../errors.js";
import { ProtoReader, WIRE_I64, WIRE_LEN, WIRE_VARINT } from "../otlp/protobuf-reader.js";
import { LabelSetBuilder } from "../prometheus/label-set-builder.js";
import { LabelStringCache } from "./label-string-cache.js";

/**
 * A remote-write WriteRequest (see decode-remote-write.ts for the schema) read into flat columns: per series its
 * label hash and where its bytes are, per sample its value, timestamp and staleness flag. No object per series
 * or sample and no label string is made here, so the scan can run on a worker thread and its result cross to
 * the main thread as a handful of transferred buffers; labels are decoded afterwards, on the thread that keeps
 * them and only for the series that thread does not know yet (`SeriesLabelReader`).
 *
 * The scan checks the whole protobuf structure except the inside of Label messages, which the label reader
 * checks (empty names, duplicates, wrong wire types) when a series' labels are decoded.
 */
export interface WriteRequestColumns {
  /** The (decompressed) WriteRequest the columns point into. */
  bytes: Uint8Array;
  seriesCount: number;
  sampleCount: number;
  /**
   * Per series: a 64-bit hash (two unsigned halves) of its encoded label fields, bytes as sent. A sender encodes
   * one label set the same way every time (remote-write sorts labels by name), so a receiver recognises a series
   * it has seen without decoding its labels again. Two label sets share a hash with probability 2^-64 per pair.
   */
  hashHi: Uint32Array;
  hashLo: Uint32Array;
  /** Per series: its TimeSeries message payload is bytes[seriesStart, seriesEnd). */
  seriesStart: Uint32Array;
  seriesEnd: Uint32Array;
  /** Series i owns samples [firstSample[i], firstSample[i + 1]); seriesCount + 1 entries. */
  firstSample: Uint32Array;
  values: Float64Array;
  /** Milliseconds since the epoch; exact (int64 within ±2^53, which covers every millisecond timestamp). */
  timestampsMs: Float64Array;
  /**
   * 1 where the sample is Prometheus' staleness marker (the NaN with bits 0x7ff0000000000002). Flagged here
   * because a NaN's payload cannot be relied on to survive as a JS number.
   */
  stale: Uint8Array;
}

/** Grows typed-array columns by doubling; the scan does not know the counts before it has read the message. */
class Growing {
  seriesCap: number;
  sampleCap: number;
  hashHi: Uint32Array;
  hashLo: Uint32Array;
  seriesStart: Uint32Array;
  seriesEnd: Uint32Array;
  firstSample: Uint32Array;
  values: Float64Array;
  timestampsMs: Float64Array;
  stale: Uint8Array;

  constructor(byteLength: number) {
    // A real series is ≥ 40 bytes (a name label and a sample); start near that and double when wrong.
    this.seriesCap = Math.max(16, Math.ceil(byteLength / 256));
    this.sampleCap = this.seriesCap;
    this.hashHi = new Uint32Array(this.seriesCap);
    this.hashLo = new Uint32Array(this.seriesCap);
    this.seriesStart = new Uint32Array(this.seriesCap);
    this.seriesEnd = new Uint32Array(this.seriesCap);
    this.firstSample = new Uint32Array(this.seriesCap + 1);
    this.values = new Float64Array(this.sampleCap);
    this.timestampsMs = new Float64Array(this.sampleCap);
    this.stale = new Uint8Array(this.sampleCap);
  }

  growSeries(): void {
    this.seriesCap *= 2;
    this.hashHi = growU32(this.hashHi, this.seriesCap);
    this.hashLo = growU32(this.hashLo, this.seriesCap);
    this.seriesStart = growU32(this.seriesStart, this.seriesCap);
    this.seriesEnd = growU32(this.seriesEnd, this.seriesCap);
    this.firstSample = growU32(this.firstSample, this.seriesCap + 1);
  }

  growSamples(): void {
    this.sampleCap *= 2;
    const values = new Float64Array(this.sampleCap);
    values.set(this.values);
    this.values = values;
    const timestamps = new Float64Array(this.sampleCap);
    timestamps.set(this.timestampsMs);
    this.timestampsMs = timestamps;
    const stale = new Uint8Array(this.sampleCap);
    stale.set(this.stale);
    this.stale = stale;
  }
}

function growU32(a: Uint32Array, length: number): Uint32Array {
  const b = new Uint32Array(length);
  b.set(a);
  return b;
}

/** Reads a WriteRequest into columns; throws WireError (naming the field and offset) on malformed protobuf. */
export function scanWriteRequest(bytes: Uint8Array): WriteRequestColumns {
  const r = new ProtoReader(bytes);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = bytes.length;
  const g = new Growing(end);
  let series = 0;
  let samples = 0;
  while (r.pos < end) {
    const tag = r.tag(end);
    if (tag >>> 3 !== 1) {
      r.skip(tag, end);
      continue;
    }
    r.expect(tag, WIRE_LEN, "WriteRequest.timeseries");
    const seriesEnd = r.lengthEnd(end);
    if (series === g.seriesCap) g.growSeries();
    g.seriesStart[series] = r.pos;
    g.seriesEnd[series] = seriesEnd;
    g.firstSample[series] = samples;
    samples = scanTimeSeries(r, view, seriesEnd, g, samples);
    g.hashHi[series] = hashState.hi;
    g.hashLo[series] = hashState.lo;
    series++;
  }
  g.firstSample[series] = samples;
  return {
    bytes,
    seriesCount: series,
    sampleCount: samples,
    hashHi: g.hashHi.subarray(0, series),
    hashLo: g.hashLo.subarray(0, series),
    seriesStart: g.seriesStart.subarray(0, series),
    seriesEnd: g.seriesEnd.subarray(0, series),
    firstSample: g.firstSample.subarray(0, series + 1),
    values: g.values.subarray(0, samples),
    timestampsMs: g.timestampsMs.subarray(0, samples),
    stale: g.stale.subarray(0, samples),
  };
}

/**
 * One TimeSeries: samples go into the columns, label fields are only hashed (their bytes, tag and length
 * included); the hash lands in `hashState.hi/lo`. Returns the new sample count.
 *
 * Label fields that follow one another (all of them, as Prometheus writes a series) are hashed as one run of
 * bytes: one pass over ~1 KB per Istio series rather than a call with its own tail per label.
 */
function scanTimeSeries(r: ProtoReader, view: DataView, end: number, g: Growing, samplesBefore: number): number {
  const buf = r.buf;
  let samples = samplesBefore;
  hashState.h1 = 0x9747b28c;
  hashState.h2 = 0x85ebca6b;
  let labelCount = 0;
  let runStart = -1;
  let runEnd = -1;
  while (r.pos < end) {
    const at = r.pos;
    // The usual label field, read here: tag 0x0a (field 1, LEN) and a one-byte length inside the message. Anything
    // else (and every malformed case, so its error reads the same) goes through the reader below.
    if (buf[at] === 0x0a && at + 1 < end) {
      const labelEnd = at + 2 + (buf[at + 1] as number);
      if ((buf[at + 1] as number) < 0x80 && labelEnd <= end) {
        if (runStart < 0) runStart = at;
        runEnd = labelEnd;
        labelCount++;
        r.pos = labelEnd;
        continue;
      }
    }
    const tag = r.tag(end);
    const field = tag >>> 3;
    if (field === 1) {
      r.expect(tag, WIRE_LEN, "TimeSeries.labels");
      const labelEnd = r.lengthEnd(end);
      if (runStart < 0) runStart = at;
      runEnd = labelEnd;
      labelCount++;
      r.pos = labelEnd;
      continue;
    }
    if (runStart >= 0) {
      hashBytes(view, buf, runStart, runEnd);
      runStart = -1;
    }
    if (field === 2) {
      r.expect(tag, WIRE_LEN, "TimeSeries.samples");
      const sampleEnd = r.lengthEnd(end);
      if (samples === g.sampleCap) g.growSamples();
      readSample(r, sampleEnd, g, samples);
      samples++;
    } else {
      r.skip(tag, end);
    }
  }
  if (runStart >= 0) hashBytes(view, buf, runStart, runEnd);
  hashState.hi = finalMix(hashState.h1 ^ labelCount) >>> 0;
  hashState.lo = finalMix(hashState.h2 ^ Math.imul(labelCount, 0x27d4eb2d)) >>> 0;
  return samples;
}

function readSample(r: ProtoReader, end: number, g: Growing, i: number): void {
  let value = 0;
  let timestampMs = 0;
  let stale = 0;
  while (r.pos < end) {
    const tag = r.tag(end);
    const field = tag >>> 3;
    if (field === 1) {
      r.expect(tag, WIRE_I64, "Sample.value");
      stale = isStaleNaN(r.buf, r.pos, end) ? 1 : 0;
      value = r.double(end);
    } else if (field === 2) {
      r.expect(tag, WIRE_VARINT, "Sample.timestamp");
      r.varint64(end);
      timestampMs = int64ToNumber(r.lo, r.hi);
    } else {
      r.skip(tag, end);
    }
  }
  g.values[i] = value;
  g.timestampsMs[i] = timestampMs;
  g.stale[i] = stale;
}

/**
 * Two 32-bit multiply-rotate hashes over the bytes, four at a time; together they give the 64-bit label-set
 * identity. Each lane takes every word, and each step is a bijection of the lane for a given word and of the word
 * for a given lane, so inputs of one length that differ in a single word never collide; the lanes differ in how
 * they take the word (xor / add), their rotations and multipliers, so that a pair colliding in one is no more
 * likely to collide in the other. The words are read through a DataView (one load each), which with the short
 * rounds hashed a label set ~3x faster than four byte reads and murmur3's rounds (the scan's main cost).
 * The running state lives here (no tuple per label run).
 */
const hashState = { h1: 0, h2: 0, hi: 0, lo: 0 };

function hashBytes(view: DataView, buf: Uint8Array, from: number, to: number): void {
  let h1 = hashState.h1;
  let h2 = hashState.h2;
  let i = from;
  // `to` ≤ buf.length (checked by the caller against its message end), so the reads below are in bounds.
  for (; i + 4 <= to; i += 4) {
    const w = view.getInt32(i, true);
    h1 = Math.imul(((h1 << 5) | (h1 >>> 27)) ^ w, 0x9e3779b1);
    h2 = Math.imul(((h2 << 13) | (h2 >>> 19)) + w, 0x85ebca77);
  }
  let tail = to - from;
  for (; i < to; i++) tail = Math.imul(tail ^ (buf[i] as number), 0x01000193);
  h1 = Math.imul(h1 ^ tail, 0xcc9e2d51);
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

/**
 * Decodes the label sets of scanned series, one at a time, reusing strings between consecutive series of the
 * same request (LabelStringCache). One reader per WriteRequest.
 */
export class SeriesLabelReader {
  private readonly r: ProtoReader;
  private readonly names: LabelStringCache;
  private readonly values: LabelStringCache;
  private readonly builder = new LabelSetBuilder();
  /** `__name__` of the series being read, when `read` splits it off. */
  private metricName: string | undefined = undefined;
  /**
   * The Label message read last at each position of a series: where its bytes are and what they decoded to. The
   * series of a histogram (and of a family) repeat most labels from one series to the next, so most Labels are
   * one byte compare away from a decoded pair (half the compares of the name and value caches alone, and no
   * protobuf read).
   */
  private readonly lastStart: number[] = [];
  private readonly lastEnd: number[] = [];
  private readonly lastName: string[] = [];
  private readonly lastValue: string[] = [];

  private readonly view: DataView;
  /** The name and le nameAndLe and nameAndLeLike have found so far. */
  private readonly found: { name: string | undefined; le: string | undefined } = { name: undefined, le: undefined };
  /** The identity of the series `nameAndLabels` reads. */
  private readonly identity = new SeriesIdentity();
  /** A second cursor, over the series `nameAndLeLike` compares with. */
  private readonly likeReader: ProtoReader;

  constructor(private readonly columns: WriteRequestColumns) {
    this.r = new ProtoReader(columns.bytes);
    this.likeReader = new ProtoReader(columns.bytes);
    this.view = new DataView(columns.bytes.buffer, columns.bytes.byteOffset, columns.bytes.byteLength);
    this.names = new LabelStringCache(columns.bytes);
    this.values = new LabelStringCache(columns.bytes);
  }

  /**
   * The labels of series i, `__name__` included, empty-valued ones left out (Prometheus never sends them; other
   * senders might, and "" means "no label" in Prometheus' data model). A null-prototype object, so a label named
   * `__proto__` is kept as data. Throws WireError on an empty or duplicate label name or a malformed Label.
   */
  labels(i: number): Record<string, string> {
    this.read(i, false);
    return this.builder.build(duplicateLabel);
  }

  /**
   * The same with `__name__` apart: the metric name (undefined when the series has none) and the other labels,
   * built directly in the shape a metric store keys series by (no copy without `__name__` afterwards). `identity`
   * stands for the labels but `le` (see SeriesIdentity).
   */
  nameAndLabels(i: number): { name: string | undefined; labels: Record<string, string>; identity: string } {
    this.identity.reset();
    const name = this.read(i, true);
    return { name, labels: this.builder.build(duplicateLabel), identity: this.identity.text() };
  }

  /**
   * Series i's metric name and `le` label, when its other Label messages are byte for byte those of series `like`,
   * in the same order: the series of one histogram (its buckets, `_sum` and `_count`) come one after another and
   * differ only there, so the label set decoded for `like` stands for series i's apart from `le`, without decoding
   * it again. null when anything else differs, and whenever series i's name or `le` is not exactly one non-empty
   * label (the caller then decodes the series in full, which refuses what must be refused). `like` must be a
   * series whose labels decoded without error.
   */
  nameAndLeLike(i: number, like: number): { name: string; le: string | undefined } | null {
    const c = this.columns;
    const r = this.r;
    const other = this.likeReader;
    const end = c.seriesEnd[i] ?? 0;
    const likeEnd = c.seriesEnd[like] ?? 0;
    r.pos = c.seriesStart[i] ?? 0;
    other.pos = c.seriesStart[like] ?? 0;
    const found = this.found;
    found.name = undefined;
    found.le = undefined;
    const buf = c.bytes;
    let index = 0;
    for (;;) {
      // The next Label of series i other than __name__ and le, which are read on the way.
      let at = -1;
      let atEnd = -1;
      for (;;) {
        const labelEnd = nextLabelField(r, buf, end);
        if (labelEnd < 0) break;
        const start = labelField.start;
        const special = specialLabel(buf, r.pos, labelEnd);
        if (special === UNUSUAL_LABEL) return null;
        if (special === PLAIN_LABEL) {
          at = start;
          atEnd = labelEnd;
          r.pos = labelEnd;
          index++;
          break;
        }
        if (!this.takeNameOrLe(special, labelEnd, index++)) return null;
      }
      // The next Label of series `like` other than __name__ and le.
      let likeAt = -1;
      let likeAtEnd = -1;
      for (;;) {
        const labelEnd = nextLabelField(other, buf, likeEnd);
        if (labelEnd < 0) break;
        const start = labelField.start;
        const kind = specialLabel(buf, other.pos, labelEnd);
        other.pos = labelEnd;
        if (kind === UNUSUAL_LABEL) return null;
        if (kind !== PLAIN_LABEL) continue;
        likeAt = start;
        likeAtEnd = labelEnd;
        break;
      }
      if (at < 0 || likeAt < 0) {
        if (at >= 0 || likeAt >= 0) return null;
        break;
      }
      if (atEnd - at !== likeAtEnd - likeAt || !this.sameBytes(at, likeAt, atEnd - at)) return null;
    }
    return found.name === undefined ? null : { name: found.name, le: found.le };
  }

  /**
   * Series i's metric name and `le` label alone, for a series whose identity (identifySeries) is that of a series
   * decoded in full: its other labels are then that series' labels. null unless every Label field of series i is
   * laid out as Prometheus writes it and its name and `le` are each exactly one non-empty label (the caller then
   * decodes it some other way, which refuses what must be refused).
   */
  nameAndLe(i: number): { name: string; le: string | undefined } | null {
    const c = this.columns;
    const buf = c.bytes;
    const r = this.r;
    const end = c.seriesEnd[i] ?? 0;
    let p = c.seriesStart[i] ?? 0;
    const found = this.found;
    found.name = undefined;
    found.le = undefined;
    let index = 0;
    while (p < end) {
      if (buf[p] === 0x12) {
        const length = buf[p + 1] ?? 0x80;
        if (length >= 0x80) return null;
        p += 2 + length;
        continue;
      }
      const labelEnd = usualLabelEnd(buf, p, end);
      if (labelEnd < 0) return null;
      const special = specialLabel(buf, p + 2, labelEnd);
      if (special === UNUSUAL_LABEL) return null;
      if (special !== PLAIN_LABEL) {
        r.pos = p + 2;
        if (!this.takeNameOrLe(special, labelEnd, index)) return null;
      }
      index++;
      p = labelEnd;
    }
    return found.name === undefined ? null : { name: found.name, le: found.le };
  }

  /**
   * Reads the `__name__` or `le` Label (`special`) at r.pos..end, position `index` of its series, into `found`;
   * false when its value is empty or the series already had one.
   */
  private takeNameOrLe(special: number, end: number, index: number): boolean {
    this.readLabelMessage(end, index);
    const value = this.lastValue[index] ?? "";
    if (value === "") return false;
    const found = this.found;
    if (special === NAME_LABEL) {
      if (found.name !== undefined) return false;
      found.name = value;
    } else {
      if (found.le !== undefined) return false;
      found.le = value;
    }
    return true;
  }

  /** Fills the builder with series i's labels; with `splitName`, returns `__name__` instead of adding it. */
  private read(i: number, splitName: boolean): string | undefined {
    const r = this.r;
    const end = this.columns.seriesEnd[i] ?? 0;
    r.pos = this.columns.seriesStart[i] ?? 0;
    this.builder.reset();
    this.metricName = undefined;
    let index = 0;
    while (r.pos < end) {
      const tag = r.tag(end);
      if (tag >>> 3 === 1) this.readLabel(r.lengthEnd(end), index++, splitName);
      else r.skip(tag, end);
    }
    return this.metricName;
  }

  private readLabel(end: number, index: number, splitName: boolean): void {
    const r = this.r;
    const at = r.pos;
    let name = "";
    let value = "";
    if (this.sameAsLast(index, at, end)) {
      name = this.lastName[index] ?? "";
      value = this.lastValue[index] ?? "";
      r.pos = end;
    } else {
      this.readLabelMessage(end, index);
      name = this.lastName[index] ?? "";
      value = this.lastValue[index] ?? "";
    }
    if (name === "") throw new WireError("invalid_field", `Label with an empty name at offset ${at}`);
    if (value === "") return;
    if (splitName && name === "__name__") {
      if (this.metricName !== undefined) duplicateLabel(name);
      this.metricName = value;
    } else {
      this.builder.add(name, value);
      if (splitName && name !== "le") this.identity.add(this.view, this.columns.bytes, at, end);
    }
  }

  /** Whether bytes[at, end) equal the Label read last at this position. */
  private sameAsLast(index: number, at: number, end: number): boolean {
    const lastStart = this.lastStart[index];
    const lastEnd = this.lastEnd[index];
    const length = end - at;
    if (lastStart === undefined || lastEnd === undefined || lastEnd - lastStart !== length) return false;
    return this.sameBytes(lastStart, at, length);
  }

  /** Whether the `length` bytes at a and at b are equal (four at a time, then the rest). */
  private sameBytes(a: number, b: number, length: number): boolean {
    const view = this.view;
    let k = 0;
    for (; k + 4 <= length; k += 4) if (view.getInt32(a + k, true) !== view.getInt32(b + k, true)) return false;
    const buf = this.columns.bytes;
    for (; k < length; k++) if (buf[a + k] !== buf[b + k]) return false;
    return true;
  }

  /** Decodes the Label message at r.pos..end into the position's last name and value. */
  private readLabelMessage(end: number, index: number): void {
    const r = this.r;
    const at = r.pos;
    let name = "";
    let value = "";
    while (r.pos < end) {
      const tag = r.tag(end);
      const field = tag >>> 3;
      if (field === 1) {
        r.expect(tag, WIRE_LEN, "Label.name");
        const nameEnd = r.lengthEnd(end);
        name = this.names.get(index, r.pos, nameEnd);
        r.pos = nameEnd;
      } else if (field === 2) {
        r.expect(tag, WIRE_LEN, "Label.value");
        const valueEnd = r.lengthEnd(end);
        value = this.values.get(index, r.pos, valueEnd);
        r.pos = valueEnd;
      } else {
        r.skip(tag, end);
      }
    }
    // Kept only once the whole message read without error: a cached pair stands for bytes that decode cleanly.
    this.lastStart[index] = at;
    this.lastEnd[index] = end;
    this.lastName[index] = name;
    this.lastValue[index] = value;
  }
}

/**
 * A short string that stands for a series' label set without `__name__`, `le` and empty-valued labels (the
 * identity of a series within its metric family, as a metric store keys its counters), made from the bytes of the
 * Label messages, so that no string of all the labels is built and hashed per series: each Label's bytes get a
 * 64-bit hash (hashBytes), and the hashes are added up, so the order the labels come in does not matter. Two
 * label sets share an identity with probability ~2^-64 per pair. A sender that encodes one label in two ways
 * (fields swapped, a longer varint) gives two identities; Prometheus writes a label one way.
 */
class SeriesIdentity {
  private sum1 = 0;
  private sum2 = 0;
  private count = 0;

  reset(): void {
    this.sum1 = 0;
    this.sum2 = 0;
    this.count = 0;
  }

  /** Adds the Label message in buf[at, end). */
  add(view: DataView, buf: Uint8Array, at: number, end: number): void {
    hashState.h1 = 0x3c6ef372;
    hashState.h2 = 0xa54ff53a;
    hashBytes(view, buf, at, end);
    this.sum1 = (this.sum1 + finalMix(hashState.h1)) | 0;
    this.sum2 = (this.sum2 + finalMix(hashState.h2 ^ 0x5bd1e995)) | 0;
    this.count++;
  }

  /** The 64-bit identity, into identityHash.hi/lo. */
  finish(): void {
    identityHash.hi = finalMix(this.sum1 ^ this.count) >>> 0;
    identityHash.lo = finalMix(this.sum2 + Math.imul(this.count, 0x27d4eb2d)) >>> 0;
  }

  text(): string {
    this.finish();
    return identityText(identityHash.hi, identityHash.lo);
  }
}

/** Where SeriesIdentity.finish leaves its hash (no object per series). */
const identityHash = { hi: 0, lo: 0 };

/** "#" and the 64 bits six at a time as the characters "0" to "o": one flat string from one call. */
export function identityText(hi: number, lo: number): string {
  return String.fromCharCode(
    0x23,
    0x30 + (hi & 63),
    0x30 + ((hi >>> 6) & 63),
    0x30 + ((hi >>> 12) & 63),
    0x30 + ((hi >>> 18) & 63),
    0x30 + ((hi >>> 24) & 63),
    0x30 + (((hi >>> 30) & 3) | ((lo & 15) << 2)),
    0x30 + ((lo >>> 4) & 63),
    0x30 + ((lo >>> 10) & 63),
    0x30 + ((lo >>> 16) & 63),
    0x30 + ((lo >>> 22) & 63),
    0x30 + ((lo >>> 28) & 15),
  );
}

/**
 * Per series, the identity `SeriesLabelReader.nameAndLabels` gives it (as its two hash halves), and where its
 * `__name__` value is, for the series with `select[i]` = 1 whose Label fields are all laid out as Prometheus writes
 * them, with non-empty names: `computed[i]` = 1 for those. Read from the bytes alone, without a string, so a
 * remote-write decode thread can do it for the series new to it; the thread that decodes labels then tells the
 * series of one histogram by their identity instead of comparing their bytes (SeriesLabelReader.nameAndLe).
 */
export interface SeriesIdentityColumns {
  computed: Uint8Array;
  hi: Uint32Array;
  lo: Uint32Array;
}

export function identifySeries(c: WriteRequestColumns, select: Uint8Array): SeriesIdentityColumns {
  const n = c.seriesCount;
  const out: SeriesIdentityColumns = { computed: new Uint8Array(n), hi: new Uint32Array(n), lo: new Uint32Array(n) };
  const buf = c.bytes;
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const identity = new SeriesIdentity();
  for (let i = 0; i < n; i++) {
    if (select[i] !== 1) continue;
    identity.reset();
    const end = c.seriesEnd[i] ?? 0;
    let usual = true;
    for (let p = c.seriesStart[i] ?? 0; p < end && usual; ) {
      const tag = buf[p];
      if (tag === 0x12) {
        // A Sample (value and timestamp: never 128 bytes or more): skipped.
        const length = buf[p + 1] ?? 0x80;
        usual = length < 0x80;
        p += 2 + length;
        continue;
      }
      const labelEnd = usualLabelEnd(buf, p, end);
      if (labelEnd < 0) {
        usual = false;
        break;
      }
      // The Label: 0x0a, name length, name, 0x12, value length, value (one-byte lengths), nothing else.
      const at = p + 2;
      const nameLength = buf[at + 1] ?? 0;
      const valueTag = at + 2 + nameLength;
      const valueLength = buf[valueTag + 1] ?? 0x80;
      if (
        buf[at] !== 0x0a ||
        nameLength === 0 ||
        nameLength >= 0x80 ||
        buf[valueTag] !== 0x12 ||
        valueLength >= 0x80 ||
        valueTag + 2 + valueLength !== labelEnd
      ) {
        usual = false;
        break;
      }
      p = labelEnd;
      if (valueLength === 0 || specialLabel(buf, at, labelEnd) !== PLAIN_LABEL) continue;
      identity.add(view, buf, at, labelEnd);
    }
    if (!usual) continue;
    identity.finish();
    out.computed[i] = 1;
    out.hi[i] = identityHash.hi;
    out.lo[i] = identityHash.lo;
  }
  return out;
}

/** Where the field nextLabelField found starts (no object per call). */
const labelField = { start: 0 };

/**
 * Moves `r` to the payload of the next TimeSeries.labels field before `end`, past any other field, and returns
 * where that field ends (its start in labelField.start); -1 when there is none. Throws WireError on a malformed one.
 */
function nextLabelField(r: ProtoReader, buf: Uint8Array, end: number): number {
  while (r.pos < end) {
    const start = r.pos;
    labelField.start = start;
    const labelEnd = usualLabelEnd(buf, start, end);
    if (labelEnd >= 0) {
      r.pos = start + 2;
      return labelEnd;
    }
    const tag = r.tag(end);
    if (tag >>> 3 === 1) {
      r.expect(tag, WIRE_LEN, "TimeSeries.labels");
      return r.lengthEnd(end);
    }
    r.skip(tag, end);
  }
  return -1;
}

/**
 * Where the TimeSeries.labels field at buf[at] ends when it is laid out as Prometheus writes it (tag 0x0a, a
 * one-byte length, inside `end`): what ProtoReader's tag and lengthEnd would find, without their varint reads.
 * -1 otherwise (the caller reads the field with ProtoReader, which also refuses what is malformed).
 */
function usualLabelEnd(buf: Uint8Array, at: number, end: number): number {
  if (buf[at] !== 0x0a || at + 1 >= end) return -1;
  const length = buf[at + 1] as number;
  const labelEnd = at + 2 + length;
  return length < 0x80 && labelEnd <= end ? labelEnd : -1;
}

/** What a Label message is, to nameAndLeLike: by its name, read in place. */
const PLAIN_LABEL = 0;
const NAME_LABEL = 1;
const LE_LABEL = 2;
/** Not laid out as Prometheus writes a Label (name first, a one-byte length): left to the full decoder. */
const UNUSUAL_LABEL = 3;

/** `__name__` and `le` as bytes. */
const NAME_BYTES = [0x5f, 0x5f, 0x6e, 0x61, 0x6d, 0x65, 0x5f, 0x5f];
const LE_BYTES = [0x6c, 0x65];

function specialLabel(buf: Uint8Array, at: number, end: number): number {
  if (end - at < 2 || buf[at] !== 0x0a) return UNUSUAL_LABEL;
  const length = buf[at + 1] as number;
  if (length >= 0x80 || at + 2 + length > end) return UNUSUAL_LABEL;
  if (length === 2 && buf[at + 2] === LE_BYTES[0] && buf[at + 3] === LE_BYTES[1]) return LE_LABEL;
  if (length !== 8) return PLAIN_LABEL;
  for (let k = 0; k < 8; k++) if (buf[at + 2 + k] !== NAME_BYTES[k]) return PLAIN_LABEL;
  return NAME_LABEL;
}

// Prometheus rejects duplicate label names in a series (`labels.Labels` must be unique); so do we.
function duplicateLabel(name: string): never {
  throw new WireError("invalid_field", `duplicate label name "${name.slice(0, 128)}" in one time series`);
}
