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
  /** Where the series is in the cache's list (window views keep their copies by this index). */
  index: number;
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
 * Called for each series with at least two points in a window, with its first and last point there: `series.stride`
 * numbers each, laid out as in `series.data`, starting at `d[first]` and `d[last]`. `d` is the series' own data or
 * a window view's copies (see WindowView); either way the caller only reads it, during the call.
 */
export type HotWindowVisitor = (series: HotSeries, d: Float64Array, first: number, last: number) => void;

/** Window lengths whose views are kept (live graphs of a few window sizes at once); more replace the oldest. */
const MAX_WINDOW_VIEWS = 2;

/**
 * Copies of the first and newest point of every series in a live window of one length ("the last 5 minutes"), laid
 * out one after another in series order: a live graph reads one slot per series, in order, where reading the points
 * in each series' own buffer cost cache misses per series (the buffers lie all over the heap): bench:graph's
 * traffic read of 25,000 series took 9.5 ms that way and 3.6 ms from a view (measured). The copies stay right as
 * data arrives: `record` writes each series' newest point into its slot too, and a slot's first point is taken
 * again (from the series' buffer) once the window start has moved past it, which for a series scraped every
 * interval is once an interval; a graph asked less often than that gains little, and costs about what reading the
 * buffers did. A slot is for one stride: a series that gained a bucket gets a new slot. The view is laid out for
 * one list of series and starts again when the list changes (evict).
 */
class WindowView {
  list: readonly HotSeries[] = [];
  /** Per series (by index): where its slot starts in `data`, -1 for none; then 2 × slotStride[i] numbers. */
  at = new Int32Array(0);
  slotStride = new Int32Array(0);
  /** Per series: sample time of the first point copied, and of the point before it (-Infinity: none). */
  firstMs = new Float64Array(0);
  prevMs = new Float64Array(0);
  data = new Float64Array(0);
  used = 0;
  /** Numbers of `data` in slots no series points to any more. */
  garbage = 0;

  constructor(readonly lengthMs: number) {}

  /** Lays the view out for `list` (dropping every slot when it is another list), with room for all of it. */
  fit(list: readonly HotSeries[]): void {
    if (list !== this.list) {
      this.list = list;
      this.at = new Int32Array(0);
      this.slotStride = new Int32Array(0);
      this.firstMs = new Float64Array(0);
      this.prevMs = new Float64Array(0);
      this.data = new Float64Array(0);
      this.used = 0;
      this.garbage = 0;
    }
    const n = list.length;
    if (this.at.length >= n) return;
    const size = Math.max(n, this.at.length * 2);
    const had = this.at.length;
    this.at = grownTo(this.at, size);
    this.at.fill(-1, had);
    this.slotStride = grownTo(this.slotStride, size);
    this.firstMs = grownTo(this.firstMs, size);
    this.prevMs = grownTo(this.prevMs, size);
  }

  /** A slot of 2 × `stride` numbers for series i (its old one, if any, becomes garbage); returns where it starts. */
  allocate(i: number, stride: number): number {
    const old = this.at[i] as number;
    if (old >= 0) this.garbage += 2 * (this.slotStride[i] as number);
    const need = 2 * stride;
    if (this.used + need > this.data.length) {
      if (this.garbage * 2 > this.used) this.compact();
      if (this.used + need > this.data.length) {
        const data = new Float64Array(Math.max(this.data.length * 2, this.used + need, 1024));
        data.set(this.data.subarray(0, this.used));
        this.data = data;
      }
    }
    const at = this.used;
    this.used += need;
    this.at[i] = at;
    this.slotStride[i] = stride;
    return at;
  }

  /** Moves the live slots together, in series order (which is also the order a window reads them in). */
  private compact(): void {
    let used = 0;
    for (let i = 0; i < this.list.length; i++)
      used += (this.at[i] as number) >= 0 ? 2 * (this.slotStride[i] as number) : 0;
    const data = new Float64Array(Math.max(1024, used * 2));
    let to = 0;
    for (let i = 0; i < this.list.length; i++) {
      const from = this.at[i] as number;
      if (from < 0) continue;
      const n = 2 * (this.slotStride[i] as number);
      data.set(this.data.subarray(from, from + n), to);
      this.at[i] = to;
      to += n;
    }
    this.data = data;
    this.used = to;
    this.garbage = 0;
  }

  /**
   * Series s's points before `beforeMs` were evicted: a first point copied from among them is no longer the series'
   * (a window reaching back there is not answered from memory anyway, HotPoints.covers), so it is taken again.
   */
  noteEvicted(s: HotSeries, beforeMs: number): void {
    const i = s.index;
    if (i < this.at.length && this.list[i] === s && (this.firstMs[i] as number) < beforeMs) {
      this.firstMs[i] = Number.NEGATIVE_INFINITY;
    }
  }

  /** `record` wrote series s's newest point at s.data[o]: its slot's second point follows it. */
  noteNewest(s: HotSeries, o: number): void {
    const i = s.index;
    // A series added since the view was last read has no slot yet; one of another list is not this view's.
    if (i >= this.at.length || this.list[i] !== s) return;
    const at = this.at[i] as number;
    if (at < 0) return;
    const stride = s.stride;
    if (this.slotStride[i] !== stride) {
      this.at[i] = -1;
      this.garbage += 2 * (this.slotStride[i] as number);
      return;
    }
    copyNumbers(this.data, at + stride, s.data, o, stride);
  }
}

