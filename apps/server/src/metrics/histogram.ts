/**
 * Classic (bucketed) histogram quantiles exactly as PromQL's `histogram_quantile` computes them
 * (prometheus/prometheus v2.42 `promql/quantile.go`, `bucketQuantile`):
 *  - buckets are cumulative counts (or rates) per upper bound `le`; they are sorted by `le`, buckets with the
 *    same bound are added together, and the counts are made monotonic (a lower count after a higher one is
 *    raised to it: rates of buckets scraped at slightly different times can be non-monotonic);
 *  - without a +Inf bucket, with fewer than two buckets, or with no observations, the answer is NaN;
 *  - the quantile's rank is q × (the +Inf count); the answer interpolates linearly inside the first bucket whose
 *    count reaches the rank, the lowest bucket starting at 0 (or returning its bound when that is ≤ 0);
 *  - a rank in the +Inf bucket answers the largest finite bound;
 *  - q < 0 answers -Inf, q > 1 +Inf, NaN NaN.
 */

export interface HistogramBucket {
  /** Upper bound, `+Inf` as Infinity. */
  le: number;
  /** Cumulative count (or rate) of observations ≤ le. */
  count: number;
}

export function histogramQuantile(q: number, input: readonly HistogramBucket[]): number {
  return quantilesOfPrepared([q], prepareBuckets(input))[0] ?? Number.NaN;
}

/** Several quantiles of one histogram (the buckets are sorted and made monotonic once). */
export function histogramQuantiles(qs: readonly number[], input: readonly HistogramBucket[]): number[] {
  return quantilesOfPrepared(qs, prepareBuckets(input));
}

/** Sorted by le, equal bounds added, counts made monotonic: the input bucketQuantile works on. */
function prepareBuckets(input: readonly HistogramBucket[]): readonly HistogramBucket[] {
  // The store hands out buckets in that shape already (traffic-accumulator.ts); then there is nothing to copy.
  if (isPrepared(input)) return input;
  const buckets = coalesce([...input].sort((a, b) => a.le - b.le));
  ensureMonotonic(buckets);
  return buckets;
}

/** Quantiles of prepared buckets (sorted, coalesced, monotonic). */
function quantilesOfPrepared(qs: readonly number[], buckets: readonly HistogramBucket[]): number[] {
  const les = new Float64Array(buckets.length);
  const counts = new Float64Array(buckets.length);
  for (let i = 0; i < buckets.length; i++) {
    les[i] = buckets[i]?.le ?? 0;
    counts[i] = buckets[i]?.count ?? 0;
  }
  return qs.map((q) => quantileOfSorted(q, les, counts));
}

/**
 * bucketQuantile over parallel lists: `les` strictly increasing, `counts` non-decreasing (cumulative). The one
 * implementation of the algorithm; the object form above and the graph's list form (histogramQuantilesInto)
 * both end here.
 */
function quantileOfSorted(q: number, les: ArrayLike<number>, counts: ArrayLike<number>): number {
  if (Number.isNaN(q)) return Number.NaN;
  if (q < 0) return Number.NEGATIVE_INFINITY;
  if (q > 1) return Number.POSITIVE_INFINITY;
  const n = les.length;
  if (n === 0 || les[n - 1] !== Number.POSITIVE_INFINITY) return Number.NaN;
  if (n < 2) return Number.NaN;
  const observations = counts[n - 1] ?? 0;
  if (observations === 0) return Number.NaN;
  let rank = q * observations;
  // sort.Search over all but the +Inf bucket: the first index whose count reaches the rank.
  let b = 0;
  while (b < n - 1 && (counts[b] ?? 0) < rank) b++;
  if (b === n - 1) return les[n - 2] ?? Number.NaN;
  const le = les[b] ?? 0;
  if (b === 0 && le <= 0) return le;
  let start = 0;
  let count = counts[b] ?? 0;
  if (b > 0) {
    const belowCount = counts[b - 1] ?? 0;
    start = les[b - 1] ?? 0;
    count -= belowCount;
    rank -= belowCount;
  }
  return start + (le - start) * (rank / count);
}

/**
 * histogramQuantiles for buckets given as parallel lists of bounds and counts (`counts` may be longer; entries
 * past `les.length` are ignored), quantile i written to `out[i]`. The caller hands `counts` over: they are made
 * monotonic in place, so the graph sums each edge's buckets into one scratch buffer and reuses one `out` for every
 * edge, with no object per bucket. Bounds that are not strictly increasing take the object path (sorted and
 * coalesced first).
 */
