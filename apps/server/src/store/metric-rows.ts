/**
 * What the metric store hands to the writer (on the worker thread or the calling one): dictionary rows that are
 * new in this batch and the points to upsert. Ids are allocated by the metric store on the calling thread (the
 * only process writing this file), so points can refer to streams in the same message.
 *
 * Type-only for the worker: plain data that survives structured cloning.
 */

export interface MetricEdgeKeyRow {
  id: number;
  /** edgeKeyString(): the values NUL-joined. */
  key: string;
  /** In EDGE_KEY_FIELDS order (the metric_edge_keys columns after `key`). */
  values: string[];
}

export interface MetricStreamRow {
  id: number;
  edgeKeyId: number;
  origin: string;
  /** Comma-separated canonical le values (append-only). Upserted: the list grows when a new le appears. */
  les: string;
}

export interface MetricPointRow {
  streamId: number;
  tsMs: number;
  ord: number;
  /** Running totals in SCALAR_FIELDS order (metrics/metric-store-families.ts). */
  scalars: number[];
  /** Running totals per le of the stream's les; null when the stream has no duration histogram. */
  buckets: Float64Array | null;
}

export interface MetricWriteBatch {
  edgeKeys: MetricEdgeKeyRow[];
  streams: MetricStreamRow[];
  points: MetricPointRow[];
}

/** The writers' side of the metric store; resolves once the batch is committed. */
export interface MetricWriter {
  writeMetrics(batch: MetricWriteBatch): Promise<void>;
}
