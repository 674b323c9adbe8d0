/**
 * The metric store: MetricSink for the receivers, MetricReader for the graph.
 *
 * Ingest: each kept sample (metric-store-families.ts) goes through its series' counter state (counter-deltas.ts)
 * and its increase is added to a STREAM: one edge key (edge-key.ts) as reported by one origin (the batch's source
 * plus the series' `instance` label, so instances pushed through one remote-write peer stay apart, as they are
 * separate series in Prometheus). A stream keeps reset-corrected running totals of every kept counter and of
 * each duration bucket; every sample time of the stream becomes one stored point with those totals and its sample
 * number (`ord`). Points go through the store's single writer; `ingest` resolves after the COMMIT.
 *
 * Read: a window's rate per stream comes from its first and last point in the window, extrapolated exactly as
 * PromQL's `rate()` (metric-reader-rate.ts); rates are summed per edge key.
 *
 * Where this differs from Prometheus, and by how much:
 *  - series within one stream are treated as one series (same timestamps: one scrape). A series that appears or
 *    goes within a window shares the stream's extrapolation instead of having its own.
 *  - PromQL limits extrapolation towards the window start by the counter's raw value at the first sample; we use
 *    the stream's running total there. New streams start their totals at the raw values of their first samples,
 *    so a series born inside the window is extrapolated like Prometheus does; after a counter reset or a restart
 *    of Meshscope the total is larger than the raw value and the limit does not apply (≤ half a scrape interval).
 *  - after a restart of Meshscope, the first sample of each series is a baseline (counter-deltas.ts): the increase
 *    between the last sample before the restart and the first one after it is not counted.
 *  - samples older than a stream's newest point (a push split across requests and delivered out of order) are
 *    added to that newest point.
 */
import {
  type MetricEdgeKeyRow,
  MetricPointsBuilder,
  type MetricStreamRow,
  type MetricWriter,
} from "../store/metric-rows.js";
import type { MetricSqlReader } from "../store/metric-sql-reader.js";
import {
  CounterDeltas,
  type CounterDeltasOptions,
  type CounterEntry,
  counterIncrease,
  labelIdentity,
  type SeriesGroup,
  sameSeriesLabels,
} from "./counter-deltas.js";
import { type EdgeKey, edgeKeyFromLabels, edgeKeyInScope, edgeKeyString } from "./edge-key.js";
import { HotPoints, type HotWindowVisitor } from "./hot-points.js";
import type {
  EdgeTraffic,
  EdgeTrafficQuery,
  MetricReader,
  SeriesOverTimeQuery,
  SeriesPoint,
  TrafficTable,
} from "./metric-reader.js";
import {
  type KnownSeries,
  type MetricBatch,
  type MetricIngestResult,
  type MetricSample,
  type MetricSeriesColumns,
  type MetricSink,
  SeriesGiven,
} from "./metric-sink.js";
import { canonicalLe, classifySample, leValue, type MetricFamily, SCALAR_FIELDS } from "./metric-store-families.js";
import { type AccumulatorSizes, rowsOf, TrafficAccumulator, TrafficScratch } from "./traffic-accumulator.js";

export interface MetricStoreOptions extends CounterDeltasOptions {
  /** Wall clock (ms), for staleness; tests pass their own. */
  now?: () => number;
  /**
   * Keep the points of the last this-many ms (by sample time) in memory, so recent windows are answered without
   * SQLite (hot-points.ts). Default 10 minutes; 0 = always read the database.
   */
  hotWindowMs?: number;
}

const DEFAULT_HOT_WINDOW_MS = 10 * 60_000;

export interface MetricStoreStats {
  liveSeries: number;
  liveStreams: number;
  refusedSeries: number;
}

interface StreamState {
  readonly id: number;
  readonly edgeKeyId: number;
  readonly key: EdgeKey;
  readonly origin: string;
  readonly mapKey: string;
  lastTsMs: number;
  ord: number;
  readonly scalars: number[];
  readonly les: string[];
  readonly leIndex: Map<string, number>;
  readonly buckets: number[];
  /** New stream, first point not yet written: baselines add their raw values (see the header). */
  seeding: boolean;
  /** Must (re)write its metric_streams row: new, or les grew. */
  dirty: boolean;
  lastUsedWallMs: number;
  /** A point is being built in the current batch, at (lastTsMs, ord): closePoint writes it. */
  pendingOpen: boolean;
  pendingBatch: number;
}

/**
 * What the samples of one series update: resolved from its labels once, then kept with its label hash, so a
 * known series' sample costs no classification, `le` parsing, identity string or lookup by name. The target
 * whose sample starts its entry's counter is that counter (CounterEntry): one object per series, not two.
 */
