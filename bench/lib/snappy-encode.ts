/**
 * A small snappy block compressor (google/snappy format_description.txt), so the benchmark pushes compressed
 * remote-write bodies as a real Prometheus does and both receivers pay for a real decompression.
 *
 * Greedy LZ77 over independent 64 KiB blocks with a 4-byte hash table, as the reference encoder does: every copy
 * stays inside its block, so a 2-byte offset (copy tag 10) always suffices. Not tuned; it runs outside the
 * measured windows.
 */

const BLOCK = 65_536;
const HASH_BITS = 14;
const MIN_MATCH = 4;

class ByteSink {
  private buf = Buffer.allocUnsafe(1024);
  length = 0;

  private reserve(n: number): void {
    if (this.length + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.length + n));
    this.buf.copy(next, 0, 0, this.length);
    this.buf = next;
  }

  byte(b: number): void {
    this.reserve(1);
    this.buf[this.length++] = b;
  }

  bytes(src: Uint8Array, start: number, end: number): void {
    this.reserve(end - start);
    this.buf.set(src.subarray(start, end), this.length);
    this.length += end - start;
  }

  varint(n: number): void {
    let v = n;
    while (v >= 0x80) {
      this.byte((v % 0x80) | 0x80);
      v = Math.floor(v / 0x80);
    }
    this.byte(v);
  }

  result(): Buffer {
    return this.buf.subarray(0, this.length);
  }
}

function emitLiteral(out: ByteSink, src: Uint8Array, start: number, end: number): void {
  const n = end - start - 1;
  // Tag byte low bits 00; lengths-1 of 60 or more follow the tag in 1 or 2 little-endian bytes.
  if (n < 60) out.byte(n << 2);
  else if (n < 256) {
    out.byte(60 << 2);
    out.byte(n);
  } else {
    out.byte(61 << 2);
    out.byte(n & 0xff);
    out.byte(n >> 8);
  }
  out.bytes(src, start, end);
}

function emitCopy(out: ByteSink, offset: number, length: number): void {
  // Copy with a 2-byte offset (tag 10): lengths 1..64 per element.
  let left = length;
  while (left > 0) {
    // Never leave a remainder below 4, which a following element could not express as well.
    const n = left > 64 ? (left - 64 < 4 ? 60 : 64) : left;
    out.byte(((n - 1) << 2) | 2);
    out.byte(offset & 0xff);
    out.byte(offset >> 8);
    left -= n;
  }
}

function load32(src: Uint8Array, i: number): number {
  return ((src[i] ?? 0) | ((src[i + 1] ?? 0) << 8) | ((src[i + 2] ?? 0) << 16) | ((src[i + 3] ?? 0) << 24)) >>> 0;
}

function hash(v: number): number {
  return Math.imul(v, 0x1e35a7bd) >>> (32 - HASH_BITS);
}

export function snappyCompress(src: Uint8Array): Buffer {
  const out = new ByteSink();
  out.varint(src.length);
  const table = new Int32Array(1 << HASH_BITS);
  for (let blockStart = 0; blockStart < src.length; blockStart += BLOCK) {
    const blockEnd = Math.min(src.length, blockStart + BLOCK);
    table.fill(-1);
    let literalStart = blockStart;
    let i = blockStart;
    while (i + MIN_MATCH <= blockEnd) {
      const h = hash(load32(src, i));
      const candidate = table[h] ?? -1;
      table[h] = i;
      if (candidate >= blockStart && load32(src, candidate) === load32(src, i)) {
        let len = MIN_MATCH;
        while (i + len < blockEnd && src[candidate + len] === src[i + len]) len++;
        if (literalStart < i) emitLiteral(out, src, literalStart, i);
        emitCopy(out, i - candidate, len);
        i += len;
        literalStart = i;
      } else i++;
    }
    if (literalStart < blockEnd) emitLiteral(out, src, literalStart, blockEnd);
  }
  return out.result();
}
