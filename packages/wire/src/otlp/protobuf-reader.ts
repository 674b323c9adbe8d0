import { bytesToHex, decodeUtf8 } from "../encoding.js";
import { WireError } from "../errors.js";

/** Protobuf wire types (encoding guide): VARINT, I64, LEN, SGROUP/EGROUP (deprecated groups), I32. */
export const WIRE_VARINT = 0;
export const WIRE_I64 = 1;
export const WIRE_LEN = 2;
export const WIRE_SGROUP = 3;
export const WIRE_EGROUP = 4;
export const WIRE_I32 = 5;

/** Deepest nesting accepted for recursive values (AnyValue arrays/kvlists, skipped groups): bounds the stack. */
export const MAX_NESTING_DEPTH = 32;

const WIRE_TYPE_NAMES = ["VARINT", "I64", "LEN", "SGROUP", "EGROUP", "I32", "6", "7"];

/**
 * A cursor over protobuf bytes. Every read takes the end of the enclosing message and never goes past it, so a
 * nested length cannot make a reader run into its parent's bytes. Nested messages are read in place (an end
 * offset, not a sub-array), and 64-bit values land in `lo`/`hi` instead of a fresh object: decoding allocates
 * only the values it returns.
 *
 * Indexing `buf[i]` is done after bounds checks against `end` ≤ buf.length, hence the `as number` on reads.
 */
export class ProtoReader {
  readonly buf: Uint8Array;
  pos = 0;
  /** Low and high 32 bits (unsigned) of the last varint64/fixed64 read. */
  lo = 0;
  hi = 0;
  private view: DataView | null = null;
  private readonly strings = new StringCache();
  private readonly hexIds = new StringCache();

  constructor(buf: Uint8Array) {
    this.buf = buf;
  }

  fail(what: string, at: number = this.pos): never {
    throw new WireError("malformed", `malformed protobuf: ${what} at offset ${at}`);
  }

  /** A field tag: field number << 3 | wire type. Field numbers fit 29 bits, so a tag fits a 32-bit varint. */
  tag(end: number): number {
    const start = this.pos;
    const tag = this.uint32(end);
    if (tag >>> 3 === 0) this.fail("field number 0", start);
    return tag;
  }

  /** A varint read as uint32/int32/enum: values needing more than 32 bits keep their low 32 bits, as protobuf
   * does for int32 fields sent as sign-extended 10-byte varints. */
  uint32(end: number): number {
    const buf = this.buf;
    let pos = this.pos;
    let value = 0;
    for (let shift = 0; shift < 32; shift += 7) {
      if (pos >= end) this.fail("truncated varint", pos);
      const b = buf[pos++] as number;
      value |= (b & 0x7f) << shift;
      if (b < 0x80) {
        this.pos = pos;
        return value >>> 0;
      }
    }
    // Bytes 6–10 only carry bits above 32: step over them, but a varint is at most 10 bytes.
    for (let i = 0; i < 5; i++) {
      if (pos >= end) this.fail("truncated varint", pos);
      if ((buf[pos++] as number) < 0x80) {
        this.pos = pos;
        return value >>> 0;
      }
    }
    return this.fail("varint longer than 10 bytes", this.pos);
  }

  /** A varint up to 64 bits into lo/hi. */
  varint64(end: number): void {
    const buf = this.buf;
    let pos = this.pos;
    let lo = 0;
    let hi = 0;
    let b = 0;
    for (let shift = 0; shift < 28; shift += 7) {
      if (pos >= end) this.fail("truncated varint", pos);
      b = buf[pos++] as number;
      lo |= (b & 0x7f) << shift;
      if (b < 0x80) {
        this.set64(pos, lo, 0);
        return;
      }
    }
    if (pos >= end) this.fail("truncated varint", pos);
    b = buf[pos++] as number;
    lo |= (b & 0x0f) << 28;
    hi = (b & 0x7f) >> 4;
    if (b < 0x80) {
      this.set64(pos, lo, hi);
      return;
    }
    for (let shift = 3; shift < 35; shift += 7) {
      if (pos >= end) this.fail("truncated varint", pos);
      b = buf[pos++] as number;
      hi |= (b & 0x7f) << shift;
      if (b < 0x80) {
        this.set64(pos, lo, hi);
        return;
      }
    }
    this.fail("varint longer than 10 bytes", this.pos);
  }

  private set64(pos: number, lo: number, hi: number): void {
    this.pos = pos;
    this.lo = lo >>> 0;
    this.hi = hi >>> 0;
  }

  /** Little-endian fixed64 into lo/hi. */
  fixed64(end: number): void {
    const pos = this.pos;
    if (pos + 8 > end) this.fail("truncated fixed64", pos);
    this.lo = this.read32(pos);
    this.hi = this.read32(pos + 4);
    this.pos = pos + 8;
  }

  fixed32(end: number): number {
    const pos = this.pos;
    if (pos + 4 > end) this.fail("truncated fixed32", pos);
    this.pos = pos + 4;
    return this.read32(pos);
  }

  private read32(pos: number): number {
    const buf = this.buf;
    return (
      ((buf[pos] as number) |
        ((buf[pos + 1] as number) << 8) |
        ((buf[pos + 2] as number) << 16) |
        ((buf[pos + 3] as number) << 24)) >>>
      0
    );
  }