interface SeriesTarget extends CounterEntry {
  readonly group: SeriesGroup<StreamState>;
  readonly stream: StreamState;
  /** Index in SCALAR_FIELDS; -1 for a duration bucket. */
  readonly field: number;
  /** The canonical `le` of a bucket series. */
  readonly le: string | undefined;
  /** The counter-deltas entry name (`s<field>` or `le<bound>`). */
  readonly entry: string;
  /** The entry's counter, once it has had a sample. */
  counter: CounterEntry | undefined;
  /** Where `le` is in the stream's buckets, once a sample was placed there (les are append-only). */
  bucket: number;
}

/** How a sample whose series is not (yet) resolved is dropped; see resolveColumn. */
type Unresolved =
  /** Counted as ignored, and so is every later sample of the series in the batch. */
  | "ignore"
  /** Refused by the cardinality limit (counted once per series), and so is every later sample in the batch. */
  | "refuse"
  /** This sample is ignored (a non-finite first value); the next one tries again. */
  | "skipSample";

/**
 * A series recognised by the hash of its label bytes (remote-write), where its samples go: `target` is the entry
 * itself (SeriesEntry) for a series of a metric the store keeps, null for one it does not (its samples are then
 * ignored without decoding them). It is the handle `knownSeries` gives out: `instanceof` and `owner` tell the
 * store's own handles from any other.
 */
class RawSeriesEntry implements KnownSeries {
  declare readonly knownSeriesHandle?: never;
  /**
   * The hash halves as signed 32-bit integers, and the time as milliseconds since the store's clockBaseMs: small
   * integers, held in the object itself, where an unsigned half above 2^31 or a wall-clock time would each be a
   * number object of its own (~260,000 more objects for the garbage collector in a 130,000-series mesh).
   */
  readonly hi: number;
  readonly lo: number;
  lastSeenMs: number;
  target: SeriesTarget | null = null;

  constructor(
    /** The store's map of entries by source: whose entry this is. */
    readonly owner: Map<string, Map<number, RawSeriesEntry>>,
    hi: number,
    lo: number,
    lastSeenMs: number,
    /** The next entry whose hash has the same map key (rawKey). */
    public next: RawSeriesEntry | undefined,
  ) {
    this.hi = hi | 0;
    this.lo = lo | 0;
    this.lastSeenMs = lastSeenMs;
  }
}

/** The entry of a series that feeds a stream: its own target, so a known series is one object, not two. */
class SeriesEntry extends RawSeriesEntry implements SeriesTarget {
  readonly stream: StreamState;
  counter: CounterEntry | undefined = undefined;
  bucket = -1;
  value = 0;
  tsMs = 0;

  constructor(
    owner: Map<string, Map<number, RawSeriesEntry>>,
    hi: number,
    lo: number,
    lastSeenMs: number,
    readonly group: SeriesGroup<StreamState>,
    readonly field: number,
    readonly le: string | undefined,
    readonly entry: string,
  ) {
    super(owner, hi, lo, lastSeenMs, undefined);
    this.stream = group.payload;
    this.target = this;
  }
}

/** Label-hash entries kept per source; past this the source's map is cleared (series are then re-learned). */
const MAX_RAW_SERIES_PER_SOURCE = 2_000_000;

/**
 * 30 of the 64 hash bits: a small integer, which V8 hashes and compares far faster than a 53-bit double key;
 * the rare entries sharing a key are chained (RawSeriesEntry.next) and told apart by the full hash.
 */
function rawKey(lo: number): number {
  return lo >>> 2;
}

function findRaw(
  bySource: Map<number, RawSeriesEntry> | undefined,
  hi: number,
  lo: number,
): RawSeriesEntry | undefined {
  let e = bySource?.get(rawKey(lo));
  const hi32 = hi | 0;
  const lo32 = lo | 0;
  while (e !== undefined && (e.hi !== hi32 || e.lo !== lo32)) e = e.next;
  return e;
}

/** The state of one `ingest` call, shared by its helpers. */
interface IngestRun {
  readonly seq: number;
  readonly wallMs: number;
  /** wallMs less the store's clockBaseMs (RawSeriesEntry.lastSeenMs). */
  readonly sinceBaseMs: number;
  readonly source: string;
  readonly temporality: "cumulative" | "delta";
  readonly edgeKeys: MetricEdgeKeyRow[];
  readonly points: MetricPointsBuilder;
  readonly touched: StreamState[];
  /** Series refused by the cardinality limit, by family and identity. */
  readonly refused: Set<string>;
  /** The source's label-hash entries (looked up once per batch). */
  bySource: Map<number, RawSeriesEntry> | undefined;
  accepted: number;
  ignored: number;
  /** The previous labelled sample's group: a histogram's buckets, sum and count come one after another. */
  prev: { family: MetricFamily; labels: Readonly<Record<string, string>>; group: SeriesGroup<StreamState> } | null;
}

