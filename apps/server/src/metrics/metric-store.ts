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
import type { MetricPointRow, MetricWriteBatch, MetricWriter } from "../store/metric-rows.js";
import type { MetricSqlReader } from "../store/metric-sql-reader.js";
import {
  CounterDeltas,
  type CounterDeltasOptions,
  labelIdentity,
  type SeriesGroup,
  sameSeriesLabels,
} from "./counter-deltas.js";
import { type EdgeKey, edgeKeyFromLabels, edgeKeyInScope, edgeKeyString, edgeKeyValues } from "./edge-key.js";
import { HotPoints } from "./hot-points.js";
import type { EdgeTraffic, EdgeTrafficQuery, MetricReader, SeriesOverTimeQuery, SeriesPoint } from "./metric-reader.js";
import type { MetricBatch, MetricIngestResult, MetricSample, MetricSink } from "./metric-sink.js";
import {
  type ClassifiedSample,
  canonicalLe,
  classifySample,
  leValue,
  type MetricFamily,
  SCALAR_FIELDS,
} from "./metric-store-families.js";
import { TrafficAccumulator } from "./traffic-accumulator.js";

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
  /** The point being built in the current batch. */
  pending: MetricPointRow | null;
  pendingBatch: number;
}

/**
 * A series recognised by the hash of its label bytes (remote-write): where its samples go. `group` and `cls` are
 * null for a series of a metric the store does not keep (so its samples are ignored without decoding them).
 */
interface RawSeriesEntry {
  /** The hash bits the map key does not hold (see rawKey): key + check = the full 64-bit hash. */
  readonly check: number;
  readonly group: SeriesGroup<StreamState> | null;
  readonly cls: ClassifiedSample | null;
  readonly le: string | undefined;
  /** The counter-deltas entry name (`s<field>` or `le<bound>`), built once. */
  readonly entry: string;
  lastSeenWallMs: number;
}

/** Label-hash entries kept per source; past this the source's map is cleared (series are then re-learned). */
const MAX_RAW_SERIES_PER_SOURCE = 2_000_000;

/** 53 of the 64 hash bits as an exact JS number (a Map key); the other 11 are checked on lookup. */
function rawKey(hi: number, lo: number): number {
  return hi * 2 ** 21 + (lo >>> 11);
}

/** Dictionary caches are cleared past this size (then refilled from the database on demand). */
const MAX_CACHED_EDGE_KEYS = 200_000;
/** Distinct windows memoised between two data changes (each answer holds a row per edge key). */
const TRAFFIC_MEMO_SIZE = 8;
/** At most this many steps per seriesOverTime, like Prometheus' 11,000-point limit. */
const MAX_STEPS = 11_000;

export class MetricStore implements MetricSink, MetricReader {
  private readonly deltas: CounterDeltas<StreamState>;
  private readonly streams = new Map<string, StreamState>();
  private readonly edgeKeyIds = new Map<string, number>();
  private readonly rawSeries = new Map<string, Map<number, RawSeriesEntry>>();
  private readonly hot: HotPoints;
  /** Hot-window answers by query (see edgeTraffic), valid while the hot points' version is this one. */
  private readonly trafficMemo = new Map<string, EdgeTraffic[]>();
  private trafficMemoVersion = -1;
  private nextEdgeKeyId: number;
  private nextStreamId: number;
  private batchSeq = 0;
  private lastSweepWallMs = 0;
  private readonly now: () => number;

  constructor(
    private readonly writer: MetricWriter,
    private readonly sql: MetricSqlReader,
    opts: MetricStoreOptions = {},
  ) {
    this.deltas = new CounterDeltas(opts);
    this.now = opts.now ?? Date.now;
    this.hot = new HotPoints(opts.hotWindowMs ?? DEFAULT_HOT_WINDOW_MS);
    const ids = sql.highestIds();
    this.nextEdgeKeyId = ids.edgeKey + 1;
    this.nextStreamId = ids.stream + 1;
  }

