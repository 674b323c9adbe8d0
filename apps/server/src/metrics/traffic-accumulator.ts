/**
 * Sums PromQL rates per edge key from each stream's first and last point in a window (metric-store.ts): the
 * stored points are reset-corrected running totals, so a stream's increase over any window is last − first, and
 * its rate is that increase extrapolated as PromQL's `rate()` does (metric-reader-rate.ts).
 *
 * Written for the all-namespace graph of a large mesh (tens of thousands of streams per request): histogram
 * bounds arrive as numbers (parsed once per stream, hot-points.ts), buckets are summed in plain arrays aligned to
 * the first stream's bounds, and nothing is allocated per stream beyond the per-key result row.
 */
import type { EdgeKey } from "./edge-key.js";
import type { HistogramBucket } from "./histogram.js";
import type { EdgeTraffic, TrafficHistogram } from "./metric-reader.js";
import { extrapolatedRate, type RateFrame, rateFrame } from "./metric-reader-rate.js";
import { SCALAR_FIELDS } from "./metric-store-families.js";

export interface WindowPoint {
  tsMs: number;
  ord: number;
  scalars: ArrayLike<number>;
  buckets: ArrayLike<number> | null;
}

interface KeyAcc {
  key: EdgeKey;
  /** Summed rates in SCALAR_FIELDS order. */
  scalars: Float64Array;
  /** Bucket bounds of the key in first-seen order: the first stream's (shared) list until another adds one. */
  les: readonly number[];
  ownLes: boolean;
  /** Summed rate per bound of `les` (grown when a bound is added). */
  rates: Float64Array;
}

// The row layout below spells out SCALAR_FIELDS' order; fail loudly at load time if that list ever changes.
if (SCALAR_FIELDS.length !== 9) throw new Error("traffic-accumulator.ts: SCALAR_FIELDS changed, update rows()");

const EMPTY_RATES = new Float64Array(0);
const NO_LES: readonly number[] = Object.freeze([]);

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

  constructor(key: EdgeKey, scalars: Float64Array, histogram: TrafficHistogram | undefined) {
    this.key = key;
    this.requestsPerSec = scalars[0] ?? 0;
    this.durationSumPerSec = scalars[1] ?? 0;
    this.durationCountPerSec = scalars[2] ?? 0;
    this.requestBytesPerSec = scalars[3] ?? 0;
    this.responseBytesPerSec = scalars[4] ?? 0;
    this.tcpSentBytesPerSec = scalars[5] ?? 0;
    this.tcpReceivedBytesPerSec = scalars[6] ?? 0;
    this.tcpOpenedPerSec = scalars[7] ?? 0;
    this.tcpClosedPerSec = scalars[8] ?? 0;
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

export class TrafficAccumulator {
  private readonly byKey = new Map<number, KeyAcc>();
  private readonly windowSec: number;
  // The rate frame of the last stream: streams scraped together share their sample times, so it is reused.
  private frameFirstMs = Number.NaN;
  private frameLastMs = Number.NaN;
  private frameSamples = -1;
  private frame: RateFrame | null = null;
  /** (interval / sampled) of the frame when the counter's zero point does not limit the extrapolation. */
  private factor = 0;

  constructor(
    private readonly startMs: number,
    private readonly endMs: number,
  ) {
    this.windowSec = (endMs - startMs) / 1000;
  }

  private frameFor(first: WindowPoint, last: WindowPoint): RateFrame | null {
    const samples = last.ord - first.ord + 1;
    if (first.tsMs === this.frameFirstMs && last.tsMs === this.frameLastMs && samples === this.frameSamples) {
      return this.frame;
    }
    this.frameFirstMs = first.tsMs;
    this.frameLastMs = last.tsMs;
    this.frameSamples = samples;
    const frame = rateFrame({
      startMs: this.startMs,
      endMs: this.endMs,
      firstTsMs: first.tsMs,
      lastTsMs: last.tsMs,
      samples,
    });
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
   * rate() of one counter, exactly extrapolatedRate (metric-reader-rate.ts): the frame's factor unless the
   * counter's zero point comes before the window start would (a young counter), then the full computation.
   */
  private rate(frame: RateFrame, f: number, last: number): number {
    const increase = Math.max(0, last - f);
    if (increase > 0 && f >= 0 && frame.sampledSec * (f / increase) < frame.toStartSec) {
      return extrapolatedRate(frame, f, increase);
    }
    return (increase * this.factor) / frame.windowSec;
  }

  /** One stream's window: `leValues[i]` is the bound of `buckets[i]` in both points. */
  add(edgeKeyId: number, key: EdgeKey, leValues: readonly number[], first: WindowPoint, last: WindowPoint): void {
    const frame = this.frameFor(first, last);
    if (frame === null) return;
    let acc = this.byKey.get(edgeKeyId);
    if (acc === undefined) {
      acc = { key, scalars: new Float64Array(9), les: NO_LES, ownLes: false, rates: EMPTY_RATES };
      this.byKey.set(edgeKeyId, acc);
    }
    const fs = first.scalars;
    const ls = last.scalars;
    const sums = acc.scalars;
    for (let i = 0; i < 9; i++) sums[i] = (sums[i] ?? 0) + this.rate(frame, fs[i] ?? 0, ls[i] ?? 0);
    const lb = last.buckets;
    if (lb === null) return;
    const fb = first.buckets;
    const n = Math.min(lb.length, leValues.length);
    if (n === 0) return;
    if (acc.les === NO_LES) {
      acc.les = leValues;
      acc.rates = new Float64Array(leValues.length);
    }
    for (let i = 0; i < n; i++) {
      const r = this.rate(frame, fb?.[i] ?? 0, lb[i] ?? 0);
      const le = leValues[i] ?? 0;
      const j = acc.les[i] === le ? i : boundIndex(acc, le);
      acc.rates[j] = (acc.rates[j] ?? 0) + r;
    }
  }

  rows(): EdgeTraffic[] {
    const out: EdgeTraffic[] = [];
    for (const acc of this.byKey.values()) {
      const histogram =
        acc.les.length === 0
          ? undefined
          : {
              les: acc.les,
              rates: acc.rates.length === acc.les.length ? acc.rates : acc.rates.slice(0, acc.les.length),
            };
      out.push(new TrafficRow(acc.key, acc.scalars, histogram));
    }
    return out;
  }
}

/** Index of `le` in the key's bounds, added (on the key's own copy of the list) when new. */
function boundIndex(acc: KeyAcc, le: number): number {
  const at = acc.les.indexOf(le);
  if (at >= 0) return at;
  if (!acc.ownLes) {
    acc.les = [...acc.les];
    acc.ownLes = true;
  }
  (acc.les as number[]).push(le);
  if (acc.rates.length < acc.les.length) {
    const grown = new Float64Array(acc.les.length * 2);
    grown.set(acc.rates);
    acc.rates = grown;
  }
  return acc.les.length - 1;
}