/** Dictionary caches are cleared past this size (then refilled from the database on demand). */
const MAX_CACHED_EDGE_KEYS = 200_000;
/** Distinct windows memoised between two data changes (each answer holds a row per edge key). */
const TRAFFIC_MEMO_SIZE = 8;
/** Query scopes whose answer sizes are kept (metric-store.ts hotTraffic); more are rare, and then start over. */
const MAX_TRAFFIC_SCOPES = 256;
/** At most this many steps per seriesOverTime, like Prometheus' 11,000-point limit. */
const MAX_STEPS = 11_000;

export class MetricStore implements MetricSink, MetricReader {
  private readonly deltas: CounterDeltas<StreamState>;
  private readonly streams = new Map<string, StreamState>();
  /**
   * The same streams by source and series identity (MetricSeriesColumns.identities), for remote-write series: an
   * identity fixes every label but `__name__` and `le`, so also the edge key and the origin. A histogram and the
   * requests counter of one edge find their stream by a short key instead of building and hashing the edge key
   * again. Entries leave with their stream (sweep, resetState).
   */
  private readonly streamsByIdentity = new Map<string, StreamState>();
  private readonly edgeKeyIds = new Map<string, number>();
  private readonly rawSeries = new Map<string, Map<number, RawSeriesEntry>>();
  private readonly hot: HotPoints;
  /** Hot-window answers by query (see edgeTraffic), valid while the hot points' version is this one. */
  private readonly trafficMemo = new Map<string, TrafficTable>();
  /** The sizes of the last hot answer per query scope (trafficScopeKey), for the next accumulator. */
  private readonly trafficSizes = new Map<string, AccumulatorSizes>();
  /** The arrays of the last transient answer (EdgeTrafficQuery.transient), for the next one. */
  private readonly transientArrays = new TrafficScratch();
  /** The rows of memoised tables, made once per table and shared like it. */
  private readonly rowsOfMemo = new WeakMap<TrafficTable, EdgeTraffic[]>();
  private trafficMemoVersion = -1;
  private nextEdgeKeyId: number;
  private nextStreamId: number;
  private batchSeq = 0;
  /**
   * Every edge key in the database is in `edgeKeyIds`: the database had none when this store opened and the
   * cache was never cleared since, so a key missing there is new, without asking SQLite (streamFor).
   */
  private edgeKeysAllCached = false;
  /** Room for the packed points of a batch, from the previous one (saves regrowing the buffer each batch). */
  private pointsCapacity = 4096;
  private lastSweepWallMs = 0;
  private readonly now: () => number;
  /** RawSeriesEntry.lastSeenMs counts from here. */
  private readonly clockBaseMs: number;

  constructor(
    private readonly writer: MetricWriter,
    private readonly sql: MetricSqlReader,
    opts: MetricStoreOptions = {},
  ) {
    this.deltas = new CounterDeltas(opts);
    this.now = opts.now ?? Date.now;
    this.clockBaseMs = this.now();
    this.hot = new HotPoints(opts.hotWindowMs ?? DEFAULT_HOT_WINDOW_MS);
    const ids = sql.highestIds();
    this.nextEdgeKeyId = ids.edgeKey + 1;
    this.nextStreamId = ids.stream + 1;
    this.edgeKeysAllCached = ids.edgeKey === 0;
  }

  stats(): MetricStoreStats {
    return { liveSeries: this.deltas.size, liveStreams: this.streams.size, refusedSeries: this.deltas.refusedSeries };
  }

  async ingest(batch: MetricBatch): Promise<MetricIngestResult> {
    const columns = batch.columns;
    if (columns !== undefined && batch.samples.length > 0) {
      throw new RangeError("a metric batch carries its samples as objects or as columns, not both");
    }
    const wallMs = this.now();
    const run: IngestRun = {
      seq: ++this.batchSeq,
      wallMs,
      sinceBaseMs: wallMs - this.clockBaseMs,
      source: batch.source,
      temporality: batch.temporality,
      edgeKeys: [],
      points: new MetricPointsBuilder(this.pointsCapacity),
      touched: [],
      refused: new Set(),
      bySource: this.rawSeries.get(batch.source),
      accepted: 0,
      ignored: 0,
      prev: null,
    };
    if (columns === undefined) this.applySamples(run, batch.samples);
    else this.applyColumns(run, columns);

    const streams: MetricStreamRow[] = [];
    for (const stream of run.touched) {
      this.closePoint(stream, run.points);
      if (stream.dirty) {
        streams.push({ id: stream.id, edgeKeyId: stream.edgeKeyId, origin: stream.origin, les: stream.les.join(",") });
        stream.dirty = false;
      }
    }
    if (batch.complete) this.deltas.forgetAbsent(batch.source, run.seq);
    this.sweep(run.wallMs);
    this.deltas.countRefused(run.refused.size);

    const points = run.points.finish();
    this.pointsCapacity = points.data.length;
    try {
      await this.writer.writeMetrics({ edgeKeys: run.edgeKeys, streams, points });
    } catch (err) {
      // The in-memory state now runs ahead of the database (ids, totals): start over from what is stored.
      this.resetState();
      throw err;
    }
    return { accepted: run.accepted, ignored: run.ignored, refusedSeries: run.refused.size };
  }

