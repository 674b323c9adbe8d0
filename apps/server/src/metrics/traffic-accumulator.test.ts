import { describe, expect, it } from "vitest";
import { edgeKeyFromLabels } from "./edge-key.js";
import { rowsOf, TrafficAccumulator, type WindowPoint } from "./traffic-accumulator.js";

/** `n` keys, each with one stream of two points 60 s apart; every third with a histogram of 3 bounds. */
function fill(acc: TrafficAccumulator, n: number): void {
  for (let i = 0; i < n; i++) {
    const key = edgeKeyFromLabels({ reporter: "destination", source_workload: `w${i}`, response_code: "200" });
    const les = i % 3 === 0 ? [5, 50, Number.POSITIVE_INFINITY] : [];
    const point = (tsMs: number, k: number): WindowPoint => ({
      tsMs,
      ord: k,
      scalars: [10 * k * (i + 1), 3 * k, k * (i + 1), 0, 0, 0, 0, 0, 0],
      buckets: les.length === 0 ? null : [k * i, 2 * k * i, 3 * k * (i + 1)],
    });
    // Key ids from 1 up, sparse beyond the first few so the id lookup has to grow too.
    acc.add(i < 5 ? i + 1 : i * 7, key, les, point(1_000, 1), point(61_000, 2));
  }
}

describe("the traffic accumulator's size hint", () => {
  it("gives the same answer whether its arrays start smaller, exactly right or larger than needed", () => {
    const plain = new TrafficAccumulator(0, 120_000);
    fill(plain, 300);
    const expected = rowsOf(plain.table());
    const needed = plain.sizes();
    expect(needed.keys).toBe(300);
    expect(needed.rates).toBe(100 * 3);
    for (const sizes of [{ keys: 10, rates: 4, keyIds: 8 }, needed, { keys: 5_000, rates: 50_000, keyIds: 1 << 16 }]) {
      const hinted = new TrafficAccumulator(0, 120_000, sizes);
      fill(hinted, 300);
      expect(rowsOf(hinted.table())).toEqual(expected);
    }
  });
});
