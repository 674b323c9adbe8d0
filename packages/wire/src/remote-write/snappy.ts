import { WireError } from "../errors.js";
import { BodyTooLargeError } from "./body-too-large-error.js";

/**
 * Snappy BLOCK format decompression (google/snappy `format_description.txt`), the encoding remote-write v1 bodies
 * use (`Content-Encoding: snappy`; not the framing/stream format).
 *
 * Hand-written instead of `snappyjs` because the bomb check has to come first: the block starts with the
 * uncompressed length as a varint, and we refuse anything past the caller's limit before allocating a byte. The
 * loop below then writes into exactly that buffer and checks every literal and copy against both ends, so a lying
 * stream can neither read past the input nor write past the declared length. Work is bounded by the declared
 * (already capped) output length plus the input length. It also keeps this package free of runtime dependencies
 * and lets every failure be a `WireError` naming the offending byte.
 */

/** Reads only the varint preamble: the uncompressed length the stream claims. */
export function snappyUncompressedLength(input: Uint8Array): number {
  let result = 0;
  for (let i = 0, shift = 0; i < 5; i++, shift += 7) {
    const b = input[i];
    if (b === undefined) throw bad("truncated length preamble", i);
    result += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) {
      if (result > 0xffffffff) break;
      return result;
    }
  }
  throw bad("length preamble is not a 32-bit varint", 0);
}

/**
 * The uncompressed bytes of a snappy block. With `into` large enough they are written there and a view of its
 * first bytes is returned (a caller decoding body after body reuses one buffer); otherwise a new array.
 */
export function snappyDecompress(body: Uint8Array, maxOutputBytes: number, into?: Uint8Array): Uint8Array {
  // A plain Uint8Array view of the same bytes: callers pass Node Buffers (a Uint8Array subclass with its own
  // hidden class), and element reads on a mix of the two make this loop polymorphic — measured 2–3× slower.
  const input = new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  const outLen = snappyUncompressedLength(input);
  if (outLen > maxOutputBytes) {
    throw new BodyTooLargeError("snappy body", outLen, maxOutputBytes);
  }
  let ip = preambleLength(input);
  // Every byte of out[0, outLen) is written below (the loop ends with op === outLen), so a reused buffer shows
  // nothing of its previous contents.
  const out = into !== undefined && into.length >= outLen ? into.subarray(0, outLen) : new Uint8Array(outLen);
  let op = 0;

  while (ip < input.length) {
    const tag = input[ip] ?? 0;
    const at = ip;
    ip += 1;
    const type = tag & 3;

    if (type === 0) {
      // Literal: length-1 in the upper 6 bits, or (values 60..63) in the next 1..4 little-endian bytes.
      let len = tag >>> 2;
      if (len >= 60) {
        const extra = len - 59;
        if (ip + extra > input.length) throw bad("truncated literal length", at);
        len = 0;
        for (let k = 0; k < extra; k++) len += (input[ip + k] ?? 0) * 2 ** (8 * k);
        ip += extra;
      }
      len += 1;
      if (len > input.length - ip) throw bad(`literal of ${len} bytes runs past the input`, at);
      if (len > outLen - op) throw bad("literal overflows the declared length", at);
      // Short literals byte by byte: `set` needs a subarray object per call, which costs more than the copy.
      if (len < 16) for (let k = 0; k < len; k++) out[op + k] = input[ip + k] ?? 0;
      else out.set(input.subarray(ip, ip + len), op);
      ip += len;
      op += len;
      continue;
    }

    let len: number;
    let offset: number;
    if (type === 1) {
      // Copy with 1-byte offset: length 4..11, offset 11 bits (3 high bits in the tag).
      if (ip + 1 > input.length) throw bad("truncated copy", at);
      len = 4 + ((tag >>> 2) & 7);
      offset = ((tag >>> 5) << 8) | (input[ip] ?? 0);
      ip += 1;
    } else if (type === 2) {
      if (ip + 2 > input.length) throw bad("truncated copy", at);
      len = 1 + (tag >>> 2);
      offset = (input[ip] ?? 0) | ((input[ip + 1] ?? 0) << 8);
      ip += 2;
    } else {
      if (ip + 4 > input.length) throw bad("truncated copy", at);
      len = 1 + (tag >>> 2);
      offset =
        ((input[ip] ?? 0) | ((input[ip + 1] ?? 0) << 8) | ((input[ip + 2] ?? 0) << 16)) +
        (input[ip + 3] ?? 0) * 2 ** 24;
      ip += 4;
    }
    if (offset === 0 || offset > op) throw bad(`copy offset ${offset} points before the start of the output`, at);
    if (len > outLen - op) throw bad("copy overflows the declared length", at);
    if (len >= 16 && offset >= len) {
      // Long copies that do not overlap their own output: label sets repeat from series to series, so most of a
      // remote-write body is 64-byte copies of the previous series, where one native memmove beats the loop
      // (measured ~2x for the whole block).
      out.copyWithin(op, op - offset, op - offset + len);
      op += len;
    } else {
      // Short copies, and overlapping ones (offset < len encodes a run and must read bytes it just wrote), go
      // forward byte by byte.
      for (let k = 0; k < len; k++, op++) out[op] = out[op - offset] ?? 0;
    }
  }

  if (op !== outLen) throw bad(`stream ends after ${op} of ${outLen} declared bytes`, input.length);
  return out;
}

function preambleLength(input: Uint8Array): number {
  let i = 0;
  while ((input[i] ?? 0) >= 0x80) i++;
  return i + 1;
}

function bad(reason: string, at: number): WireError {
  return new WireError("malformed", `invalid snappy block: ${reason} (input byte ${at})`);
}