  knownSeries(source: string, hashHi: number, hashLo: number): KnownSeries | undefined {
    const e = findRaw(this.rawSeries.get(source), hashHi, hashLo);
    return e !== undefined && (e.target === null || !e.target.group.forgotten) ? e : undefined;
  }

  /** Samples as objects: per series, in time order (a scrape is one timestamp, pushes may hold several). */
  private applySamples(run: IngestRun, batchSamples: readonly MetricSample[]): void {
    const samples = isSortedByTime(batchSamples)
      ? batchSamples
      : [...batchSamples].sort((a, b) => a.timestampMs - b.timestampMs);
    for (const s of samples) {
      let t: SeriesTarget | Unresolved | undefined;
      if (s.seriesHashHi !== undefined && s.seriesHashLo !== undefined) {
        t = this.knownTarget(run, s.seriesHashHi, s.seriesHashLo);
      }
      if (t === undefined) {
        // The receiver skipped the labels because the series was known, and it was forgotten since (it went stale
        // while its request was being decoded). Without labels the sample cannot be placed; the next sample of the
        // series arrives with labels and starts it again, as any series returning after staleness does.
        t =
          s.labelsOmitted === true
            ? "ignore"
            : this.labelledTarget(run, s.name, s.labels, s.labels.le, s.value, s.seriesHashHi, s.seriesHashLo);
      }
      if (typeof t === "object") this.applySample(run, t, s.value, s.timestampMs);
      else if (t !== "refuse") run.ignored++;
    }
  }

  /**
   * Samples as columns (remote-write): the same steps as applySamples without an object per sample. Series are
   * resolved once per batch (at their first sample, in time order, as applySamples would meet them); samples are
   * applied in time order, which for the usual push (one timestamp per series, in order) is the order they came.
   */
  private applyColumns(run: IngestRun, c: MetricSeriesColumns): void {
    const { firstSample, values, timestampsMs, skip, given } = c;
    const order = timeOrder(c);
    if (order === null) {
      for (let i = 0; i < c.seriesCount; i++) {
        if (given[i] === SeriesGiven.skipped) continue;
        const to = firstSample[i + 1] ?? 0;
        let t: SeriesTarget | Unresolved | undefined;
        for (let k = firstSample[i] ?? 0; k < to; k++) {
          if (skip[k] === 1) continue;
          const value = values[k] ?? 0;
          if (t === undefined || t === "skipSample") t = this.resolveColumn(run, c, i, value);
          if (typeof t === "object") this.applySample(run, t, value, timestampsMs[k] ?? 0);
          else if (t !== "refuse") run.ignored++;
        }
      }
      return;
    }
    const resolved: (SeriesTarget | Unresolved | undefined)[] = new Array(c.seriesCount).fill(undefined);
    for (let j = 0; j < order.samples.length; j++) {
      const k = order.samples[j] ?? 0;
      const i = order.series[j] ?? 0;
      const value = values[k] ?? 0;
      let t = resolved[i];
      if (t === undefined || t === "skipSample") {
        t = this.resolveColumn(run, c, i, value);
        resolved[i] = t;
      }
      if (typeof t === "object") this.applySample(run, t, value, timestampsMs[k] ?? 0);
      else if (t !== "refuse") run.ignored++;
    }
  }

  /**
   * Series i of the columns: known (by the handle `knownSeries` gave the receiver, else by its hash), else from its
   * labels, else (labels skipped, since forgotten) ignored.
   */
  private resolveColumn(run: IngestRun, c: MetricSeriesColumns, i: number, value: number): SeriesTarget | Unresolved {
    const hi = c.hashHi[i] ?? 0;
    const lo = c.hashLo[i] ?? 0;
    const handle = c.known[i];
    const known =
      handle instanceof RawSeriesEntry && handle.owner === this.rawSeries
        ? this.knownEntryTarget(run, handle)
        : this.knownTarget(run, hi, lo);
    if (known !== undefined) return known;
    const name = c.names[i];
    const labels = c.labels[i];
    if (c.given[i] !== SeriesGiven.labels || name === undefined || labels === undefined) return "ignore";
    return this.labelledTarget(run, name, labels, c.les[i], value, hi, lo, c.identities[i]);
  }

  /** The target of a series known by its label hash; undefined when unknown or forgotten. */
  private knownTarget(run: IngestRun, hi: number, lo: number): SeriesTarget | "ignore" | undefined {
    const raw = findRaw(run.bySource, hi, lo);
    return raw === undefined ? undefined : this.knownEntryTarget(run, raw);
  }

  private knownEntryTarget(run: IngestRun, raw: RawSeriesEntry): SeriesTarget | "ignore" | undefined {
    const target = raw.target;
    if (target?.group.forgotten === true) return undefined;
    raw.lastSeenMs = run.sinceBaseMs;
    run.prev = null;
    return target ?? "ignore";
  }

