/**
 * The recent points of every stream, in memory, so that a graph or a service page over a recent window is
 * answered without touching SQLite (the live console asks for the last 1–10 minutes on every refresh).
 *
 * A point here is the same reset-corrected running total the store writes (metric-store.ts), so a window's rate
 * comes from its first and last point exactly as from the database. Points are kept while their sample time is
 * within `spanMs` of the wall clock. The cache is only consulted for windows it holds completely: windows that
 * start at or after `coverageStartMs`, the oldest sample time from which every point this process built is here
 * (it moves forward as old points are evicted; points from before this process started live only in SQLite).
 *
 * Memory layout: each stream keeps its points in one Float64Array, `stride` numbers per point (sample time,
 * ordinal, the 9 scalar counters, one running total per `le`), oldest first from `head`. A mesh of 25,000 streams
 * with 40 points each is then 25,000 long-lived objects rather than a million small ones: recording a point
 * allocates nothing, reading a window allocates nothing, and a full garbage collection has little to walk (with
 * an object and two arrays per point, marking the points was most of the graph's time under load; measured).
 */
import type { EdgeKey } from "./edge-key.js";
import { leValue } from "./metric-store-families.js";

/** Numbers before a point's scalars: sample time (ms) and ordinal. */
export const POINT_HEADER = 2;
/** SCALAR_FIELDS.length (metric-store-families.ts), checked there. */
export const POINT_SCALARS = 9;
/** Offset of a point's first bucket total. */
export const POINT_BUCKETS = POINT_HEADER + POINT_SCALARS;

export interface HotSeries {
  readonly streamId: number;
  readonly edgeKeyId: number;
  readonly key: EdgeKey;
  /** The stream's `le` list (shared, append-only): bucket i of a point belongs to les[i]. */
  les: readonly string[];
  /**
   * `les` as numbers (+Inf as Infinity), kept in step by `record`, so reads never parse bounds. Replaced, never
   * changed in place (read answers hold it), and interned: series with the same bounds share one frozen list.
   */
  leValues: readonly number[];
  /**
   * Points, sorted by time: point i (head ≤ i < head + count) starts at `i * stride`: [tsMs, ord, 9 scalars,
   * buckets]. A point recorded before the stream gained a bound holds 0 for it, as a shorter list read as 0 did.
   */
  data: Float64Array;
  stride: number;
  head: number;
  count: number;
  /**
   * The index of the first point of the last window read (forEachInWindow): a live graph asks for "the last 5
   * minutes" every few seconds, and its start usually still falls before the same point, so one or two probes
   * replace the binary search (whose probes were cache misses, one per point, on tens of thousands of streams).
   */
  firstHint: number;
  /**
   * The sample time of the point before the hint when it was set (-Infinity when the hint was the oldest point).
   * Points keep their index and time until evicted or moved (makeRoom, widen: these drop the hint), so checking the
   * hint needs no read of that point, which the window does not otherwise touch.
   */
  hintPrevMs: number;
}

/**
 * Called for each series with at least two points in a window, with the indices of its first and last point
 * there (their numbers start at `index * series.stride` in `series.data`).
 */
export type HotWindowVisitor = (series: HotSeries, first: number, last: number) => void;

const INITIAL_POINTS = 8;

export class HotPoints {
  private readonly series = new Map<number, HotSeries>();
  /** The same series in insertion order, for reading windows (iterating an array allocates nothing). */
  private list: HotSeries[] = [];
  private changes = 0;
  /** The first sample time recorded, raised by eviction. */
  private coverageStart = Number.POSITIVE_INFINITY;
  /** Points at or before this are (also) in the database only: streams restored after a restart. */
  private floorMs = Number.NEGATIVE_INFINITY;

  constructor(readonly spanMs: number) {}

  /**
   * Changes whenever an answer of `forEachInWindow` or `covers` could: a point recorded or rewritten, points
   * evicted, the floor moved, everything cleared. Readers memoise window answers on it (metric-store.ts).
   */
  get version(): number {
    return this.changes;
  }

