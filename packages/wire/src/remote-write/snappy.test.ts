import { describe, expect, it } from "vitest";
import { WireError } from "../errors.js";
import { BodyTooLargeError } from "./body-too-large-error.js";
import { snappyDecompress, snappyUncompressedLength } from "./snappy.js";

const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const text = (b: Uint8Array) => String.fromCharCode(...b);

/** Element encoders straight from google/snappy format_description.txt, to build streams by hand. */
const literal = (s: string) => [((s.length - 1) << 2) | 0, ...ascii(s)];
const copy1 = (len: number, offset: number) => [((offset >> 8) << 5) | ((len - 4) << 2) | 1, offset & 0xff];
const copy2 = (len: number, offset: number) => [((len - 1) << 2) | 2, offset & 0xff, offset >> 8];
const copy4 = (len: number, offset: number) => [((len - 1) << 2) | 3, offset & 0xff, (offset >> 8) & 0xff, 0, 0];

describe("snappyDecompress", () => {
  it("decodes literals and all three copy forms, including overlapping copies that encode runs", () => {
    // "abcd"; copy(8, 4) → "abcdabcd"; overlapping copy(3, 2) → "cdc"; copy4(1, 15) → "a"; "x"; run copy(5, 1).
    const stream = Uint8Array.from([
      22,
      ...literal("abcd"),
      ...copy1(8, 4),
      ...copy2(3, 2),
      ...copy4(1, 15),
      ...literal("x"),
      ...copy1(5, 1),
    ]);
    expect(text(snappyDecompress(stream, 1024))).toBe("abcdabcdabcdcdcaxxxxxx");
  });

  it("decodes long copies the same whether or not they overlap their own output", () => {
    const head = "0123456789abcdefghijklmnopqrstuvwxyz"; // 36 bytes
    // copy(64, 36) overlaps (offset < length: it reads bytes it writes); copy(32, 100) does not.
    const stream = Uint8Array.from([
      0x94, // the 148 output bytes, as a 2-byte varint
      0x01,
      ...literal(head),
      ...copy2(64, 36),
      ...copy2(32, 100),
      ...literal("ABCDEFGHIJKLMNOP"), // a 16-byte literal: the bulk-copy path for literals
    ]);
    const first100 = (head + head + head).slice(0, 100);
    expect(text(snappyDecompress(stream, 1024))).toBe(`${first100}${first100.slice(0, 32)}ABCDEFGHIJKLMNOP`);
  });

  it("reads literal lengths carried in the extra bytes after tags 60..63", () => {
    const payload = "m".repeat(300);
    // tag 61<<2: length-1 in the next two little-endian bytes.
    const stream = Uint8Array.from([0xac, 0x02, 61 << 2, (300 - 1) & 0xff, (300 - 1) >> 8, ...ascii(payload)]);
    expect(text(snappyDecompress(stream, 1024))).toBe(payload);
  });

  it("writes into a given buffer when it is large enough, whatever it held before, and into a new one otherwise", () => {
    const stream = Uint8Array.from([16, ...literal("abcd"), ...copy1(8, 4), ...copy2(3, 2), ...copy4(1, 15)]);
    const expected = "abcdabcdabcdcdca";
    const used = new Uint8Array(64).fill(0x7a);
    const out = snappyDecompress(stream, 1024, used);
    expect(text(out)).toBe(expected);
    expect(out.buffer).toBe(used.buffer);
    const small = new Uint8Array(8);
    const fresh = snappyDecompress(stream, 1024, small);
    expect(text(fresh)).toBe(expected);
    expect(fresh.buffer).not.toBe(small.buffer);
  });

  it("refuses a body whose preamble declares more than the limit before allocating anything", () => {
    // Declares 4 GiB - 1 uncompressed bytes in a 5-byte body: a decompression bomb.
    const bomb = Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0x0f]);
    expect(snappyUncompressedLength(bomb)).toBe(4294967295);
    expect(() => snappyDecompress(bomb, 1 << 20)).toThrow(BodyTooLargeError);
    expect(() => snappyDecompress(bomb, 1 << 20)).toThrow(/4294967295 uncompressed bytes, over the limit of 1048576/);
  });

  it.each([
    ["an empty body", []],
    ["a preamble longer than 5 bytes", [0x80, 0x80, 0x80, 0x80, 0x80, 0x01]],
    ["a copy reaching before the output", [4, ...copy1(4, 1)]],
    ["a zero copy offset", [8, ...literal("ab"), ...copy2(4, 0)]],
    ["a literal longer than the input", [5, ...literal("abcde").slice(0, 3)]],
    ["output longer than declared", [2, ...literal("abc")]],
    ["output shorter than declared", [9, ...literal("abc")]],
    ["a truncated copy", [5, ...literal("ab"), 2]],
  ])("rejects %s as a malformed snappy block", (_name, bytes) => {
    expect(() => snappyDecompress(Uint8Array.from(bytes), 1024)).toThrow(WireError);
    expect(() => snappyDecompress(Uint8Array.from(bytes), 1024)).toThrow(/invalid snappy block/);
  });

  it("throws nothing but WireError on random and truncated input", () => {
    let seed = 42;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % 256;
    };
    const valid = Uint8Array.from([22, ...literal("abcd"), ...copy1(8, 4), ...copy2(3, 2), ...copy4(1, 15)]);
    const inputs: Uint8Array[] = [];
    for (let n = 0; n < valid.length; n++) inputs.push(valid.subarray(0, n));
    for (let round = 0; round < 2000; round++) inputs.push(Uint8Array.from({ length: rand() % 64 }, rand));
    for (const input of inputs) {
      try {
        snappyDecompress(input, 4096);
      } catch (err) {
        expect(err).toBeInstanceOf(WireError);
      }
    }
  }, 20_000);
});