  stats(): MetricStoreStats {
    return { liveSeries: this.deltas.size, liveStreams: this.streams.size, refusedSeries: this.deltas.refusedSeries };
  }

  async ingest(batch: MetricBatch): Promise<MetricIngestResult> {
    const seq = ++this.batchSeq;
    const wallMs = this.now();
    const out: MetricWriteBatch = { edgeKeys: [], streams: [], points: [] };
    const touched: StreamState[] = [];
    let accepted = 0;
    let ignored = 0;
    const refused = new Set<string>();

    // Per series, samples must be applied in time order; a scrape is one timestamp, pushes may hold several.
    const samples = isSortedByTime(batch.samples)
      ? batch.samples
      : [...batch.samples].sort((a, b) => a.timestampMs - b.timestampMs);
    let prev: {
      family: MetricFamily;
      labels: Readonly<Record<string, string>>;
      group: SeriesGroup<StreamState>;
    } | null = null;
    for (const s of samples) {
      let cls: ClassifiedSample | null;
      let le: string | null | undefined;
      let group: SeriesGroup<StreamState> | null;
      let entry: string;
      const raw = s.seriesHashHi === undefined ? undefined : this.rawSeriesEntry(batch.source, s);
      if (raw !== undefined) {
        // Known by its label bytes: no classification, `le` parsing or identity string (the hot path of pushes).
        raw.lastSeenWallMs = wallMs;
        if (raw.group === null || raw.cls === null) {
          ignored++;
          continue;
        }
        cls = raw.cls;
        le = raw.le;
        group = raw.group;
        entry = raw.entry;
        prev = null;
      } else if (s.labelsOmitted === true) {
        // The receiver skipped the labels because the series was known, and it was forgotten since (it went stale
        // while its request was being decoded). Without labels the sample cannot be placed; the next sample of the
        // series arrives with labels and starts it again, as any series returning after staleness does.
        ignored++;
        continue;
      } else {
        cls = classifySample(s.name);
        le = cls?.kind === "bucket" ? canonicalLe(s.labels.le) : undefined;
        if (cls === null || le === null || !Number.isFinite(s.value)) {
          if (cls === null) {
            this.rememberRawSeries(batch.source, s, { group: null, cls: null, le: undefined, entry: "" }, wallMs);
          }
          ignored++;
          continue;
        }
        // The buckets, sum and count of one histogram come one after another: skip the identity lookup for them.
        const family = cls.family;
        group =
          prev !== null && prev.family === family && sameSeriesLabels(prev.labels, s.labels)
            ? prev.group
            : this.deltas.group(batch.source, family, s.labels, () =>
                this.streamFor(batch.source, s.labels, out, wallMs),
              );
        prev = group === null ? null : { family, labels: s.labels, group };
        if (group === null) {
          refused.add(`${family}\u0000${labelIdentity(s.labels)}`);
          continue;
        }
        entry = cls.kind === "scalar" ? `s${cls.field}` : `le${le}`;
        this.rememberRawSeries(batch.source, s, { group, cls, le, entry }, wallMs);
      }
      if (!Number.isFinite(s.value)) {
        ignored++;
        continue;
      }
      this.deltas.touch(group, seq, wallMs);
      const stream = group.payload;
      stream.lastUsedWallMs = wallMs;
      const obs = this.deltas.observe(group, entry, s.value, s.timestampMs, batch.temporality);
      if (obs === null) {
        ignored++;
        continue;
      }
      accepted++;
      this.openPoint(stream, s.timestampMs, seq, touched, out);
      const amount = obs.kind === "increase" ? obs.delta : stream.seeding ? obs.value : 0;
      if (le === undefined) {
        if (cls.kind === "scalar") stream.scalars[cls.field] = (stream.scalars[cls.field] ?? 0) + amount;
      } else {
        // Registered even when empty: histogram_quantile needs every bound, zero-count ones included.
        const i = this.bucketIndex(stream, le);
        stream.buckets[i] = (stream.buckets[i] ?? 0) + amount;
      }
    }
    for (const stream of touched) {
      this.closePoint(stream, out);
      if (stream.dirty) {
        out.streams.push({
          id: stream.id,
          edgeKeyId: stream.edgeKeyId,
          origin: stream.origin,
          les: stream.les.join(","),
        });
        stream.dirty = false;
      }
    }
    if (batch.complete) this.deltas.forgetAbsent(batch.source, seq);
    this.sweep(wallMs);
    this.deltas.countRefused(refused.size);

    try {
      await this.writer.writeMetrics(out);
    } catch (err) {
      // The in-memory state now runs ahead of the database (ids, totals): start over from what is stored.
      this.resetState();
      throw err;
    }
    return { accepted, ignored, refusedSeries: refused.size };
  }