  /** True when every point of windows starting at `startMs` is in memory. */
  covers(startMs: number): boolean {
    return this.spanMs > 0 && startMs >= this.coverageStart && startMs > this.floorMs;
  }

  /** A stream continues from the database, whose newest point is at `tsMs`: windows reaching back there need SQL. */
  noteStoredUntil(tsMs: number): void {
    if (tsMs > this.floorMs) {
      this.floorMs = tsMs;
      this.changes++;
    }
  }

  /** Records a point (or replaces the stream's newest point when it has the same time: a rewritten point). */
  record(
    stream: { id: number; edgeKeyId: number; key: EdgeKey; les: readonly string[] },
    tsMs: number,
    ord: number,
    scalars: ArrayLike<number>,
    buckets: ArrayLike<number>,
  ): void {
    if (this.spanMs <= 0) return;
    this.changes++;
    let s = this.series.get(stream.id);
    if (s === undefined) {
      const stride = POINT_BUCKETS + buckets.length;
      s = {
        streamId: stream.id,
        edgeKeyId: stream.edgeKeyId,
        key: stream.key,
        les: stream.les,
        leValues: NO_BOUNDS,
        data: new Float64Array(INITIAL_POINTS * stride),
        stride,
        head: 0,
        count: 0,
        firstHint: -1,
        hintPrevMs: Number.NEGATIVE_INFINITY,
      };
      this.series.set(stream.id, s);
      this.list.push(s);
    } else if (s.les !== stream.les) {
      // The stream state was rebuilt (after going stale): its list starts as the stored one, a superset.
      s.les = stream.les;
      s.leValues = NO_BOUNDS;
    }
    if (s.leValues.length !== s.les.length) s.leValues = internBounds(s.les);
    if (POINT_BUCKETS + buckets.length > s.stride) widen(s, POINT_BUCKETS + buckets.length);
    let at: number;
    if (s.count === 0 || tsMs > pointTime(s, s.head + s.count - 1)) {
      if (this.coverageStart === Number.POSITIVE_INFINITY) this.coverageStart = tsMs;
      if ((s.head + s.count + 1) * s.stride > s.data.length) makeRoom(s);
      at = s.head + s.count;
      s.count++;
    } else if (tsMs === pointTime(s, s.head + s.count - 1)) {
      at = s.head + s.count - 1;
    } else {
      // Older than the newest point: the store folds such samples into its newest point (rewritten above), so
      // this does not happen; keep the cache honest if it ever does by no longer claiming this range.
      this.coverageStart = Math.max(this.coverageStart, pointTime(s, s.head + s.count - 1) + 1);
      return;
    }
    const d = s.data;
    const o = at * s.stride;
    d[o] = tsMs;
    d[o + 1] = ord;
    for (let i = 0; i < POINT_SCALARS; i++) d[o + POINT_HEADER + i] = scalars[i] ?? 0;
    const nb = s.stride - POINT_BUCKETS;
    for (let i = 0; i < nb; i++) d[o + POINT_BUCKETS + i] = i < buckets.length ? (buckets[i] ?? 0) : 0;
  }

  /** Drops points with a sample time before `beforeMs` and series left empty. */
  evict(beforeMs: number): void {
    let emptied = false;
    for (const [id, s] of this.series) {
      let n = 0;
      while (n < s.count && pointTime(s, s.head + n) < beforeMs) n++;
      if (n > 0) {
        s.head += n;
        s.count -= n;
        this.changes++;
      }
      if (s.count === 0) {
        this.series.delete(id);
        emptied = true;
      }
    }
    // The order of the others is kept: it is the order a window's keys are summed in.
    if (emptied) this.list = this.list.filter((s) => s.count > 0);
    if (beforeMs > this.coverageStart) {
      this.coverageStart = beforeMs;
      this.changes++;
    }
  }

