/** Messages between the main thread (worker-writer.ts) and the writer worker (writer-worker.ts). */
import type { PackedMetricWriteBatch } from "./metric-rows.js";
import type { RetentionPolicy } from "./retention.js";
import type { EncodedBatch } from "./span-rows.js";

export interface WriterWorkerData {
  path: string;
  cacheKiB: number;
  /** Age limit in µs (0 = none) and size limit in bytes (0 = none), applied every retentionIntervalMs. */
  retentionUs: number;
  maxDbBytes: number;
  retentionIntervalMs: number;
}

/** `write` carries spans, `metrics` metric points: both through the worker's one connection, in arrival order. */
export type ToWorker =
  | { type: "write"; id: number; batch: EncodedBatch }
  | { type: "metrics"; id: number; batch: PackedMetricWriteBatch }
  /** Sets the writer connection's `PRAGMA max_page_count` (a simulated full disk); null = SQLite's maximum. */
  | { type: "limitPages"; id: number; maxPageCount: number | null }
  | { type: "close" };

export type FromWorker =
  | { type: "committed"; id: number }
  /** `sqliteCode`: SQLite's result code when SQLite raised the error (e.g. "SQLITE_FULL"). */
  | { type: "failed"; id: number; message: string; sqliteCode?: string }
  | { type: "retention"; deletedSpans: number; deletedTraces: number; deletedMetricPoints: number }
  | { type: "retentionFailed"; message: string }
  | { type: "closed" };

export function retentionPolicy(
  data: Pick<WriterWorkerData, "retentionUs" | "maxDbBytes">,
  nowUs: number,
): RetentionPolicy {
  const policy: RetentionPolicy = {};
  if (data.retentionUs > 0) policy.cutoffUs = nowUs - data.retentionUs;
  if (data.maxDbBytes > 0) policy.maxDbBytes = data.maxDbBytes;
  return policy;
}
