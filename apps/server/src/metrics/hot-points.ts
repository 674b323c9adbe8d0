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
 * Memory: per point one small object and two arrays of doubles (9 counters + one value per `le`); at a 15 s scrape
 * and a 10 minute span that is 40 points per stream.
 */
import type { EdgeKey } from "./edge-key.js";
import { leValue } from "./metric-store-families.js";

export interface HotPoint {
  readonly tsMs: number;
  readonly ord: number;
  /**
   * Plain arrays of doubles, not Float64Arrays: a typed array over 64 bytes gets its own buffer outside the V8
   * heap, and allocating and finalising two of those per point was the largest main-thread cost of ingest.
   */
  readonly scalars: readonly number[];
  readonly buckets: readonly number[] | null;
}

export interface HotSeries {
  readonly streamId: number;
  readonly edgeKeyId: number;
  readonly key: EdgeKey;
  /** The stream's `le` list (shared, append-only): buckets[i] of a point belongs to les[i]. */
  les: readonly string[];
  /**
   * `les` as numbers (+Inf as Infinity), kept in step by `record`, so reads never parse bounds. Replaced, never
   * changed in place (read answers hold it), and interned: series with the same bounds share one frozen list.
   */
  leValues: readonly number[];
  /** Sorted by tsMs. */
  readonly points: HotPoint[];
}

/** Called for each series with at least two points in a window, with its first and last point there. */
export type HotWindowVisitor = (series: HotSeries, first: HotPoint, last: HotPoint) => void;

export class HotPoints {
  private readonly series = new Map<number, HotSeries>();
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
      s = {
        streamId: stream.id,
        edgeKeyId: stream.edgeKeyId,
        key: stream.key,
        les: stream.les,
        leValues: NO_BOUNDS,
        points: [],
      };
      this.series.set(stream.id, s);
    } else if (s.les !== stream.les) {
      // The stream state was rebuilt (after going stale): its list starts as the stored one, a superset.
      s.les = stream.les;
      s.leValues = NO_BOUNDS;
    }
    if (s.leValues.length !== s.les.length) s.leValues = internBounds(s.les);
    const point: HotPoint = {
      tsMs,
      ord,
      scalars: copyOf(scalars),
      buckets: buckets.length === 0 ? null : copyOf(buckets),
    };
    const newest = s.points.at(-1);
    if (newest === undefined || tsMs > newest.tsMs) {
      if (this.coverageStart === Number.POSITIVE_INFINITY) this.coverageStart = tsMs;
      s.points.push(point);
    } else if (tsMs === newest.tsMs) {
      s.points[s.points.length - 1] = point;
    } else {
      // Older than the newest point: the store folds such samples into its newest point (rewritten above), so
      // this does not happen; keep the cache honest if it ever does by no longer claiming this range.
      this.coverageStart = Math.max(this.coverageStart, newest.tsMs + 1);
    }
  }

  /** Drops points with a sample time before `beforeMs` and series left empty. */
  evict(beforeMs: number): void {
    for (const [id, s] of this.series) {
      let n = 0;
      while (n < s.points.length && (s.points[n]?.tsMs ?? 0) < beforeMs) n++;
      if (n > 0) {
        s.points.splice(0, n);
        this.changes++;
      }
      if (s.points.length === 0) this.series.delete(id);
    }
    if (beforeMs > this.coverageStart) {
      this.coverageStart = beforeMs;
      this.changes++;
    }
  }

  /** Forgets everything (after a failed commit the store starts over from the database). */
  clear(): void {
    this.series.clear();
    this.coverageStart = Number.POSITIVE_INFINITY;
    this.floorMs = Number.NEGATIVE_INFINITY;
    this.changes++;
  }

  /**
   * Visits every series with at least two points in [startMs, endMs], with its first and last point there.
   * A callback rather than a generator: a graph over tens of thousands of streams allocated one result object
   * per stream per request, and that garbage was a large share of the request's time.
   */
  forEachInWindow(startMs: number, endMs: number, visit: HotWindowVisitor): void {
    for (const s of this.series.values()) {
      const pts = s.points;
      const firstIdx = lowerBound(pts, startMs);
      const lastIdx = lowerBound(pts, endMs + 1) - 1;
      if (lastIdx <= firstIdx) continue;
      const first = pts[firstIdx];
      const last = pts[lastIdx];
      if (first === undefined || last === undefined) continue;
      visit(s, first, last);
    }
  }

  get pointCount(): number {
    let n = 0;
    for (const s of this.series.values()) n += s.points.length;
    return n;
  }
}

const NO_BOUNDS: readonly number[] = Object.freeze([]);

/** A copy as a plain array (a slice when it is one: a memcpy for an array of doubles). */
function copyOf(values: ArrayLike<number>): number[] {
  return Array.isArray(values) ? values.slice() : Array.prototype.slice.call(values);
}

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

/** Index of the first point with tsMs ≥ t (points sorted by time). */
function lowerBound(points: readonly HotPoint[], t: number): number {
  let lo = 0;
  let hi = points.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((points[mid]?.tsMs ?? 0) < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
