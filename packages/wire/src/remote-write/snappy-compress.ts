/**
 * Snappy BLOCK format compression (google/snappy `format_description.txt`), the encoding of remote-write v1 bodies
 * (`Content-Encoding: snappy`), so senders built on this package (the demo mesh, the benchmarks) pay for and make
 * the receiver pay for a real decompression, as a Prometheus sender does.
 *
 * The reference encoder's scheme (snappy.cc `CompressFragment`): independent 64 KiB fragments, a hash table of the
 * last position of every 4-byte sequence, greedy matches, and a skip that grows over incompressible input. Every
 * copy stays inside its fragment, so offsets fit 2 bytes. The output buffer is sized once to the format's worst
 * case (`MaxCompressedLength`: 32 + n + n/6), so the hot loop never checks capacity.
 */

const FRAGMENT = 65_536;
const HASH_BITS = 14;
const MIN_MATCH = 4;

/** Worst-case compressed size of `n` input bytes (snappy.cc `MaxCompressedLength`). */
export function snappyMaxCompressedLength(n: number): number {
  return 32 + n + Math.floor(n / 6);
}

class BlockWriter {
  readonly out: Uint8Array;
  pos = 0;

  constructor(capacity: number) {
    this.out = new Uint8Array(capacity);
  }

  varint(n: number): void {
    let v = n;
    while (v >= 0x80) {
      this.out[this.pos++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    this.out[this.pos++] = v;
  }

  literal(src: Uint8Array, start: number, end: number): void {
    const n = end - start - 1;
    // Tag low bits 00; length-1 in the upper 6 bits, or (tag values 60/61) in 1 or 2 little-endian bytes after it.
    // A fragment is at most 64 KiB, so 2 bytes always suffice.
    if (n < 60) this.out[this.pos++] = n << 2;
    else if (n < 256) {
      this.out[this.pos++] = 60 << 2;
      this.out[this.pos++] = n;
    } else {
      this.out[this.pos++] = 61 << 2;
      this.out[this.pos++] = n & 0xff;
      this.out[this.pos++] = n >>> 8;
    }
    this.out.set(src.subarray(start, end), this.pos);
    this.pos += end - start;
  }

  /** snappy.cc `EmitCopy`: 64-byte pieces while ≥ 68 remain (so the tail is never below 4), then the rest. */
  copy(offset: number, length: number): void {
    let left = length;
    while (left >= 68) {
      this.copy2(offset, 64);
      left -= 64;
    }
    if (left > 64) {
      this.copy2(offset, 60);
      left -= 60;
    }
    // Copy with a 1-byte offset (tag 01): length 4..11 and offset < 2048 in two bytes instead of three.
    if (left < 12 && offset < 2048) {
      this.out[this.pos++] = ((offset >>> 8) << 5) | ((left - 4) << 2) | 1;
      this.out[this.pos++] = offset & 0xff;
    } else this.copy2(offset, left);
  }

  private copy2(offset: number, length: number): void {
    this.out[this.pos++] = ((length - 1) << 2) | 2;
    this.out[this.pos++] = offset & 0xff;
    this.out[this.pos++] = offset >>> 8;
  }
}

function hash(v: number): number {
  return Math.imul(v, 0x1e35a7bd) >>> (32 - HASH_BITS);
}

function compressFragment(
  src: Uint8Array,
  view: DataView,
  start: number,
  end: number,
  table: Uint16Array,
  w: BlockWriter,
) {
  table.fill(0);
  let literalStart = start;
  let i = start;
  // Over incompressible input the step grows by one every 32 misses (snappy.cc's "heuristic match skipping").
  let skip = 32;
  while (i + MIN_MATCH <= end) {
    const word = view.getUint32(i, true);
    const h = hash(word);
    // Positions are stored relative to the fragment start, which fits 16 bits; 0 doubles as "empty", which is
    // harmless because every candidate is verified below.
    const candidate = start + (table[h] ?? 0);
    table[h] = i - start;
    if (candidate < i && view.getUint32(candidate, true) === word) {
      let len = MIN_MATCH;
      while (i + len < end && src[candidate + len] === src[i + len]) len++;
      if (literalStart < i) w.literal(src, literalStart, i);
      w.copy(i - candidate, len);
      i += len;
      literalStart = i;
      skip = 32;
    } else i += skip++ >>> 5;
  }
  if (literalStart < end) w.literal(src, literalStart, end);
}

export function snappyCompress(src: Uint8Array): Uint8Array {
  const w = new BlockWriter(snappyMaxCompressedLength(src.length));
  // Preamble: the uncompressed length as a varint (the decoder's bomb check reads exactly this).
  w.varint(src.length);
  const view = new DataView(src.buffer, src.byteOffset, src.byteLength);
  const table = new Uint16Array(1 << HASH_BITS);
  for (let start = 0; start < src.length; start += FRAGMENT) {
    compressFragment(src, view, start, Math.min(src.length, start + FRAGMENT), table, w);
  }
  return w.out.subarray(0, w.pos);
}
