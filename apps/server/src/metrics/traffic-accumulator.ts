/**
 * Sums PromQL rates per edge key from each stream's first and last point in a window (metric-store.ts): the
 * stored points are reset-corrected running totals, so a stream's increase over any window is last − first, and
 * its rate is that increase extrapolated as PromQL's `rate()` does (metric-reader-rate.ts).
 *
 * Written for the all-namespace graph of a large mesh (tens of thousands of streams per request): points are read
 * where they lie (hot-points.ts keeps each stream's points in one Float64Array), histogram bounds arrive as
 * numbers (parsed once per stream), the sums of every key live in two growing Float64Arrays (9 scalars per key;
 * each key's bucket rates, aligned to its first stream's bounds), and nothing is allocated per stream or per key:
 * the answer is those arrays as a TrafficTable (metric-reader.ts); `rowsOf` makes rows from it for the readers
 * that want objects.
 */
import type { EdgeKey } from "./edge-key.js";
import type { HistogramBucket } from "./histogram.js";
import { grownTo, type HotSeries, POINT_BUCKETS, POINT_HEADER, POINT_SCALARS } from "./hot-points.js";
import type { EdgeTraffic, TrafficHistogram, TrafficTable } from "./metric-reader.js";
import { extrapolatedRate, type RateFrame, rateFrame } from "./metric-reader-rate.js";
import { SCALAR_FIELDS } from "./metric-store-families.js";

export interface WindowPoint {
  tsMs: number;
  ord: number;
  scalars: ArrayLike<number>;
  buckets: ArrayLike<number> | null;
}

// The row layout below spells out SCALAR_FIELDS' order; fail loudly at load time if that list ever changes.
if (SCALAR_FIELDS.length !== 9) throw new Error("traffic-accumulator.ts: SCALAR_FIELDS changed, update rows()");

const NO_LES: readonly number[] = Object.freeze([]);
/** Key ids below this are looked up in a typed array (at most 4 bytes each, grown to the largest id seen). */
const DENSE_KEY_IDS = 1 << 22;

/** Cumulative buckets sorted by bound, as histogram_quantile reads them. */
function sortedBuckets(les: readonly number[], rates: ArrayLike<number>): HistogramBucket[] {
  const out: HistogramBucket[] = new Array(les.length);
  let sorted = true;
  for (let i = 0; i < les.length; i++) {
    out[i] = { le: les[i] ?? 0, count: rates[i] ?? 0 };
    if (i > 0 && (les[i] ?? 0) < (les[i - 1] ?? 0)) sorted = false;
  }
  return sorted ? out : out.sort((a, b) => a.le - b.le);
}

/** Bucket objects of rows already asked for them (kept off the row, so two equal rows stay equal). */
const builtBuckets = new WeakMap<TrafficRow, HistogramBucket[]>();

/**
 * A row whose `durationBuckets` is built from its histogram on first read: the graph reads `histogram` directly
 * (edge-metrics.ts), so the per-bound objects of tens of thousands of keys are only made for callers that want
 * them. A class with the getter on its prototype: every row shares one shape (a getter defined per object gives
 * each row its own hidden class, and every read of every row turned slow).
 */
class TrafficRow implements EdgeTraffic {
  readonly key: EdgeKey;
  readonly requestsPerSec: number;
  readonly durationSumPerSec: number;
  readonly durationCountPerSec: number;
  readonly requestBytesPerSec: number;
  readonly responseBytesPerSec: number;
  readonly tcpSentBytesPerSec: number;
  readonly tcpReceivedBytesPerSec: number;
  readonly tcpOpenedPerSec: number;
  readonly tcpClosedPerSec: number;
  readonly histogram: TrafficHistogram | undefined;

  /** The 9 scalar rates are `scalars[at]` to `scalars[at + 8]`. */
  constructor(key: EdgeKey, scalars: Float64Array, at: number, histogram: TrafficHistogram | undefined) {
    this.key = key;
    this.requestsPerSec = scalars[at] ?? 0;
    this.durationSumPerSec = scalars[at + 1] ?? 0;
    this.durationCountPerSec = scalars[at + 2] ?? 0;
    this.requestBytesPerSec = scalars[at + 3] ?? 0;
    this.responseBytesPerSec = scalars[at + 4] ?? 0;
    this.tcpSentBytesPerSec = scalars[at + 5] ?? 0;
    this.tcpReceivedBytesPerSec = scalars[at + 6] ?? 0;
    this.tcpOpenedPerSec = scalars[at + 7] ?? 0;
    this.tcpClosedPerSec = scalars[at + 8] ?? 0;
    this.histogram = histogram;
  }

