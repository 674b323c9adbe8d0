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
import type { EdgeTraffic } from "./metric-reader.js";
import { extrapolatedRate, type RateFrame, rateFrame } from "./metric-reader-rate.js";
import { SCALAR_FIELDS } from "./metric-store-families.js";

export interface WindowPoint {
  tsMs: number;
  ord: number;
  scalars: ArrayLike<number>;
  buckets: ArrayLike<number> | null;
}

interface KeyAcc {
  row: EdgeTraffic;
  /** Bucket bounds seen for the key, in first-seen order, and the summed rate of each. */
  les: number[];
  rates: number[];
}

function emptyTraffic(key: EdgeKey): EdgeTraffic {
  return {
    key,
    requestsPerSec: 0,
    durationSumPerSec: 0,
    durationCountPerSec: 0,
    durationBuckets: [],
    requestBytesPerSec: 0,
    responseBytesPerSec: 0,
    tcpSentBytesPerSec: 0,
    tcpReceivedBytesPerSec: 0,
    tcpOpenedPerSec: 0,
    tcpClosedPerSec: 0,
  };
}

/** rate() of scalar counter `i` of a stream (SCALAR_FIELDS order). */
function scalarRate(frame: RateFrame, first: WindowPoint, last: WindowPoint, i: number): number {
  const f = first.scalars[i] ?? 0;
  return extrapolatedRate(frame, f, Math.max(0, (last.scalars[i] ?? 0) - f));
}

/** Adds per-field rates (SCALAR_FIELDS order) to a row. */
function addScalarRates(row: EdgeTraffic, frame: RateFrame, first: WindowPoint, last: WindowPoint): void {
  row.requestsPerSec += scalarRate(frame, first, last, 0);
  row.durationSumPerSec += scalarRate(frame, first, last, 1);
  row.durationCountPerSec += scalarRate(frame, first, last, 2);
  row.requestBytesPerSec += scalarRate(frame, first, last, 3);
  row.responseBytesPerSec += scalarRate(frame, first, last, 4);
  row.tcpSentBytesPerSec += scalarRate(frame, first, last, 5);
  row.tcpReceivedBytesPerSec += scalarRate(frame, first, last, 6);
  row.tcpOpenedPerSec += scalarRate(frame, first, last, 7);
  row.tcpClosedPerSec += scalarRate(frame, first, last, 8);
}

// The row layout above spells out SCALAR_FIELDS' order; fail loudly at load time if that list ever changes.
if (SCALAR_FIELDS.length !== 9) throw new Error("traffic-accumulator.ts: SCALAR_FIELDS changed, update addScalarRates");

/** Index of `le` in the key's bounds: usually where the stream has it (streams of a key share their bounds). */
function boundIndex(acc: KeyAcc, le: number, hint: number): number {
  if (acc.les[hint] === le) return hint;
  const at = acc.les.indexOf(le);
  if (at >= 0) return at;
  acc.les.push(le);
  acc.rates.push(0);
  return acc.les.length - 1;
}

/** Cumulative buckets sorted by bound, as histogram_quantile reads them. */
function sortedBuckets(les: readonly number[], rates: readonly number[]): HistogramBucket[] {
  const out: HistogramBucket[] = new Array(les.length);
  let sorted = true;
  for (let i = 0; i < les.length; i++) {
    out[i] = { le: les[i] ?? 0, count: rates[i] ?? 0 };
    if (i > 0 && (les[i] ?? 0) < (les[i - 1] ?? 0)) sorted = false;
  }
  return sorted ? out : out.sort((a, b) => a.le - b.le);
}

export class TrafficAccumulator {
  private readonly byKey = new Map<number, KeyAcc>();

  constructor(
    private readonly startMs: number,
    private readonly endMs: number,
  ) {}

  /** One stream's window: `leValues[i]` is the bound of `buckets[i]` in both points. */
  add(edgeKeyId: number, key: EdgeKey, leValues: readonly number[], first: WindowPoint, last: WindowPoint): void {
    const frame = rateFrame({
      startMs: this.startMs,
      endMs: this.endMs,
      firstTsMs: first.tsMs,
      lastTsMs: last.tsMs,
      samples: last.ord - first.ord + 1,
    });
    if (frame === null) return;
    let acc = this.byKey.get(edgeKeyId);
    if (acc === undefined) {
      acc = { row: emptyTraffic(key), les: [], rates: [] };
      this.byKey.set(edgeKeyId, acc);
    }
    addScalarRates(acc.row, frame, first, last);
    const lb = last.buckets;
    if (lb === null) return;
    const fb = first.buckets;
    const n = Math.min(lb.length, leValues.length);
    for (let i = 0; i < n; i++) {
      const f = fb?.[i] ?? 0;
      const r = extrapolatedRate(frame, f, Math.max(0, (lb[i] ?? 0) - f));
      const j = boundIndex(acc, leValues[i] ?? 0, i);
      acc.rates[j] = (acc.rates[j] ?? 0) + r;
    }
  }

  rows(): EdgeTraffic[] {
    const out: EdgeTraffic[] = [];
    for (const { row, les, rates } of this.byKey.values()) {
      if (les.length > 0) row.durationBuckets = sortedBuckets(les, rates);
      out.push(row);
    }
    return out;
  }
}