  /**
   * A series from its name and labels: classified, its group found or created (and its hash remembered). `le` is
   * the series' own `le` label; `labels` may hold another one (a label object shared by the series of a histogram,
   * MetricSeriesColumns.labels), which nothing here reads: series identity and the edge key leave `le` out.
   */
  private labelledTarget(
    run: IngestRun,
    name: string,
    labels: Readonly<Record<string, string>>,
    rawLe: string | undefined,
    value: number,
    hi: number | undefined,
    lo: number | undefined,
    identity?: string,
  ): SeriesTarget | Unresolved {
    const cls = classifySample(name);
    const bound = cls?.kind === "bucket" ? bucketBound(rawLe) : undefined;
    const le = bound === undefined ? undefined : bound.le;
    if (cls === null) {
      if (hi !== undefined && lo !== undefined) {
        this.rememberRawSeries(run, new RawSeriesEntry(this.rawSeries, hi, lo, run.sinceBaseMs, undefined));
      }
      return "ignore";
    }
    if (le === null) return "ignore";
    if (!Number.isFinite(value)) return "skipSample";
    const family = cls.family;
    const prev = run.prev;
    const group =
      prev !== null && prev.family === family && (prev.labels === labels || sameSeriesLabels(prev.labels, labels))
        ? prev.group
        : this.deltas.group(
            run.source,
            family,
            labels,
            () => this.streamFor(run.source, labels, run.edgeKeys, run.wallMs, identity),
            identity,
          );
    run.prev = group === null ? null : { family, labels, group };
    if (group === null) {
      run.refused.add(`${family}\u0000${labelIdentity(labels)}`);
      return "refuse";
    }
    const field = cls.kind === "scalar" ? cls.field : -1;
    const entry = cls.kind === "scalar" ? (SCALAR_ENTRIES[cls.field] ?? `s${cls.field}`) : (bound?.entry ?? `le${le}`);
    if (hi === undefined || lo === undefined) {
      return { group, stream: group.payload, field, le, entry, counter: undefined, bucket: -1, value: 0, tsMs: 0 };
    }
    const target = new SeriesEntry(this.rawSeries, hi, lo, run.sinceBaseMs, group, field, le, entry);
    this.rememberRawSeries(run, target);
    return target;
  }

  /** One sample of a resolved series: its counter's increase, added to its stream's point at the sample time. */
  private applySample(run: IngestRun, t: SeriesTarget, value: number, tsMs: number): void {
    if (!Number.isFinite(value)) {
      run.ignored++;
      return;
    }
    const group = t.group;
    this.deltas.touch(group, run.seq, run.wallMs);
    const stream = t.stream;
    stream.lastUsedWallMs = run.wallMs;
    const counter = t.counter ?? group.entries.get(t.entry);
    let amount: number;
    if (counter === undefined) {
      // The entry's first sample: a baseline (or, for delta temporality, an increase as it stands).
      t.counter = this.deltas.startEntry(group, t.entry, value, tsMs, t);
      run.accepted++;
      this.openPoint(stream, tsMs, run);
      amount = run.temporality === "delta" || stream.seeding ? value : 0;
    } else {
      t.counter = counter;
      const delta = counterIncrease(counter, value, tsMs, run.temporality);
      if (Number.isNaN(delta)) {
        run.ignored++;
        return;
      }
      run.accepted++;
      this.openPoint(stream, tsMs, run);
      amount = delta;
    }
    if (t.field >= 0) {
      stream.scalars[t.field] = (stream.scalars[t.field] ?? 0) + amount;
    } else {
      // Registered even when empty: histogram_quantile needs every bound, zero-count ones included.
      if (t.bucket < 0) t.bucket = this.bucketIndex(stream, t.le ?? "");
      stream.buckets[t.bucket] = (stream.buckets[t.bucket] ?? 0) + amount;
    }
  }

  /** Keeps a series' entry under its hash, in place of the one the hash had (a series learned again). */
  private rememberRawSeries(run: IngestRun, entry: RawSeriesEntry): void {
    let bySource = run.bySource;
    if (bySource === undefined) {
      bySource = new Map();
      this.rawSeries.set(run.source, bySource);
      run.bySource = bySource;
    }
    const key = rawKey(entry.lo);
    const head = bySource.get(key);
    // Chains are short (entries whose hashes share 30 bits): rebuilt without the hash's previous entry.
    let rest: RawSeriesEntry | undefined;
    let replaced = false;
    for (let e = head; e !== undefined; ) {
      const next: RawSeriesEntry | undefined = e.next;
      if (e.hi === entry.hi && e.lo === entry.lo) replaced = true;
      else {
        e.next = rest;
        rest = e;
      }
      e = next;
    }
    if (!replaced && bySource.size >= MAX_RAW_SERIES_PER_SOURCE) {
      bySource.clear();
      rest = undefined;
    }
    entry.next = rest;
    bySource.set(key, entry);
  }