  get durationBuckets(): HistogramBucket[] {
    const h = this.histogram;
    if (h === undefined) return [];
    let built = builtBuckets.get(this);
    if (built === undefined) {
      built = sortedBuckets(h.les, h.rates);
      builtBuckets.set(this, built);
    }
    return built;
  }
}

/** How large an accumulator's arrays grew: a hint for the next one over the same keys (see the constructor). */
export interface AccumulatorSizes {
  readonly keys: number;
  readonly rates: number;
  readonly keyIds: number;
}

/**
 * The typed arrays of an accumulator whose answer is read at once and dropped (EdgeTrafficQuery.transient: the
 * live graph), kept for the next such accumulator. A live graph of 20,000 keys needs ~3.5 MB of them per request;
 * allocated anew each time, they made V8 run a young-generation collection for "external memory pressure" in
 * every second request, inside the reading of the traffic (measured: +5 ms on those requests).
 */
export class TrafficScratch {
  slotByKeyId = new Int32Array(0);
  scalars = new Float64Array(0);
  ownLes = new Uint8Array(0);
  rateAt = new Int32Array(0);
  rateRoom = new Int32Array(0);
  rates = new Float64Array(0);
}

/**
 * Every array below starts small and doubles as needed: a service page makes one accumulator per step (up to
 * 11,000 of them, a few keys each), the all-namespace graph one with tens of thousands of keys. Given the sizes
 * of the previous answer to the same kind of query, the arrays start at those sizes instead: a live graph over
 * 20,000 keys then copies none of them while it grows.
 */
export class TrafficAccumulator {
  /**
   * Edge key id → its slot + 1 (0: none yet), for ids below DENSE_KEY_IDS (the store numbers keys from 1 up);
   * a Map for any others. The arrays below are indexed by slot.
   */
  private slotByKeyId = new Int32Array(64);
  private readonly otherSlots = new Map<number, number>();
  /**
   * Slots in use. `keys` and `les` are sized up front from the hint (a holey array filled by index and cut to
   * `slots` by `table`): pushing 20,000 keys onto each grew and copied them ~a megabyte per graph (measured).
   */
  private slots = 0;
  private readonly keys: EdgeKey[];
  /** Summed rates in SCALAR_FIELDS order, 9 per slot. */
  private scalars = new Float64Array(9 * 16);
  /** Bucket bounds of each key in first-seen order: the first stream's (shared) list until another adds one. */
  private readonly les: (readonly number[])[];
  private ownLes = new Uint8Array(16);
  /** Where each key's bucket rates start in `rates` (-1: none yet), and room for how many. */
  private rateAt = new Int32Array(16);
  private rateRoom = new Int32Array(16);
  private rates = new Float64Array(256);
  private ratesUsed = 0;
  /** For `add`: a first and a last point laid out as hot-points.ts lays them. */
  private scratch = new Float64Array(2 * POINT_BUCKETS);
  // The rate frame of the last stream: streams scraped together share their sample times, so it is reused.
  private frameFirstMs = Number.NaN;
  private frameLastMs = Number.NaN;
  private frameSamples = -1;
  private frame: RateFrame | null = null;
  /** (interval / sampled) of the frame when the counter's zero point does not limit the extrapolation. */
  private factor = 0;

  /**
   * With `scratch`, the arrays are taken from it (and the grown ones left in it by `table`): the answer is then
   * valid only until the next accumulator given the same scratch. Each slot's numbers and each key's bucket rates
   * are zeroed when they are first used (slotOf, reserveRates), so reused arrays need no clearing but the key map.
   */
  constructor(
    private readonly startMs: number,
    private readonly endMs: number,
    sizes?: AccumulatorSizes,
    private readonly reuse?: TrafficScratch,
  ) {
    this.keys = sizes !== undefined && sizes.keys > 0 ? new Array(sizes.keys) : [];
    this.les = sizes !== undefined && sizes.keys > 0 ? new Array(sizes.keys) : [];
    if (reuse !== undefined) {
      reuse.slotByKeyId.fill(0);
      if (reuse.slotByKeyId.length > this.slotByKeyId.length) this.slotByKeyId = reuse.slotByKeyId;
      if (reuse.rateAt.length > this.rateAt.length) {
        this.scalars = reuse.scalars;
        this.ownLes = reuse.ownLes;
        this.rateAt = reuse.rateAt;
        this.rateRoom = reuse.rateRoom;
      }
      if (reuse.rates.length > this.rates.length) this.rates = reuse.rates;
    }
    if (sizes !== undefined) {
      if (sizes.keys > this.rateAt.length) {
        this.scalars = new Float64Array(9 * sizes.keys);
        this.rateAt = new Int32Array(sizes.keys);
        this.rateRoom = new Int32Array(sizes.keys);
        this.ownLes = new Uint8Array(sizes.keys);
      }
      if (sizes.rates > this.rates.length) this.rates = new Float64Array(sizes.rates);
      if (sizes.keyIds > this.slotByKeyId.length && sizes.keyIds <= DENSE_KEY_IDS) {
        this.slotByKeyId = new Int32Array(sizes.keyIds);
      }
    }
  }

