/**
 * Byte/text helpers without Node built-ins (this package also runs in browsers and workers): hex ids, base64
 * for OTLP `bytes` values, UTF-8 decoding through the standard TextDecoder.
 */

interface Utf8Decoder {
  decode(input: Uint8Array): string;
}
interface Utf8Encoder {
  encode(input: string): Uint8Array;
}
interface TextCodecGlobals {
  TextDecoder: new (label: string, options?: { fatal?: boolean; ignoreBOM?: boolean }) => Utf8Decoder;
  TextEncoder: new () => Utf8Encoder;
}
// The package compiles with `lib: ES2023` and no DOM/Node types, so the WHATWG text codecs (present in every
// runtime we target: Node ≥ 11, browsers, workers) are not declared; describe the two members we use.
const textCodecs = globalThis as unknown as TextCodecGlobals;
// Not fatal: invalid UTF-8 in a protobuf string becomes U+FFFD rather than failing a whole batch of spans.
// ignoreBOM keeps a leading U+FEFF as data instead of silently eating it.
const utf8Decoder = new textCodecs.TextDecoder("utf-8", { ignoreBOM: true });
const utf8Encoder = new textCodecs.TextEncoder();

/**
 * Short ASCII strings (attribute keys, enum-like values) dominate OTLP and remote-write payloads; building them
 * from char codes avoids a native call per string. Only up to 12 bytes: V8 appends a character to a string of
 * 13 or more as a cons-string node, so a 40-byte value built that way is a chain of 28 nodes that lives as long
 * as the string (label values kept per series: ~110,000 such nodes in a 1,000-service mesh, walked by every full
 * GC). Measured on Node 20: 13–20 bytes 129 ns this way against 101 ns native, 33–60 bytes 239 ns against 105.
 */
const ASCII_FAST_PATH_MAX = 12;

export function decodeUtf8(buf: Uint8Array, start: number, end: number): string {
  const length = end - start;
  if (length === 0) return "";
  if (length <= ASCII_FAST_PATH_MAX) {
    let s = "";
    for (let i = start; i < end; i++) {
      const b = buf[i] as number; // start..end is inside buf: the caller checked the length prefix
      if (b >= 0x80) return utf8Decoder.decode(buf.subarray(start, end));
      s += String.fromCharCode(b);
    }
    return s;
  }
  return utf8Decoder.decode(buf.subarray(start, end));
}

export function encodeUtf8(text: string): Uint8Array {
  return utf8Encoder.encode(text);
}

const HEX_PAIRS: string[] = [];
for (let i = 0; i < 256; i++) HEX_PAIRS.push(i.toString(16).padStart(2, "0"));

/** Lower-case hex of buf[start, end). */
export function bytesToHex(buf: Uint8Array, start: number, end: number): string {
  let s = "";
  for (let i = start; i < end; i++) s += HEX_PAIRS[buf[i] as number];
  return s;
}

export function isAllZeroHex(hex: string): boolean {
  for (let i = 0; i < hex.length; i++) if (hex.charCodeAt(i) !== 0x30) return false;
  return true;
}

/** `hex` lower-cased when it is exactly `length` hex digits (either case), else null. */
export function normaliseHex(hex: string, length: number): string | null {
  if (hex.length !== length) return null;
  let lower = true;
  for (let i = 0; i < length; i++) {
    const c = hex.charCodeAt(i);
    if ((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66)) continue;
    if (c >= 0x41 && c <= 0x46) {
      lower = false;
      continue;
    }
    return null;
  }
  return lower ? hex : hex.toLowerCase();
}

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const B64_VALUES = new Int16Array(128).fill(-1);
for (let i = 0; i < B64.length; i++) B64_VALUES[B64.charCodeAt(i)] = i;
// base64url letters, which some encoders emit, decode to the same values.
B64_VALUES[0x2d] = 62;
B64_VALUES[0x5f] = 63;

/** Standard base64 with padding (what OTLP/JSON uses for `bytes`, per the proto3 JSON mapping). */
export function bytesToBase64(buf: Uint8Array, start: number, end: number): string {
  const parts: string[] = [];
  let chunk = "";
  let i = start;
  for (; i + 2 < end; i += 3) {
    const n = ((buf[i] as number) << 16) | ((buf[i + 1] as number) << 8) | (buf[i + 2] as number);
    chunk += `${B64[n >> 18]}${B64[(n >> 12) & 63]}${B64[(n >> 6) & 63]}${B64[n & 63]}`;
    if (chunk.length >= 8192) {
      parts.push(chunk);
      chunk = "";
    }
  }
  const rest = end - i;
  if (rest === 1) {
    const n = (buf[i] as number) << 16;
    chunk += `${B64[n >> 18]}${B64[(n >> 12) & 63]}==`;
  } else if (rest === 2) {
    const n = ((buf[i] as number) << 16) | ((buf[i + 1] as number) << 8);
    chunk += `${B64[n >> 18]}${B64[(n >> 12) & 63]}${B64[(n >> 6) & 63]}=`;
  }
  parts.push(chunk);
  return parts.join("");
}

/** Decodes standard or URL-safe base64, padded or not; null when `text` is not base64. */
export function base64ToBytes(text: string): Uint8Array | null {
  let length = text.length;
  while (length > 0 && text.charCodeAt(length - 1) === 0x3d) length--;
  if (text.length - length > 2 || length % 4 === 1) return null;
  const out = new Uint8Array(Math.floor((length * 3) / 4));
  let bits = 0;
  let acc = 0;
  let o = 0;
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i);
    const v = c < 128 ? (B64_VALUES[c] as number) : -1;
    if (v < 0) return null;
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  return out;
}