/** A copy of `a` with room for `n` entries (the new ones 0). */
export function grownTo<T extends Float64Array | Int32Array | Uint8Array>(a: T, n: number): T {
  const grown = new (a.constructor as new (n: number) => T)(n);
  grown.set(a);
  return grown;
}

/** dst[to + k] = src[from + k] for k < n (a loop: `set(subarray(...))` makes an object per call). */
function copyNumbers(dst: Float64Array, to: number, src: Float64Array, from: number, n: number): void {
  for (let k = 0; k < n; k++) dst[to + k] = src[from + k] ?? 0;
}

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
  /** Live window views, most recently used last. */
  private views: WindowView[] = [];

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
        index: this.list.length,
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
    // The point just written is the series' newest.
    for (const view of this.views) view.noteNewest(s, o);
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
        for (const view of this.views) view.noteEvicted(s, beforeMs);
      }
      if (s.count === 0) {
        this.series.delete(id);
        emptied = true;
      }
    }
    // The order of the others is kept: it is the order a window's keys are summed in.
    if (emptied) {
      this.list = this.list.filter((s) => s.count > 0);
      for (let i = 0; i < this.list.length; i++) (this.list[i] as HotSeries).index = i;
    }
    if (beforeMs > this.coverageStart) {
      this.coverageStart = beforeMs;
      this.changes++;
    }
  }

  /** Forgets everything (after a failed commit the store starts over from the database). */
  clear(): void {
    this.series.clear();
    this.list = [];
    this.views = [];
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
    for (let i = 0; i < list.length; i++) visitSeries(list[i] as HotSeries, startMs, endMs, visit);
  }

  /**
   * forEachInWindow for a live window (one asked again and again as time passes: "the last 5 minutes"), read from
   * the view of windows of its length, made on the first such call: the same series, points and order, with the
   * points read from the view's copies (WindowView).
   */
  forEachInLiveWindow(startMs: number, endMs: number, visit: HotWindowVisitor): void {
    const list = this.list;
    const view = this.viewOf(endMs - startMs);
    view.fit(list);
    for (let i = 0; i < list.length; i++) {
      const s = list[i] as HotSeries;
      const stride = s.stride;
      let at = view.at[i] as number;
      if (at >= 0 && view.slotStride[i] === stride) {
        const d = view.data;
        // The slot's second point is the series' newest (record keeps it so): the window's last when not after it.
        const lastMs = d[at + stride] ?? 0;
        if (lastMs <= endMs) {
          if (!((view.prevMs[i] as number) < startMs && startMs <= (view.firstMs[i] as number))) {
            // The window start moved past the copied first point (or back before it): copy the one it is at now.
            const first = firstAtOrAfter(s, startMs);
            if (first >= s.head + s.count - 1) continue;
            copyPoint(s, first, view, at);
          }
          if ((view.firstMs[i] as number) < lastMs) visit(s, d, at, at + stride);
          continue;
        }
      }
      if (s.count === 0) continue;
      const newest = s.head + s.count - 1;
      // A point after the window's end (a sender's clock ahead of ours): not the live case the view is for.
      if (pointTime(s, newest) > endMs) {
        visitSeries(s, startMs, endMs, visit);
        continue;
      }
      const first = firstAtOrAfter(s, startMs);
      if (newest <= first) continue;
      if (at < 0 || view.slotStride[i] !== stride) at = view.allocate(i, stride);
      copyNumbers(view.data, at + stride, s.data, newest * stride, stride);
      copyPoint(s, first, view, at);
      visit(s, view.data, at, at + stride);
    }
  }

  private viewOf(lengthMs: number): WindowView {
    const views = this.views;
    const k = views.findIndex((v) => v.lengthMs === lengthMs);
    const view = k >= 0 ? (views.splice(k, 1)[0] as WindowView) : new WindowView(lengthMs);
    if (views.length >= MAX_WINDOW_VIEWS) views.shift();
    views.push(view);
    return view;
  }

  get pointCount(): number {
    let n = 0;
    for (const s of this.series.values()) n += s.count;
    return n;
  }
}

/** Copies point `first` of series s into the first half of its slot in the view (at `at`), with its time bounds. */
function copyPoint(s: HotSeries, first: number, view: WindowView, at: number): void {
  const fo = first * s.stride;
  copyNumbers(view.data, at, s.data, fo, s.stride);
  view.firstMs[s.index] = s.data[fo] ?? 0;
  view.prevMs[s.index] = first > s.head ? pointTime(s, first - 1) : Number.NEGATIVE_INFINITY;
}

/** One series' window from its own points (forEachInWindow). */
function visitSeries(s: HotSeries, startMs: number, endMs: number, visit: HotWindowVisitor): void {
  const newest = s.head + s.count - 1;
  // A live window ends at or after the newest point: then there is nothing to search for its end.
  const last = s.count > 0 && pointTime(s, newest) <= endMs ? newest : lowerBound(s, endMs + 1) - 1;
  const first = firstAtOrAfter(s, startMs);
  if (last <= first) return;
  visit(s, s.data, first * s.stride, last * s.stride);
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