  /** What this accumulator needed (for the next one's constructor). */
  sizes(): AccumulatorSizes {
    return { keys: this.slots, rates: this.ratesUsed, keyIds: this.slotByKeyId.length };
  }

  /**
   * The rate frame of the points at d[fo] and d[lo] (time and ordinal first). Read here rather than passed in: a
   * sample time is no small integer, and as an argument of a call V8 does not inline it becomes a heap number.
   */
  private frameFor(d: Float64Array, fo: number, lo: number): RateFrame | null {
    const firstTsMs = d[fo] ?? 0;
    const lastTsMs = d[lo] ?? 0;
    const samples = (d[lo + 1] ?? 0) - (d[fo + 1] ?? 0) + 1;
    if (firstTsMs === this.frameFirstMs && lastTsMs === this.frameLastMs && samples === this.frameSamples) {
      return this.frame;
    }
    this.frameFirstMs = firstTsMs;
    this.frameLastMs = lastTsMs;
    this.frameSamples = samples;
    const frame = rateFrame({ startMs: this.startMs, endMs: this.endMs, firstTsMs, lastTsMs, samples });
    this.frame = frame;
    if (frame !== null) {
      // extrapolatedRate's interval when `toStart` is not cut by the zero point, summed in the same order.
      const threshold = frame.averageSec * 1.1;
      let interval = frame.sampledSec;
      interval += frame.toStartSec < threshold ? frame.toStartSec : frame.averageSec / 2;
      interval += frame.toEndSec < threshold ? frame.toEndSec : frame.averageSec / 2;
      this.factor = interval / frame.sampledSec;
    }
    return frame;
  }

  /**
   * Adds the rates of `n` counters (first value d[fo + i], last d[lo + i]) to sums[at + i]: exactly
   * extrapolatedRate (metric-reader-rate.ts), as the frame's factor unless the counter's zero point comes before
   * the window start would (a young counter), then the full computation. One loop rather than a call per counter:
   * a rate returned from a call V8 does not inline is a new heap number (~40,000 per graph, measured).
   * A counter that did not grow adds a rate of exactly 0 (most of a request stream's 9 are idle): skipped.
   */
  private addRates(
    frame: RateFrame,
    d: Float64Array,
    fo: number,
    lo: number,
    n: number,
    sums: Float64Array,
    at: number,
  ): void {
    const factor = this.factor;
    const { sampledSec, toStartSec, windowSec } = frame;
    for (let i = 0; i < n; i++) {
      const f = d[fo + i] ?? 0;
      const l = d[lo + i] ?? 0;
      if (!(l > f)) continue;
      const increase = l - f;
      const rate =
        f >= 0 && sampledSec * (f / increase) < toStartSec
          ? extrapolatedRate(frame, f, increase)
          : (increase * factor) / windowSec;
      sums[at + i] = (sums[at + i] ?? 0) + rate;
    }
  }

  /** One hot stream's window: its first and last point, at d[first] and d[last] (HotWindowVisitor, hot-points.ts). */
  addHot(series: HotSeries, d: Float64Array, first: number, last: number): void {
    this.addPoints(series.edgeKeyId, series.key, series.leValues, d, first, last, series.stride);
  }

  /** One stream's window read from the database: `leValues[i]` is the bound of `buckets[i]` in both points. */
  add(edgeKeyId: number, key: EdgeKey, leValues: readonly number[], first: WindowPoint, last: WindowPoint): void {
    const nb = last.buckets?.length ?? 0;
    const stride = POINT_BUCKETS + nb;
    if (this.scratch.length < 2 * stride) this.scratch = new Float64Array(2 * stride);
    const d = this.scratch;
    let o = 0;
    for (const p of [first, last]) {
      d[o] = p.tsMs;
      d[o + 1] = p.ord;
      for (let i = 0; i < POINT_SCALARS; i++) d[o + POINT_HEADER + i] = p.scalars[i] ?? 0;
      // A first point with fewer buckets than the last reads 0 for the missing ones.
      for (let i = 0; i < nb; i++) d[o + POINT_BUCKETS + i] = p.buckets?.[i] ?? 0;
      o += stride;
    }
    this.addPoints(edgeKeyId, key, leValues, d, 0, stride, stride);
  }