  isKnownSeries(source: string, hashHi: number, hashLo: number): boolean {
    const e = this.rawSeries.get(source)?.get(rawKey(hashHi, hashLo));
    return e !== undefined && e.check === (hashLo & 0x7ff) && (e.group === null || !e.group.forgotten);
  }

  private rawSeriesEntry(source: string, s: MetricSample): RawSeriesEntry | undefined {
    const hi = s.seriesHashHi ?? 0;
    const lo = s.seriesHashLo ?? 0;
    const e = this.rawSeries.get(source)?.get(rawKey(hi, lo));
    if (e === undefined || e.check !== (lo & 0x7ff)) return undefined;
    return e.group?.forgotten ? undefined : e;
  }

  private rememberRawSeries(
    source: string,
    s: MetricSample,
    target: Pick<RawSeriesEntry, "group" | "cls" | "le" | "entry">,
    wallMs: number,
  ): void {
    if (s.seriesHashHi === undefined || s.seriesHashLo === undefined) return;
    let bySource = this.rawSeries.get(source);
    if (bySource === undefined) {
      bySource = new Map();
      this.rawSeries.set(source, bySource);
    }
    if (bySource.size >= MAX_RAW_SERIES_PER_SOURCE) bySource.clear();
    bySource.set(rawKey(s.seriesHashHi, s.seriesHashLo), {
      check: s.seriesHashLo & 0x7ff,
      ...target,
      lastSeenWallMs: wallMs,
    });
  }