  edgeTraffic(query: EdgeTrafficQuery): EdgeTraffic[] {
    // Rows are views of the table's arrays and outlive this call: never a transient table.
    const table = this.edgeTrafficTable(query.transient === true ? { ...query, transient: false } : query);
    if (!Object.isFrozen(table)) return rowsOf(table);
    let rows = this.rowsOfMemo.get(table);
    if (rows === undefined) {
      // Frozen: the same array is handed to every caller of this window until new data arrives, so a caller that
      // sorted or extended it in place would change the others' answers; this makes that fail loudly instead. The
      // cast only drops `readonly` from the type, to keep MetricReader's signature.
      rows = Object.freeze(rowsOf(table)) as EdgeTraffic[];
      this.rowsOfMemo.set(table, rows);
    }
    return rows;
  }

  edgeTrafficTable(query: EdgeTrafficQuery): TrafficTable {
    if (!this.hot.covers(query.startMs)) {
      const acc = new TrafficAccumulator(query.startMs, query.endMs);
      for (const s of this.sql.windowStreams(query)) acc.add(s.edgeKeyId, s.key, s.les.map(leValue), s.first, s.last);
      return acc.table();
    }
    const namespaces = query.namespaces === undefined ? null : new Set(query.namespaces);
    if (query.transient === true) return this.hotTraffic(query, namespaces, this.transientArrays);
    if (query.memoise === false) return this.hotTraffic(query, namespaces);
    // A replayed window is asked again and again (several viewers, the graph and the overview): while no point was
    // recorded or evicted, the answer for the same query is the same, so it is computed once. Frozen, as it is
    // shared (typed arrays cannot be frozen: TrafficTable's contract is that nobody writes them).
    const memoKey = trafficMemoKey(query);
    if (this.trafficMemoVersion !== this.hot.version) {
      this.trafficMemo.clear();
      this.trafficMemoVersion = this.hot.version;
    }
    const known = this.trafficMemo.get(memoKey);
    if (known !== undefined) return known;
    const table = Object.freeze(this.hotTraffic(query, namespaces));
    if (this.trafficMemo.size >= TRAFFIC_MEMO_SIZE) this.trafficMemo.clear();
    this.trafficMemo.set(memoKey, table);
    return table;
  }

  /** The window's traffic from the points in memory (the caller checked that they cover it). */
  private hotTraffic(
    query: EdgeTrafficQuery,
    namespaces: ReadonlySet<string> | null,
    reuse?: TrafficScratch,
  ): TrafficTable {
    // Queries of one scope (reporter, namespaces) over nearby windows see nearly the same keys: the last answer's
    // sizes let the next one allocate its arrays once.
    const scope = trafficScopeKey(query);
    const acc = new TrafficAccumulator(query.startMs, query.endMs, this.trafficSizes.get(scope), reuse);
    const visit: HotWindowVisitor = (series, d, first, last) => {
      if (edgeKeyInScope(series.key, query.reporter, namespaces)) acc.addHot(series, d, first, last);
    };
    // A transient query is the live graph's "the last N minutes, now", asked again as time passes.
    if (query.transient === true) this.hot.forEachInLiveWindow(query.startMs, query.endMs, visit);
    else this.hot.forEachInWindow(query.startMs, query.endMs, visit);
    if (this.trafficSizes.size >= MAX_TRAFFIC_SCOPES && !this.trafficSizes.has(scope)) this.trafficSizes.clear();
    this.trafficSizes.set(scope, acc.sizes());
    return acc.table();
  }

  /** Points held in memory for recent windows (for /metrics and tests). */
  get hotPointCount(): number {
    return this.hot.pointCount;
  }

  seriesOverTime(query: SeriesOverTimeQuery): SeriesPoint[] {
    if (!(query.stepMs > 0)) throw new RangeError("stepMs must be positive");
    const steps = Math.floor((query.endMs - query.startMs) / query.stepMs) + 1;
    if (steps > MAX_STEPS) throw new RangeError(`at most ${MAX_STEPS} steps; got ${steps}`);
    const windowMs = query.windowMs ?? query.stepMs;
    const out: SeriesPoint[] = [];
    for (let t = query.startMs; t <= query.endMs; t += query.stepMs) {
      // Not memoised: a series has more steps than the memo holds, so each step would only push out the last.
      const q: EdgeTrafficQuery = { startMs: t - windowMs, endMs: t, memoise: false };
      if (query.namespaces !== undefined) q.namespaces = query.namespaces;
      if (query.reporter !== undefined) q.reporter = query.reporter;
      out.push({ tMs: t, edges: this.edgeTraffic(q) });
    }
    return out;
  }

