import { describe, expect, it } from "vitest";
import { SeriesHashSet } from "./series-hash-set.js";

/** Distinct 64-bit hashes, some sharing their low half (they land in one probe run) and some with hi = 0. */
function hashes(n: number): Array<[number, number]> {
  // i × an odd constant is a bijection on 32 bits: the pairs are distinct.
  return Array.from({ length: n }, (_, i) => [
    i % 7 === 0 && i % 3 !== 0 ? 0 : Math.imul(i, 0x9e3779b1) >>> 0,
    i % 3 === 0 ? 5 : i,
  ]);
}

describe("SeriesHashSet", () => {
  it("answers new for a hash it does not hold and not new for one it does, through growth", () => {
    const set = new SeriesHashSet(1_000_000, 4);
    const all = hashes(5000);
    for (const [hi, lo] of all) expect(set.add(hi, lo)).toBe(true);
    expect(set.size).toBe(all.length);
    for (const [hi, lo] of all) expect(set.add(hi, lo)).toBe(false);
    // The same low half with another high half is another hash.
    expect(set.add(123, 5)).toBe(true);
  });

  it("counts the new hashes of columns", () => {
    const set = new SeriesHashSet(100);
    const hi = Uint32Array.from([1, 2, 3, 1]);
    const lo = Uint32Array.from([9, 9, 9, 9]);
    expect(set.addAll(hi, lo, 4)).toBe(3);
    expect(set.addAll(hi, lo, 4)).toBe(0);
    expect(set.addAll(Uint32Array.from([4]), Uint32Array.from([9]), 1)).toBe(1);
  });

  it("never holds the hash (0, 0), which marks a free slot", () => {
    const set = new SeriesHashSet(100);
    expect(set.add(0, 0)).toBe(true);
    expect(set.add(0, 0)).toBe(true);
    expect(set.size).toBe(0);
  });

  it("starts over empty when it would pass its size limit", () => {
    const set = new SeriesHashSet(3);
    for (const lo of [1, 2, 3]) set.add(7, lo);
    expect(set.add(7, 4)).toBe(true);
    expect(set.size).toBe(1);
    expect(set.add(7, 1)).toBe(true);
    expect(set.add(7, 4)).toBe(false);
  });
});
