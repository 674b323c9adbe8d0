import { describe, expect, it } from "vitest";
import {
  type HistogramBucket,
  histogramQuantile,
  histogramQuantiles,
  histogramQuantilesInto,
  sumBuckets,
} from "./histogram.js";

const INF = Number.POSITIVE_INFINITY;
const b = (pairs: Array<[number, number]>): HistogramBucket[] => pairs.map(([le, count]) => ({ le, count }));

describe("histogramQuantile", () => {
  it("interpolates linearly inside the bucket that holds the rank", () => {
    const h = b([
      [1, 10],
      [2, 20],
      [INF, 20],
    ]);
    expect(histogramQuantile(0.75, h)).toBeCloseTo(1.5, 12);
    expect(histogramQuantile(0.6, h)).toBeCloseTo(1.2, 12);
  });

  it("starts the lowest bucket at 0", () => {
    expect(
      histogramQuantile(
        0.25,
        b([
          [4, 10],
          [INF, 10],
        ]),
      ),
    ).toBeCloseTo(1, 12);
  });

  it("answers the bound of the lowest bucket when that bound is not positive", () => {
    expect(
      histogramQuantile(
        0.25,
        b([
          [0, 5],
          [INF, 10],
        ]),
      ),
    ).toBe(0);
  });

  it("answers the largest finite bound when the rank falls in the +Inf bucket", () => {
    expect(
      histogramQuantile(
        0.9,
        b([
          [1, 10],
          [5, 12],
          [INF, 20],
        ]),
      ),
    ).toBe(5);
  });

  it("sorts the buckets, adds duplicates and makes the counts monotonic", () => {
    const h = b([
      [INF, 20],
      [2, 8],
      [1, 6],
      [1, 4],
    ]);
    // After coalescing: le 1 → 10, le 2 → 8 (raised to 10), +Inf → 20. Rank 10 ends in the first bucket.
    expect(histogramQuantile(0.5, h)).toBeCloseTo(1, 12);
  });

  it("is NaN without a +Inf bucket, with one bucket, or with no observations", () => {
    expect(histogramQuantile(0.5, b([[1, 10]]))).toBeNaN();
    expect(histogramQuantile(0.5, b([[INF, 10]]))).toBeNaN();
    expect(
      histogramQuantile(
        0.5,
        b([
          [1, 0],
          [INF, 0],
        ]),
      ),
    ).toBeNaN();
    expect(histogramQuantile(0.5, [])).toBeNaN();
  });

  it("answers ±Inf for quantiles outside [0, 1] and NaN for NaN", () => {
    const h = b([
      [1, 1],
      [INF, 1],
    ]);
    expect(histogramQuantile(-0.1, h)).toBe(Number.NEGATIVE_INFINITY);
    expect(histogramQuantile(1.1, h)).toBe(INF);
    expect(histogramQuantile(Number.NaN, h)).toBeNaN();
  });
});

describe("sumBuckets", () => {
  it("adds bucket counts of several histograms by le", () => {
    expect(
      sumBuckets([
        b([
          [1, 1],
          [INF, 2],
        ]),
        b([
          [1, 3],
          [2, 4],
          [INF, 5],
        ]),
      ]),
    ).toEqual(
      b([
        [1, 4],
        [2, 4],
        [INF, 7],
      ]),
    );
  });
});

describe("sumBuckets and quantiles on already-prepared buckets", () => {
  it("adds series by bound whether or not their bounds line up, sorted by bound", () => {
    const aligned = [
      b([
        [1, 2],
        [5, 4],
        [INF, 6],
      ]),
      [],
      b([
        [1, 1],
        [5, 1],
        [INF, 3],
      ]),
    ];
    expect(sumBuckets(aligned)).toEqual(
      b([
        [1, 3],
        [5, 5],
        [INF, 9],
      ]),
    );
    const ragged = [
      b([
        [5, 4],
        [1, 2],
        [INF, 6],
      ]),
      b([
        [1, 1],
        [2, 1],
        [INF, 3],
      ]),
    ];
    expect(sumBuckets(ragged)).toEqual(
      b([
        [1, 3],
        [2, 1],
        [5, 4],
        [INF, 9],
      ]),
    );
    expect(sumBuckets([[], []])).toEqual([]);
  });

  it("reads sorted monotonic buckets in place without changing them, and repairs the others on a copy", () => {
    const ok = b([
      [1, 2],
      [5, 4],
      [INF, 4],
    ]);
    const dip = b([
      [5, 3],
      [1, 4],
      [INF, 4],
    ]);
    const okCopy = structuredClone(ok);
    const dipCopy = structuredClone(dip);
    expect(histogramQuantile(0.5, ok)).toBeCloseTo(1, 12);
    // Sorted, [1,4] [5,3→4] [+Inf,4]: the median is inside the first bucket.
    expect(histogramQuantile(0.5, dip)).toBeCloseTo(0.5, 12);
    expect(ok).toEqual(okCopy);
    expect(dip).toEqual(dipCopy);
  });
});

describe("histogramQuantilesInto (the graph's list form)", () => {
  const QS = [0, 0.5, 0.95, 0.99, 1, -1, 2, Number.NaN];

  function lists(buckets: readonly HistogramBucket[], extra = 0): { les: number[]; counts: Float64Array } {
    const counts = new Float64Array(buckets.length + extra).fill(123);
    buckets.forEach((b, i) => {
      counts[i] = b.count;
    });
    return { les: buckets.map((b) => b.le), counts };
  }

  it("answers what the object form answers, also for non-monotonic counts, unsorted or repeated bounds", () => {
    const cases: HistogramBucket[][] = [
      [
        { le: 1, count: 2 },
        { le: 5, count: 8 },
        { le: 10, count: 9 },
        { le: Number.POSITIVE_INFINITY, count: 10 },
      ],
      // Rates of buckets scraped at slightly different times: a lower count after a higher one.
      [
        { le: 1, count: 5 },
        { le: 5, count: 4 },
        { le: Number.POSITIVE_INFINITY, count: 6 },
      ],
      [
        { le: 10, count: 9 },
        { le: Number.POSITIVE_INFINITY, count: 10 },
        { le: 1, count: 2 },
        { le: 10, count: 1 },
      ],
      [{ le: Number.POSITIVE_INFINITY, count: 3 }],
      [
        { le: 1, count: 0 },
        { le: Number.POSITIVE_INFINITY, count: 0 },
      ],
      [
        { le: -5, count: 1 },
        { le: 0, count: 2 },
        { le: Number.POSITIVE_INFINITY, count: 4 },
      ],
      [],
    ];
    for (const buckets of cases) {
      // A longer scratch buffer than the bounds: entries past them must be ignored.
      // The same bounds, then frozen twice: a frozen list found increasing is remembered, one that is not must not be.
      const frozen = Object.freeze(lists(buckets).les);
      for (const fixed of [null, frozen, frozen]) {
        const { les, counts } = lists(buckets, 3);
        const out = new Float64Array(QS.length);
        histogramQuantilesInto(QS, fixed ?? les, counts, out);
        expect(Array.from(out)).toEqual(histogramQuantiles(QS, buckets));
      }
    }
  });
});