  /** Forgets everything (after a failed commit the store starts over from the database). */
  clear(): void {
    this.series.clear();
    this.list = [];
    this.coverageStart = Number.POSITIVE_INFINITY;
    this.floorMs = Number.NEGATIVE_INFINITY;
    this.changes++;
  }

  /**
   * Visits every series with at least two points in [startMs, endMs], with its first and last point there.
   * A callback with point indices rather than a generator of point objects: a graph over tens of thousands of
   * streams then allocates nothing per stream.
   */
  forEachInWindow(startMs: number, endMs: number, visit: HotWindowVisitor): void {
    const list = this.list;
    for (let i = 0; i < list.length; i++) {
      const s = list[i] as HotSeries;
      const newest = s.head + s.count - 1;
      // A live window ends at or after the newest point: then there is nothing to search for its end.
      const last = s.count > 0 && pointTime(s, newest) <= endMs ? newest : lowerBound(s, endMs + 1) - 1;
      const first = firstAtOrAfter(s, startMs);
      if (last <= first) continue;
      visit(s, first, last);
    }
  }

  get pointCount(): number {
    let n = 0;
    for (const s of this.series.values()) n += s.count;
    return n;
  }
}

function pointTime(s: HotSeries, index: number): number {
  return s.data[index * s.stride] ?? 0;
}

/**
 * Room for one more point at the end: the points move to the front of the buffer when evicted ones left at least
 * a quarter of it there, else into one half as large again. In the steady state (a point in, an old one evicted)
 * the buffer holds at most 2× the points, and the move (a memcpy of a few KB) comes at most every quarter buffer.
 */
function makeRoom(s: HotSeries): void {
  const capacity = s.data.length / s.stride;
  if ((s.count + 1) * 4 > capacity * 3) {
    const grown = new Float64Array(Math.max(INITIAL_POINTS, Math.ceil(capacity * 1.5)) * s.stride);
    grown.set(s.data.subarray(s.head * s.stride, (s.head + s.count) * s.stride));
    s.data = grown;
  } else {
    s.data.copyWithin(0, s.head * s.stride, (s.head + s.count) * s.stride);
  }
  s.head = 0;
  s.firstHint = -1;
}

/** Re-lays the points with room for more buckets per point; the new buckets of older points hold 0. */
function widen(s: HotSeries, stride: number): void {
  const data = new Float64Array(Math.max(INITIAL_POINTS, s.count * 2) * stride);
  for (let i = 0; i < s.count; i++) {
    const from = (s.head + i) * s.stride;
    data.set(s.data.subarray(from, from + s.stride), i * stride);
  }
  s.data = data;
  s.stride = stride;
  s.head = 0;
  s.firstHint = -1;
}

const NO_BOUNDS: readonly number[] = Object.freeze([]);

/** Bound lists by their text: a mesh has a handful of bucket layouts shared by thousands of series. */
const boundLists = new Map<string, readonly number[]>();
const MAX_BOUND_LISTS = 10_000;

function internBounds(les: readonly string[]): readonly number[] {
  const text = les.join("\n");
  let list = boundLists.get(text);
  if (list === undefined) {
    if (boundLists.size >= MAX_BOUND_LISTS) boundLists.clear();
    list = Object.freeze(les.map(leValue));
    boundLists.set(text, list);
  }
  return list;
}

/** lowerBound(s, t), trying the series' hint (the last window's first point) before searching; keeps the hint. */
function firstAtOrAfter(s: HotSeries, t: number): number {
  const h = s.firstHint;
  const end = s.head + s.count;
  if (h >= s.head && h <= end && (h === s.head || s.hintPrevMs < t) && (h === end || pointTime(s, h) >= t)) {
    return h;
  }
  const first = lowerBound(s, t);
  s.firstHint = first;
  s.hintPrevMs = first > s.head ? pointTime(s, first - 1) : Number.NEGATIVE_INFINITY;
  return first;
}

/** Index of the first point of the series with tsMs ≥ t. */
function lowerBound(s: HotSeries, t: number): number {
  let lo = s.head;
  let hi = s.head + s.count;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (pointTime(s, mid) < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