  /** The stream a new series feeds: from memory, else from the database (after a restart), else a new one. */
  private streamFor(
    source: string,
    labels: Readonly<Record<string, string>>,
    edgeKeys: MetricEdgeKeyRow[],
    wallMs: number,
    identity: string | undefined,
  ): StreamState {
    const identityKey = identity === undefined ? undefined : `${source}\u0000${identity}`;
    if (identityKey !== undefined) {
      const same = this.streamsByIdentity.get(identityKey);
      if (same !== undefined) return same;
    }
    const key = edgeKeyFromLabels(labels);
    const keyString = edgeKeyString(key);
    const origin = labels.instance === undefined ? source : `${source} ${labels.instance}`;
    const mapKey = `${keyString}\u0001${origin}`;
    const known = this.streams.get(mapKey);
    if (known !== undefined) {
      if (identityKey !== undefined) this.streamsByIdentity.set(identityKey, known);
      return known;
    }

    let edgeKeyId = this.edgeKeyIds.get(keyString);
    if (edgeKeyId === undefined && !this.edgeKeysAllCached) edgeKeyId = this.sql.findEdgeKey(keyString);
    const newKey = edgeKeyId === undefined;
    if (edgeKeyId === undefined) {
      edgeKeyId = this.nextEdgeKeyId++;
      edgeKeys.push({ id: edgeKeyId, key: keyString });
    }
    if (this.edgeKeyIds.size >= MAX_CACHED_EDGE_KEYS) {
      this.edgeKeyIds.clear();
      this.edgeKeysAllCached = false;
    }
    this.edgeKeyIds.set(keyString, edgeKeyId);

    // A key new to the database has no stream there yet.
    const stored = newKey ? undefined : this.sql.findStream(edgeKeyId, origin);
    const last = stored === undefined ? undefined : this.sql.lastPointOf(stored.id);
    if (last !== undefined) this.hot.noteStoredUntil(last.tsMs);
    const les = stored?.les ?? [];
    const state: StreamState = {
      id: stored?.id ?? this.nextStreamId++,
      edgeKeyId,
      key,
      origin,
      mapKey,
      lastTsMs: last?.tsMs ?? Number.NEGATIVE_INFINITY,
      ord: last?.ord ?? 0,
      scalars: last?.scalars.slice() ?? SCALAR_FIELDS.map(() => 0),
      les: [...les],
      leIndex: new Map(les.map((le, i) => [le, i])),
      buckets: les.map((_, i) => last?.buckets?.[i] ?? 0),
      seeding: stored === undefined,
      dirty: stored === undefined,
      lastUsedWallMs: wallMs,
      pendingOpen: false,
      pendingBatch: -1,
    };
    this.streams.set(mapKey, state);
    if (identityKey !== undefined) this.streamsByIdentity.set(identityKey, state);
    return state;
  }

  /** Makes the stream's pending point the one at the sample's time (a later sample time starts a new point). */
  private openPoint(stream: StreamState, tsMs: number, run: IngestRun): void {
    if (stream.pendingBatch !== run.seq) {
      stream.pendingBatch = run.seq;
      stream.pendingOpen = false;
      run.touched.push(stream);
    }
    if (tsMs > stream.lastTsMs) {
      this.closePoint(stream, run.points);
      stream.ord++;
      stream.lastTsMs = tsMs;
    }
    // Otherwise the sample is at (or before) the time of the newest point: that point is rewritten with the new
    // totals.
    stream.pendingOpen = true;
  }

  /** Writes the pending point with the stream's current totals. */
  private closePoint(stream: StreamState, points: MetricPointsBuilder): void {
    if (!stream.pendingOpen) return;
    points.add(stream.id, stream.lastTsMs, stream.ord, stream.scalars, stream.buckets);
    this.hot.record(stream, stream.lastTsMs, stream.ord, stream.scalars, stream.buckets);
    stream.pendingOpen = false;
    stream.seeding = false;
  }

  private bucketIndex(stream: StreamState, le: string): number {
    let i = stream.leIndex.get(le);
    if (i === undefined) {
      i = stream.les.length;
      stream.les.push(le);
      stream.leIndex.set(le, i);
      stream.buckets.push(0);
      stream.dirty = true;
    }
    return i;
  }

  private sweep(wallMs: number): void {
    if (wallMs - this.lastSweepWallMs < 10_000) return;
    this.lastSweepWallMs = wallMs;
    this.deltas.sweep(wallMs);
    this.hot.evict(wallMs - this.hot.spanMs);
    // A stream is used whenever one of its series is, so a stale stream has no live series left.
    for (const [k, s] of this.streams) {
      if (wallMs - s.lastUsedWallMs > this.deltas.staleAfterMs) this.streams.delete(k);
    }
    for (const [k, s] of this.streamsByIdentity) {
      if (wallMs - s.lastUsedWallMs > this.deltas.staleAfterMs) this.streamsByIdentity.delete(k);
    }
    for (const [source, bySource] of this.rawSeries) {
      for (const [k, head] of bySource) {
        if (head.next === undefined) {
          if (this.rawSeriesStale(head, wallMs)) bySource.delete(k);
          continue;
        }
        // Entries sharing the key (rare): keep the chain of the live ones.
        let kept: RawSeriesEntry | undefined;
        for (let e: RawSeriesEntry | undefined = head; e !== undefined; ) {
          const next: RawSeriesEntry | undefined = e.next;
          if (!this.rawSeriesStale(e, wallMs)) {
            e.next = kept;
            kept = e;
          }
          e = next;
        }
        if (kept === undefined) bySource.delete(k);
        else bySource.set(k, kept);
      }
      if (bySource.size === 0) this.rawSeries.delete(source);
    }
  }