export function histogramQuantilesInto(
  qs: readonly number[],
  les: ArrayLike<number>,
  counts: Float64Array,
  out: Float64Array,
): void {
  const n = les.length;
  if (!increasingBounds(les)) {
    const buckets: HistogramBucket[] = [];
    for (let i = 0; i < n; i++) buckets.push({ le: les[i] ?? 0, count: counts[i] ?? 0 });
    out.set(histogramQuantiles(qs, buckets));
    return;
  }
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const c = counts[i] ?? 0;
    if (c > max) max = c;
    else if (c < max) counts[i] = max;
  }
  // quantileOfSorted reads counts only below les.length: no view of the first n is needed.
  for (let i = 0; i < qs.length; i++) out[i] = quantileOfSorted(qs[i] ?? Number.NaN, les, counts);
}

/**
 * Frozen bound lists found strictly increasing. The graph asks once per edge, thousands of times per graph, about
 * the same few lists (hot-points.ts interns them, frozen); a frozen list cannot change, so one check is enough.
 */
const increasingLists = new WeakSet<ArrayLike<number>>();

function increasingBounds(les: ArrayLike<number>): boolean {
  if (increasingLists.has(les)) return true;
  if (!strictlyIncreasing(les)) return false;
  if (Object.isFrozen(les)) increasingLists.add(les);
  return true;
}

function strictlyIncreasing(les: ArrayLike<number>): boolean {
  for (let i = 1; i < les.length; i++) if (!((les[i] ?? 0) > (les[i - 1] ?? 0))) return false;
  return true;
}

/** Strictly increasing bounds and non-decreasing counts. */
function isPrepared(buckets: readonly HistogramBucket[]): boolean {
  for (let i = 1; i < buckets.length; i++) {
    const prev = buckets[i - 1];
    const b = buckets[i];
    if (prev === undefined || b === undefined || !(b.le > prev.le) || b.count < prev.count) return false;
  }
  return true;
}

/** True when every non-empty list has exactly the bounds of `first`, in the same order, and those are sorted. */
function sameSortedBounds(first: readonly HistogramBucket[], lists: readonly (readonly HistogramBucket[])[]): boolean {
  for (let i = 1; i < first.length; i++) if (!((first[i]?.le ?? 0) > (first[i - 1]?.le ?? 0))) return false;
  for (const list of lists) {
    if (list.length === 0 || list === first) continue;
    if (list.length !== first.length) return false;
    for (let i = 0; i < list.length; i++) if (list[i]?.le !== first[i]?.le) return false;
  }
  return true;
}

/** Buckets of several series added by `le` (what `sum(...) by (le)` does before histogram_quantile). */
export function sumBuckets(input: Iterable<readonly HistogramBucket[]>): HistogramBucket[] {
  const lists: readonly (readonly HistogramBucket[])[] = Array.isArray(input) ? input : [...input];
  const first = lists.find((l) => l.length > 0);
  if (first === undefined) return [];
  // Series of one edge nearly always share their bounds (one proxy version, one bucket config): add by position.
  if (sameSortedBounds(first, lists)) {
    const out = first.map((b) => ({ le: b.le, count: 0 }));
    for (const list of lists) {
      for (let i = 0; i < list.length; i++) {
        const o = out[i];
        if (o !== undefined) o.count += list[i]?.count ?? 0;
      }
    }
    return out;
  }
  const byLe = new Map<number, number>();
  for (const list of lists) {
    for (const b of list) byLe.set(b.le, (byLe.get(b.le) ?? 0) + b.count);
  }
  return [...byLe].map(([le, count]) => ({ le, count })).sort((a, b) => a.le - b.le);
}

function coalesce(sorted: HistogramBucket[]): HistogramBucket[] {
  const out: HistogramBucket[] = [];
  for (const b of sorted) {
    const prev = out[out.length - 1];
    if (prev !== undefined && prev.le === b.le) prev.count += b.count;
    else out.push({ le: b.le, count: b.count });
  }
  return out;
}

function ensureMonotonic(buckets: HistogramBucket[]): void {
  let max = Number.NEGATIVE_INFINITY;
  for (const b of buckets) {
    if (b.count > max) max = b.count;
    else if (b.count < max) b.count = max;
  }
}
