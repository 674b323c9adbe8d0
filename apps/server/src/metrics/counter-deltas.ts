/**
 * Cumulative counters → per-sample increases, with Prometheus' counter semantics (the `increase()`/`rate()`
 * functions in promql/functions.go):
 *  - the first sample of a series is a baseline: nothing before it, so it yields no increase;
 *  - a value below the previous one is a counter reset: the increase is the new value (the counter restarted
 *    from 0), exactly what `rate()` adds for a reset;
 *  - samples at or before the series' last timestamp are dropped (Prometheus rejects out-of-order samples);
 *  - NaN and ±Inf are ignored;
 *  - a series absent from a complete scrape of its source, or without a sample for `staleAfterMs`, is
 *    forgotten; when it comes back its first sample is a new baseline. (Prometheus keeps the series and would
 *    count a reappearing counter that restarted as a reset; the difference is at most the value the counter
 *    had at its first sample after the gap.)
 *  - delta temporality (OTLP delta sums/histograms): each value already is an increase and is taken as-is.
 *
 * State is in memory and bounded: at most `maxSeriesPerMetric` live series per (source, family); new series
 * past that are refused (and counted) until old ones go stale. After a restart the state is empty, so the first
 * sample of every series is a baseline again: the increase between the last sample before the restart and the
 * first one after it is lost (one scrape interval plus the downtime).
 *
 * Series identity is (source, family, labels without `le`): the `_bucket`, `_sum` and `_count` series of one
 * histogram share a group, with one entry per bucket, so the limit counts label sets, not buckets.
 */
import type { MetricFamily } from "./metric-store-families.js";

export interface CounterDeltasOptions {
  /** Live series allowed per (source, family). Default 50,000. */
  maxSeriesPerMetric?: number;
  /** Forget a series after this long without a sample (wall clock). Default 5 minutes, Prometheus' lookback. */
  staleAfterMs?: number;
}

/** One counter of a series group: its last raw value and that sample's timestamp. */
export interface CounterEntry {
  value: number;
  tsMs: number;
}

export interface SeriesGroup<P> {
  readonly key: string;
  readonly source: string;
  readonly family: MetricFamily;
  /** What the caller attaches to the series (the metric store: the stream it feeds). */
  readonly payload: P;
  lastSeenWallMs: number;
  lastBatch: number;
  /** Set when the group is dropped (stale, absent from a scrape, cleared): holders of a reference must let go. */
  forgotten: boolean;
  /** Per entry (`_sum`, `_count`, one per `le`...), the last raw value and its timestamp. */
  readonly entries: Map<string, CounterEntry>;
}

export type CounterObservation =
  /** The first sample of a (re)started series: `value` is the raw counter value, no increase. */
  { kind: "baseline"; value: number } | { kind: "increase"; delta: number; reset: boolean };

export const DEFAULT_MAX_SERIES_PER_METRIC = 50_000;
export const DEFAULT_STALE_AFTER_MS = 5 * 60_000;

/** `name="value"` pairs sorted by name, `le` and `__name__` left out: the identity of a series within a family. */
export function labelIdentity(labels: Readonly<Record<string, string>>): string {
  const names = Object.keys(labels);
  // Remote-write sends labels sorted by name (spec) and an exporter writes a series' labels in one fixed order:
  // sort only when needed.
  let sorted = true;
  for (let i = 1; i < names.length && sorted; i++) sorted = (names[i - 1] ?? "") <= (names[i] ?? "");
  if (!sorted) names.sort();
  // Joined, not appended: `+=` leaves a tree of ~50 cons-string nodes per identity that lives as long as the
  // group (its key), and millions of them made every full GC of a large mesh slower.
  const parts: string[] = [];
  for (const n of names) {
    if (n !== "le" && n !== "__name__") parts.push(n, "=", labels[n] ?? "", "\u0000");
  }
  return parts.join("");
}

/** True when the two label sets are equal apart from `le` (consecutive samples of one histogram). */
export function sameSeriesLabels(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  let n = 0;
  for (const k in a) {
    if (k === "le") continue;
    if (a[k] !== b[k]) return false;
    n++;
  }
  for (const k in b) if (k !== "le") n--;
  return n === 0;
}

/**
 * A finite sample of an entry that already has one (see `CounterDeltas.observe`): its increase, NaN when the
 * sample is at or before the entry's last one (dropped, as Prometheus drops out-of-order samples). A value below
 * the previous one is a reset: the increase is the new value. Updates the entry.
 */
export function counterIncrease(
  entry: CounterEntry,
  value: number,
  tsMs: number,
  temporality: "cumulative" | "delta",
): number {
  if (tsMs <= entry.tsMs) return Number.NaN;
  const before = entry.value;
  entry.value = value;
  entry.tsMs = tsMs;
  if (temporality === "delta") return value;
  return value < before ? value : value - before;
}

export class CounterDeltas<P> {
  private readonly groups = new Map<string, SeriesGroup<P>>();
  private readonly perSource = new Map<string, Set<SeriesGroup<P>>>();
  /** Live series per `source\0family`. */
  private readonly counts = new Map<string, number>();
  private readonly maxSeries: number;
  readonly staleAfterMs: number;
  private refused = 0;