  edgeTraffic(query: EdgeTrafficQuery): EdgeTraffic[] {
    if (!this.hot.covers(query.startMs)) {
      const acc = new TrafficAccumulator(query.startMs, query.endMs);
      for (const s of this.sql.windowStreams(query)) acc.add(s.edgeKeyId, s.key, s.les.map(leValue), s.first, s.last);
      return acc.rows();
    }
    // A live console polls the same windows (several viewers, the graph and the overview): while no point was
    // recorded or evicted, the answer for the same query is the same, so it is computed once.
    const memoKey = trafficMemoKey(query);
    if (this.trafficMemoVersion !== this.hot.version) {
      this.trafficMemo.clear();
      this.trafficMemoVersion = this.hot.version;
    }
    const known = this.trafficMemo.get(memoKey);
    if (known !== undefined) return known;
    const acc = new TrafficAccumulator(query.startMs, query.endMs);
    const namespaces = query.namespaces === undefined ? null : new Set(query.namespaces);
    this.hot.forEachInWindow(query.startMs, query.endMs, (series, first, last) => {
      if (edgeKeyInScope(series.key, query.reporter, namespaces)) {
        acc.add(series.edgeKeyId, series.key, series.leValues, first, last);
      }
    });
    // Frozen: the same array is handed to every caller of this window until new data arrives, so a caller that
    // sorted or extended it in place would change the others' answers; this makes that fail loudly instead. The
    // cast only drops `readonly` from the type, to keep MetricReader's signature.
    const rows = Object.freeze(acc.rows()) as EdgeTraffic[];
    if (this.trafficMemo.size >= TRAFFIC_MEMO_SIZE) this.trafficMemo.clear();
    this.trafficMemo.set(memoKey, rows);
    return rows;
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
      const q: EdgeTrafficQuery = { startMs: t - windowMs, endMs: t };
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
    out: MetricWriteBatch,
    wallMs: number,
  ): StreamState {
    const key = edgeKeyFromLabels(labels);
    const keyString = edgeKeyString(key);
    const origin = labels.instance === undefined ? source : `${source} ${labels.instance}`;
    const mapKey = `${keyString}\u0001${origin}`;
    const known = this.streams.get(mapKey);
    if (known !== undefined) return known;

    let edgeKeyId = this.edgeKeyIds.get(keyString) ?? this.sql.findEdgeKey(keyString);
    if (edgeKeyId === undefined) {
      edgeKeyId = this.nextEdgeKeyId++;
      out.edgeKeys.push({ id: edgeKeyId, key: keyString, values: edgeKeyValues(key) });
    }
    if (this.edgeKeyIds.size >= MAX_CACHED_EDGE_KEYS) this.edgeKeyIds.clear();
    this.edgeKeyIds.set(keyString, edgeKeyId);

    const stored = this.sql.findStream(edgeKeyId, origin);
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
      pending: null,
      pendingBatch: -1,
    };
    this.streams.set(mapKey, state);
    return state;
  }

  /** Makes `stream.pending` the point at the sample's time (a later sample time starts a new point). */
  private openPoint(stream: StreamState, tsMs: number, seq: number, touched: StreamState[], out: MetricWriteBatch) {
    if (stream.pendingBatch !== seq) {
      stream.pendingBatch = seq;
      stream.pending = null;
      touched.push(stream);
    }
    if (tsMs > stream.lastTsMs) {
      this.closePoint(stream, out);
      stream.ord++;
      stream.lastTsMs = tsMs;
      stream.pending = { streamId: stream.id, tsMs, ord: stream.ord, scalars: [], buckets: null };
    } else if (stream.pending === null) {
      // Same time as (or older than) the newest stored point: rewrite that point with the new totals.
      stream.pending = { streamId: stream.id, tsMs: stream.lastTsMs, ord: stream.ord, scalars: [], buckets: null };
    }
  }

  /** Freezes the pending point with the stream's current totals. */
  private closePoint(stream: StreamState, out: MetricWriteBatch): void {
    const p = stream.pending;
    if (p === null) return;
    p.scalars = stream.scalars.slice();
    p.buckets = stream.les.length === 0 ? null : Float64Array.from(stream.buckets);
    out.points.push(p);
    this.hot.record(stream, p.tsMs, p.ord, stream.scalars, stream.buckets);
    stream.pending = null;
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
    for (const [source, bySource] of this.rawSeries) {
      for (const [k, e] of bySource) {
        if (e.group?.forgotten === true || wallMs - e.lastSeenWallMs > this.deltas.staleAfterMs) bySource.delete(k);
      }
      if (bySource.size === 0) this.rawSeries.delete(source);
    }
  }

  private resetState(): void {
    this.deltas.clear();
    this.rawSeries.clear();
    this.hot.clear();
    this.streams.clear();
    this.edgeKeyIds.clear();
  }
}

function isSortedByTime(samples: readonly { timestampMs: number }[]): boolean {
  for (let i = 1; i < samples.length; i++) {
    if ((samples[i]?.timestampMs ?? 0) < (samples[i - 1]?.timestampMs ?? 0)) return false;
  }
  return true;
}

/** The memo key of a hot-window query: its bounds, namespaces (as a set) and reporter. */
function trafficMemoKey(q: EdgeTrafficQuery): string {
  // "all" and "this list" get different prefixes, so no reporter or namespace name can collide with "all".
  const reporter = q.reporter === undefined ? "all" : `=${q.reporter}`;
  const namespaces = q.namespaces === undefined ? "all" : `=${[...q.namespaces].sort().join("\u0000")}`;
  return `${q.startMs}\u0001${q.endMs}\u0001${reporter}\u0001${namespaces}`;
}