  private slotOf(edgeKeyId: number, key: EdgeKey): number {
    const dense = edgeKeyId >= 0 && edgeKeyId < DENSE_KEY_IDS && Number.isInteger(edgeKeyId);
    if (dense && edgeKeyId < this.slotByKeyId.length) {
      const known = this.slotByKeyId[edgeKeyId] as number;
      if (known > 0) return known - 1;
    } else if (!dense) {
      const known = this.otherSlots.get(edgeKeyId);
      if (known !== undefined) return known;
    }
    const slot = this.slots++;
    if (dense) {
      if (edgeKeyId >= this.slotByKeyId.length) {
        let size = this.slotByKeyId.length * 2;
        while (size <= edgeKeyId) size *= 2;
        const grown = new Int32Array(size);
        grown.set(this.slotByKeyId);
        this.slotByKeyId = grown;
      }
      this.slotByKeyId[edgeKeyId] = slot + 1;
    } else this.otherSlots.set(edgeKeyId, slot);
    this.keys[slot] = key;
    this.les[slot] = NO_LES;
    if (slot >= this.rateAt.length) {
      const room = this.rateAt.length * 2;
      this.scalars = grownTo(this.scalars, room * 9);
      this.rateAt = grownTo(this.rateAt, room);
      this.rateRoom = grownTo(this.rateRoom, room);
      this.ownLes = grownTo(this.ownLes, room);
    }
    // The arrays may be reused (TrafficScratch): a new slot starts from zero.
    this.scalars.fill(0, slot * 9, slot * 9 + 9);
    this.ownLes[slot] = 0;
    this.rateRoom[slot] = 0;
    this.rateAt[slot] = -1;
    return slot;
  }

  /** Room for `n` more bucket rates at the end of `rates`; returns where they start. */
  private reserveRates(n: number): number {
    if (this.ratesUsed + n > this.rates.length) {
      const grown = new Float64Array(Math.max(this.rates.length * 2, this.ratesUsed + n));
      grown.set(this.rates.subarray(0, this.ratesUsed));
      this.rates = grown;
    }
    const at = this.ratesUsed;
    this.ratesUsed += n;
    this.rates.fill(0, at, at + n);
    return at;
  }

  /** A stream's first and last point: d[fo…] and d[lo…], `stride` numbers each, laid out as in hot-points.ts. */
  private addPoints(
    edgeKeyId: number,
    key: EdgeKey,
    leValues: readonly number[],
    d: Float64Array,
    fo: number,
    lo: number,
    stride: number,
  ): void {
    const frame = this.frameFor(d, fo, lo);
    if (frame === null) return;
    const slot = this.slotOf(edgeKeyId, key);
    const sums = this.scalars;
    const so = slot * 9;
    this.addRates(frame, d, fo + POINT_HEADER, lo + POINT_HEADER, POINT_SCALARS, sums, so);
    const n = Math.min(stride - POINT_BUCKETS, leValues.length);
    if (n === 0) return;
    let keyLes = this.les[slot] as readonly number[];
    if (keyLes === NO_LES) {
      keyLes = leValues;
      this.les[slot] = leValues;
      this.rateAt[slot] = this.reserveRates(leValues.length);
      this.rateRoom[slot] = leValues.length;
    }
    const bo = fo + POINT_BUCKETS;
    const bl = lo + POINT_BUCKETS;
    if (keyLes === leValues) {
      // The key's bounds are this stream's (interned) list: bucket i adds to bound i. Nearly every stream.
      this.addRates(frame, d, bo, bl, n, this.rates, this.rateAt[slot] as number);
      return;
    }
    for (let i = 0; i < n; i++) {
      const le = leValues[i] ?? 0;
      // The bound joins the key's list even when its rate is 0: histogram_quantile reads every bound.
      const j = (this.les[slot] as readonly number[])[i] === le ? i : this.boundIndex(slot, le);
      this.addRates(frame, d, bo + i, bl + i, 1, this.rates, (this.rateAt[slot] as number) + j);
    }
  }