  private rawSeriesStale(e: RawSeriesEntry, wallMs: number): boolean {
    return e.target?.group.forgotten === true || wallMs - this.clockBaseMs - e.lastSeenMs > this.deltas.staleAfterMs;
  }

  private resetState(): void {
    this.deltas.clear();
    this.rawSeries.clear();
    this.hot.clear();
    this.streams.clear();
    this.streamsByIdentity.clear();
    this.edgeKeyIds.clear();
    this.edgeKeysAllCached = false;
  }
}

/** The counter-deltas entry names of the scalar fields, one string each rather than one per series. */
const SCALAR_ENTRIES = SCALAR_FIELDS.map((_, field) => `s${field}`);

/** A bucket's canonical bound (null: not a number) and its counter-deltas entry name. */
interface BucketBound {
  le: string | null;
  entry: string;
}

/**
 * Bucket bounds by their raw `le`: a histogram's few bounds come with every one of its series, and the canonical
 * form takes three regular expressions and a number round trip (one entry string per bound, too).
 */
const bucketBounds = new Map<string, BucketBound>();
const NO_BOUND: BucketBound = { le: null, entry: "" };
const MAX_BUCKET_BOUNDS = 10_000;

function bucketBound(raw: string | undefined): BucketBound {
  if (raw === undefined) return NO_BOUND;
  let known = bucketBounds.get(raw);
  if (known === undefined) {
    if (bucketBounds.size >= MAX_BUCKET_BOUNDS) bucketBounds.clear();
    const le = canonicalLe(raw);
    known = { le, entry: `le${le}` };
    bucketBounds.set(raw, known);
  }
  return known;
}

function isSortedByTime(samples: readonly { timestampMs: number }[]): boolean {
  for (let i = 1; i < samples.length; i++) {
    if ((samples[i]?.timestampMs ?? 0) < (samples[i - 1]?.timestampMs ?? 0)) return false;
  }
  return true;
}

/**
 * The order to apply the columns' samples in: null when series after series is already time order (the usual
 * push), else the offered samples sorted by time, ties in the order they came (as applySamples' stable sort).
 */
function timeOrder(c: MetricSeriesColumns): { samples: Uint32Array; series: Uint32Array } | null {
  const { firstSample, timestampsMs, skip, given } = c;
  let n = 0;
  let last = Number.NEGATIVE_INFINITY;
  let sorted = true;
  for (let i = 0; i < c.seriesCount; i++) {
    if (given[i] === SeriesGiven.skipped) continue;
    const to = firstSample[i + 1] ?? 0;
    for (let k = firstSample[i] ?? 0; k < to; k++) {
      if (skip[k] === 1) continue;
      const ts = timestampsMs[k] ?? 0;
      if (ts < last) sorted = false;
      last = ts;
      n++;
    }
  }
  if (sorted) return null;
  const samples = new Uint32Array(n);
  const seriesOfSample = new Uint32Array(timestampsMs.length);
  let j = 0;
  for (let i = 0; i < c.seriesCount; i++) {
    if (given[i] === SeriesGiven.skipped) continue;
    const to = firstSample[i + 1] ?? 0;
    for (let k = firstSample[i] ?? 0; k < to; k++) {
      seriesOfSample[k] = i;
      if (skip[k] !== 1) samples[j++] = k;
    }
  }
  samples.sort((a, b) => (timestampsMs[a] ?? 0) - (timestampsMs[b] ?? 0) || a - b);
  return { samples, series: samples.map((k) => seriesOfSample[k] ?? 0) };
}

/** The memo key of a hot-window query: its bounds, namespaces (as a set) and reporter. */
function trafficMemoKey(q: EdgeTrafficQuery): string {
  return `${q.startMs}\u0001${q.endMs}\u0001${trafficScopeKey(q)}`;
}

/** A query's scope: its reporter and namespaces (as a set). */
function trafficScopeKey(q: EdgeTrafficQuery): string {
  // "all" and "this list" get different prefixes, so no reporter or namespace name can collide with "all".
  const reporter = q.reporter === undefined ? "all" : `=${q.reporter}`;
  const namespaces = q.namespaces === undefined ? "all" : `=${[...q.namespaces].sort().join("\u0000")}`;
  return `${reporter}\u0001${namespaces}`;
}
