/**
 * What the metric store hands to the writer (on the worker thread or the calling one): dictionary rows that are
 * new in this batch and the points to upsert. Ids are allocated by the metric store on the calling thread (the
 * only process writing this file), so points can refer to streams in the same message.
 *
 * Plain data that survives structured cloning; the points' buffer is transferred to the writer worker.
 */

/** Running totals per point besides the buckets: SCALAR_FIELDS.length (metrics/metric-store-families.ts). */
export const POINT_SCALAR_COUNT = 9;

export interface MetricEdgeKeyRow {
  id: number;
  /**
   * edgeKeyString(): the values in EDGE_KEY_FIELDS order (the metric_edge_keys columns after `key`), each followed
   * by a NUL. The writer splits it into the columns rather than the row carrying them twice: a first push of a
   * large mesh posts tens of thousands of new keys, and cloning 21 more strings per key was most of that message.
   */
  key: string;
}

export interface MetricStreamRow {
  id: number;
  edgeKeyId: number;
  origin: string;
  /** Comma-separated canonical le values (append-only). Upserted: the list grows when a new le appears. */
  les: string;
}

/**
 * The points of one batch, packed into one Float64Array so they cross to the writer thread as one transferred
 * buffer (a structured clone of an object per point cost the calling thread more than building the points).
 * Per point, in this order: streamId, tsMs, ord, the running totals in SCALAR_FIELDS order
 * (metrics/metric-store-families.ts), the bucket count n, then n running totals per le of the stream's les
 * (n = 0: the stream has no duration histogram).
 */
export interface MetricPointColumns {
  count: number;
  data: Float64Array;
}

/** Values per point before its buckets: streamId, tsMs, ord, the scalars, the bucket count. */
export const POINT_HEAD = 3 + POINT_SCALAR_COUNT + 1;

export interface MetricWriteBatch {
  edgeKeys: MetricEdgeKeyRow[];
  streams: MetricStreamRow[];
  points: MetricPointColumns;
}

/** Appends points to a growing buffer; `finish` hands the packed points over. One builder per batch. */
export class MetricPointsBuilder {
  private data: Float64Array;
  private length = 0;
  private count = 0;

  /** `capacity`: values to allocate room for at first (a previous batch's `finish().data.length` is a good guess). */
  constructor(capacity = 4096) {
    this.data = new Float64Array(Math.max(POINT_HEAD, capacity));
  }

  add(streamId: number, tsMs: number, ord: number, scalars: ArrayLike<number>, buckets: ArrayLike<number>): void {
    const n = buckets.length;
    const need = this.length + POINT_HEAD + n;
    if (need > this.data.length) {
      const grown = new Float64Array(Math.max(need, this.data.length * 2));
      grown.set(this.data.subarray(0, this.length));
      this.data = grown;
    }
    const d = this.data;
    let at = this.length;
    d[at++] = streamId;
    d[at++] = tsMs;
    d[at++] = ord;
    for (let i = 0; i < POINT_SCALAR_COUNT; i++) d[at++] = scalars[i] ?? 0;
    d[at++] = n;
    for (let i = 0; i < n; i++) d[at++] = buckets[i] ?? 0;
    this.length = at;
    this.count++;
  }

  finish(): MetricPointColumns {
    return { count: this.count, data: this.data.subarray(0, this.length) };
  }
}

/** The writers' side of the metric store; resolves once the batch is committed. */
export interface MetricWriter {
  writeMetrics(batch: MetricWriteBatch): Promise<void>;
}