  /** Index of `le` in the key's bounds, added (on the key's own copy of the list) when new. */
  private boundIndex(slot: number, le: number): number {
    const current = this.les[slot] as readonly number[];
    const at = current.indexOf(le);
    if (at >= 0) return at;
    const own = this.ownLes[slot] === 1 ? (current as number[]) : [...current];
    this.les[slot] = own;
    this.ownLes[slot] = 1;
    own.push(le);
    if (own.length > (this.rateRoom[slot] as number)) {
      // Moved to the end with room to grow; the old place is left unused.
      const from = this.rateAt[slot] as number;
      const room = own.length * 2;
      const to = this.reserveRates(room);
      this.rates.copyWithin(to, from, from + own.length - 1);
      this.rateAt[slot] = to;
      this.rateRoom[slot] = room;
    }
    return own.length - 1;
  }

  /** The sums as a TrafficTable (the accumulator is done: its arrays are handed over, not copied). */
  table(): TrafficTable {
    this.keys.length = this.slots;
    this.les.length = this.slots;
    const reuse = this.reuse;
    if (reuse !== undefined) {
      reuse.slotByKeyId = this.slotByKeyId;
      reuse.scalars = this.scalars;
      reuse.ownLes = this.ownLes;
      reuse.rateAt = this.rateAt;
      reuse.rateRoom = this.rateRoom;
      reuse.rates = this.rates;
    }
    return {
      keys: this.keys,
      scalars: this.scalars,
      les: this.les,
      rateAt: this.rateAt,
      rates: this.rates,
    };
  }
}

/** One EdgeTraffic row per slot of a table (views of its rates; the table is never written after). */
export function rowsOf(table: TrafficTable): EdgeTraffic[] {
  const out: EdgeTraffic[] = new Array(table.keys.length);
  for (let slot = 0; slot < table.keys.length; slot++) {
    const les = table.les[slot] ?? NO_LES;
    const at = table.rateAt[slot] ?? 0;
    const histogram = les.length === 0 ? undefined : { les, rates: table.rates.subarray(at, at + les.length) };
    out[slot] = new TrafficRow(table.keys[slot] as EdgeKey, table.scalars, slot * 9, histogram);
  }
  return out;
}

/** Tables of frozen row arrays, so a shared input keeps one table (and the graph memo keyed on it works). */
const tablesOfFrozenRows = new WeakMap<readonly EdgeTraffic[], TrafficTable>();

/**
 * The table of rows made elsewhere (tests, callers that built their own rows): buckets from `histogram` when the
 * row has it, else from `durationBuckets`. Frozen when the rows are, and then made once per array.
 */
export function tableOfRows(rows: readonly EdgeTraffic[]): TrafficTable {
  const frozen = Object.isFrozen(rows);
  if (frozen) {
    const known = tablesOfFrozenRows.get(rows);
    if (known !== undefined) return known;
  }
  const n = rows.length;
  const scalars = new Float64Array(9 * n);
  const les: (readonly number[])[] = new Array(n);
  const rateAt = new Int32Array(n);
  let size = 0;
  for (const t of rows) size += t.histogram?.les.length ?? t.durationBuckets.length;
  const rates = new Float64Array(size);
  let used = 0;
  for (let i = 0; i < n; i++) {
    const t = rows[i] as EdgeTraffic;
    const o = i * 9;
    scalars[o] = t.requestsPerSec;
    scalars[o + 1] = t.durationSumPerSec;
    scalars[o + 2] = t.durationCountPerSec;
    scalars[o + 3] = t.requestBytesPerSec;
    scalars[o + 4] = t.responseBytesPerSec;
    scalars[o + 5] = t.tcpSentBytesPerSec;
    scalars[o + 6] = t.tcpReceivedBytesPerSec;
    scalars[o + 7] = t.tcpOpenedPerSec;
    scalars[o + 8] = t.tcpClosedPerSec;
    rateAt[i] = used;
    const h = t.histogram;
    if (h !== undefined) {
      les[i] = h.les;
      for (let j = 0; j < h.les.length; j++) rates[used + j] = h.rates[j] ?? 0;
      used += h.les.length;
    } else {
      const buckets = t.durationBuckets;
      les[i] = buckets.length === 0 ? NO_LES : buckets.map((b) => b.le);
      for (let j = 0; j < buckets.length; j++) rates[used + j] = buckets[j]?.count ?? 0;
      used += buckets.length;
    }
  }
  const table: TrafficTable = { keys: rows.map((t) => t.key), scalars, les, rateAt, rates };
  if (frozen) {
    Object.freeze(table);
    tablesOfFrozenRows.set(rows, table);
  }
  return table;
}
