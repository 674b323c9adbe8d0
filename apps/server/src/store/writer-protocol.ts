/** Messages between the main thread (worker-writer.ts) and the writer worker (writer-worker.ts). */
import type { MetricWriteBatch } from "./metric-rows.js";
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
  | { type: "metrics"; id: number; batch: MetricWriteBatch }
  | { type: "close" };

export type FromWorker =
  | { type: "committed"; id: number }
  | { type: "failed"; id: number; message: string }
  | { type: "retention"; deletedSpans: number; deletedTraces: number; deletedMetricPoints: number }
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