  constructor(opts: CounterDeltasOptions = {}) {
    this.maxSeries = opts.maxSeriesPerMetric ?? DEFAULT_MAX_SERIES_PER_METRIC;
    this.staleAfterMs = opts.staleAfterMs ?? DEFAULT_STALE_AFTER_MS;
  }

  /** Live series groups. */
  get size(): number {
    return this.groups.size;
  }

  /** Series refused by the cardinality limit since start (each refused series once per batch that carried it). */
  get refusedSeries(): number {
    return this.refused;
  }

  /**
   * The series group of a sample, created on first sight; null when the cardinality limit refuses a new one.
   * `create` builds the payload of a new group. `identity` stands for the labels when the caller has a shorter
   * string for them than labelIdentity's (remote-write: a hash of the label bytes); a source must give every
   * series its identity the same way.
   */
  group(
    source: string,
    family: MetricFamily,
    labels: Readonly<Record<string, string>>,
    create: () => P,
    identity: string = labelIdentity(labels),
  ): SeriesGroup<P> | null {
    const key = [source, family, identity].join("\u0000");
    const known = this.groups.get(key);
    if (known !== undefined) return known;
    const countKey = `${source}\u0000${family}`;
    const count = this.counts.get(countKey) ?? 0;
    if (count >= this.maxSeries) return null;
    const g: SeriesGroup<P> = {
      key,
      source,
      family,
      payload: create(),
      lastSeenWallMs: 0,
      lastBatch: -1,
      forgotten: false,
      entries: new Map(),
    };
    this.groups.set(key, g);
    this.counts.set(countKey, count + 1);
    let set = this.perSource.get(source);
    if (set === undefined) {
      set = new Set();
      this.perSource.set(source, set);
    }
    set.add(g);
    return g;
  }

  countRefused(n: number): void {
    this.refused += n;
  }

  /** Feeds one sample of one entry of the group; null when the sample carries nothing usable. */
  observe(
    g: SeriesGroup<P>,
    entry: string,
    value: number,
    tsMs: number,
    temporality: "cumulative" | "delta",
  ): CounterObservation | null {
    if (!Number.isFinite(value)) return null;
    const prev = g.entries.get(entry);
    if (prev === undefined) {
      this.startEntry(g, entry, value, tsMs);
      return temporality === "delta" ? { kind: "increase", delta: value, reset: false } : { kind: "baseline", value };
    }
    const before = prev.value;
    const delta = counterIncrease(prev, value, tsMs, temporality);
    if (Number.isNaN(delta)) return null;
    return { kind: "increase", delta, reset: temporality === "cumulative" && value < before };
  }

  /**
   * Records the first sample of an entry (a baseline for a cumulative counter): `observe` without the lookup by
   * name, for a caller that keeps the returned entry and feeds its later samples to `counterIncrease`. `state`
   * becomes the entry: a caller with an object per series of its own can let that object be the counter.
   */
  startEntry(
    g: SeriesGroup<P>,
    entry: string,
    value: number,
    tsMs: number,
    state: CounterEntry = { value, tsMs },
  ): CounterEntry {
    state.value = value;
    state.tsMs = tsMs;
    g.entries.set(entry, state);
    return state;
  }

  /** Marks the group as present in the batch `batchSeq` (see forgetAbsent). */
  touch(g: SeriesGroup<P>, batchSeq: number, wallMs: number): void {
    g.lastBatch = batchSeq;
    g.lastSeenWallMs = wallMs;
  }

  /** After a complete scrape of `source` (batch `batchSeq`): forgets the series that scrape did not contain. */
  forgetAbsent(source: string, batchSeq: number): number {
    const set = this.perSource.get(source);
    if (set === undefined) return 0;
    let n = 0;
    for (const g of set) {
      if (g.lastBatch !== batchSeq) {
        this.forget(g);
        n++;
      }
    }
    return n;
  }

  /** Forgets series without a sample for staleAfterMs; returns how many. */
  sweep(nowWallMs: number): number {
    let n = 0;
    for (const g of this.groups.values()) {
      if (nowWallMs - g.lastSeenWallMs > this.staleAfterMs) {
        this.forget(g);
        n++;
      }
    }
    return n;
  }

  /** Drops every series (e.g. after a failed commit, so nothing refers to rows that were never written). */
  clear(): void {
    for (const g of this.groups.values()) g.forgotten = true;
    this.groups.clear();
    this.perSource.clear();
    this.counts.clear();
  }

  private forget(g: SeriesGroup<P>): void {
    if (this.groups.get(g.key) !== g) return;
    g.forgotten = true;
    this.groups.delete(g.key);
    const countKey = `${g.source}\u0000${g.family}`;
    const left = (this.counts.get(countKey) ?? 1) - 1;
    if (left > 0) this.counts.set(countKey, left);
    else this.counts.delete(countKey);
    const set = this.perSource.get(g.source);
    set?.delete(g);
    if (set?.size === 0) this.perSource.delete(g.source);
  }
}
