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
  return quantileOfPrepared(q, prepareBuckets(input));
}

/** Several quantiles of one histogram (the buckets are sorted and made monotonic once). */
export function histogramQuantiles(qs: readonly number[], input: readonly HistogramBucket[]): number[] {
  const prepared = prepareBuckets(input);
  return qs.map((q) => quantileOfPrepared(q, prepared));
}

/** Sorted by le, equal bounds added, counts made monotonic: the input bucketQuantile works on. */
function prepareBuckets(input: readonly HistogramBucket[]): readonly HistogramBucket[] {
  // The store hands out buckets in that shape already (traffic-accumulator.ts); then there is nothing to copy.
  if (isPrepared(input)) return input;
  const buckets = coalesce([...input].sort((a, b) => a.le - b.le));
  ensureMonotonic(buckets);
  return buckets;
}

function quantileOfPrepared(q: number, buckets: readonly HistogramBucket[]): number {
  if (Number.isNaN(q)) return Number.NaN;
  if (q < 0) return Number.NEGATIVE_INFINITY;
  if (q > 1) return Number.POSITIVE_INFINITY;
  const last = buckets[buckets.length - 1];
  if (last === undefined || last.le !== Number.POSITIVE_INFINITY) return Number.NaN;
  if (buckets.length < 2) return Number.NaN;
  const observations = last.count;
  if (observations === 0) return Number.NaN;
  let rank = q * observations;
  // sort.Search over all but the +Inf bucket: the first index whose count reaches the rank.
  let b = buckets.findIndex((bk, i) => i < buckets.length - 1 && bk.count >= rank);
  if (b === -1) b = buckets.length - 1;
  if (b === buckets.length - 1) return buckets[buckets.length - 2]?.le ?? Number.NaN;
  const bucket = buckets[b];
  if (bucket === undefined) return Number.NaN;
  if (b === 0 && bucket.le <= 0) return bucket.le;
  let start = 0;
  let count = bucket.count;
  const below = buckets[b - 1];
  if (below !== undefined) {
    start = below.le;
    count -= below.count;
    rank -= below.count;
  }
  return start + (bucket.le - start) * (rank / count);
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
