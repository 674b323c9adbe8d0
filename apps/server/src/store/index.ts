export { EDGE_KEY_FIELDS, type EdgeKey } from "../metrics/edge-key.js";
export { type HistogramBucket, histogramQuantile, sumBuckets } from "../metrics/histogram.js";
export type {
  EdgeTraffic,
  EdgeTrafficQuery,
  MetricReader,
  SeriesOverTimeQuery,
  SeriesPoint,
} from "../metrics/metric-reader.js";
// The metric store (issue #3): `store.metrics` of an open SqliteStore is a MetricSink & MetricReader.
export type {
  MetricBatch,
  MetricIngestResult,
  MetricSample,
  MetricSink,
} from "../metrics/metric-sink.js";
export { MetricStore, type MetricStoreOptions, type MetricStoreStats } from "../metrics/metric-store.js";
export type { MetricWriteBatch, MetricWriter } from "./metric-rows.js";
export { openRawInserter, type RawInserter } from "./raw-inserter.js";
export type { RetentionInfo } from "./retention.js";
export { openSpanEdgeReader, type SpanEdgeReader, type SpanEdgeSummary } from "./span-edges.js";
export { type EncodedBatch, encodeSpanRows } from "./span-rows.js";
export {
  DEFAULT_RETENTION_US,
  openSqliteStore,
  type SqliteStore,
  type SqliteStoreOptions,
  type SqliteStoreStats,
} from "./sqlite-store.js";
export type { OperationEntry, ServiceEntry, TraceQuery, TraceReader, TraceWriter } from "./trace-store.js";