  double(end: number): number {
    const pos = this.pos;
    if (pos + 8 > end) this.fail("truncated double", pos);
    this.view ??= new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
    this.pos = pos + 8;
    return this.view.getFloat64(pos, true);
  }

  /** The length prefix of a LEN field; returns the end offset of its payload, checked against `end`. */
  lengthEnd(end: number): number {
    const start = this.pos;
    const buf = this.buf;
    let pos = start;
    let length = 0;
    for (let shift = 0; ; shift += 7) {
      if (pos >= end) this.fail("truncated length", pos);
      const b = buf[pos++] as number;
      if (shift === 28) {
        // The fifth byte holds bits 28–34; anything past 2^32 cannot be a length inside this buffer.
        if (b > 0x0f) this.fail("length prefix too large", start);
        length += b * 0x10000000;
        break;
      }
      length |= (b & 0x7f) << shift;
      if (b < 0x80) break;
    }
    const payloadEnd = pos + length;
    if (payloadEnd > end)
      this.fail(`length ${length} runs past the end of its message (${end - pos} bytes left)`, start);
    this.pos = pos;
    return payloadEnd;
  }

  /** A UTF-8 string field. Short strings (attribute keys, span names, enum-like values) repeat across the
   * spans of a request, so they come from a per-request cache: one string object per distinct value means
   * fewer allocations and, for attribute keys, property names V8 has already internalized. */
  string(end: number): string {
    const stringEnd = this.lengthEnd(end);
    const start = this.pos;
    this.pos = stringEnd;
    if (stringEnd - start > MAX_CACHED_LENGTH) return decodeUtf8(this.buf, start, stringEnd);
    return this.strings.get(this.buf, start, stringEnd, decodeUtf8);
  }

  /** The hex form of buf[start, end) (ids; a trace id repeats across the spans of its trace). */
  hex(start: number, end: number): string {
    return this.hexIds.get(this.buf, start, end, bytesToHex);
  }

  /** Steps over a field of any wire type; groups (deprecated, but legal on the wire) are skipped to their end. */
  skip(tag: number, end: number, depth = 0): void {
    switch (tag & 7) {
      case WIRE_VARINT:
        this.varint64(end);
        return;
      case WIRE_I64:
        if (this.pos + 8 > end) this.fail("truncated fixed64");
        this.pos += 8;
        return;
      case WIRE_LEN:
        this.pos = this.lengthEnd(end);
        return;
      case WIRE_I32:
        if (this.pos + 4 > end) this.fail("truncated fixed32");
        this.pos += 4;
        return;
      case WIRE_SGROUP: {
        if (depth >= MAX_NESTING_DEPTH) this.fail(`groups nested deeper than ${MAX_NESTING_DEPTH}`);
        for (;;) {
          const inner = this.tag(end);
          if ((inner & 7) === WIRE_EGROUP) {
            if (inner >>> 3 !== tag >>> 3) this.fail(`group of field ${tag >>> 3} closed by field ${inner >>> 3}`);
            return;
          }
          this.skip(inner, end, depth + 1);
        }
      }
      case WIRE_EGROUP:
        this.fail(`unexpected end of group (field ${tag >>> 3})`);
        break;
      default:
        this.fail(`invalid wire type ${tag & 7} (field ${tag >>> 3})`);
    }
  }

  /** Throws unless a known field arrived with the wire type its schema gives it. */
  expect(tag: number, wireType: number, field: string): void {
    if ((tag & 7) !== wireType) {
      this.fail(
        `${field} (field ${tag >>> 3}) has wire type ${WIRE_TYPE_NAMES[tag & 7]}, expected ${WIRE_TYPE_NAMES[wireType]}`,
      );
    }
  }
}

const MAX_CACHED_LENGTH = 64;
const CACHE_SLOTS = 1024; // a power of two

/**
 * A direct-mapped cache from byte ranges of one buffer to the strings decoded from them. It stores where a
 * value was first seen and compares bytes in place, so a hit allocates nothing. A collision just replaces the
 * slot: the cache only saves work, it never changes a result.
 */
class StringCache {
  private readonly starts = new Int32Array(CACHE_SLOTS);
  private readonly lengths = new Int32Array(CACHE_SLOTS).fill(-1);
  private readonly values: string[] = new Array(CACHE_SLOTS).fill("");

  get(buf: Uint8Array, start: number, end: number, decode: (buf: Uint8Array, start: number, end: number) => string) {
    const length = end - start;
    let h = 0x811c9dc5 ^ length;
    for (let i = start; i < end; i++) h = Math.imul(h ^ (buf[i] as number), 0x01000193);
    const slot = (h ^ (h >>> 15)) & (CACHE_SLOTS - 1);
    if (this.lengths[slot] === length) {
      const cached = this.starts[slot] as number;
      let same = true;
      for (let i = 0; i < length; i++) {
        if (buf[cached + i] !== buf[start + i]) {
          same = false;
          break;
        }
      }
      if (same) return this.values[slot] as string;
    }
    const value = decode(buf, start, end);
    this.starts[slot] = start;
    this.lengths[slot] = length;
    this.values[slot] = value;
    return value;
  }
}
