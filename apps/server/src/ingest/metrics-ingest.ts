/**
 * What every metric receiver (scraper, remote-write, OTLP metrics over HTTP and gRPC) does once it has decoded
 * its input: count what arrived, hand the batches to the metric store's sink and wait for the commit (DESIGN §4:
 * a 2xx only after commit), and turn the sink's push-back into the errors the trace receivers already answer
 * (QueueFullError → 429 / RESOURCE_EXHAUSTED with Retry-After; IngestUnavailableError → 503 / UNAVAILABLE).
 */
import {
  batchSampleCount,
  type KnownSeries,
  type MetricBatch,
  type MetricIngestResult,
  type MetricSink,
} from "../metrics/metric-sink.js";
import type { Logger } from "../ops/logger.js";
import type { MetricProtocol, MetricRejectReason, SelfMetrics } from "../ops/self-metrics.js";
import { StorageFullError } from "../store/write-errors.js";
import { IngestUnavailableError, storageFullError } from "./ingest-pipeline.js";
import { QueueFullError } from "./write-queue.js";

export interface MetricIngest {
  /**
   * Commits the batches (in parallel: they are independent, e.g. the cumulative and the delta points of one
   * OTLP request) and resolves with the sums. `skipped` counts samples the receiver dropped before the sink
   * (staleness markers, OTLP points without a value), by reason, so /metrics accounts for every sample.
   */
  ingest(
    protocol: MetricProtocol,
    batches: MetricBatch[],
    skipped?: Partial<Record<MetricRejectReason, number>>,
  ): Promise<MetricIngestResult>;
  /** The sink's `knownSeries` (undefined when it has none): lets remote-write skip decoding labels it knows. */
  knownSeries(source: string, hashHi: number, hashLo: number): KnownSeries | undefined;
}

/**
 * Whether an error from the sink is back-pressure: the write queue's own QueueFullError, or any error that
 * says when to retry (the store may define its own class; the contract in metric-sink.ts does not name one).
 */
function retryAfterOf(error: unknown): number | null {
  if (error instanceof QueueFullError) return error.retryAfterSeconds;
  if (typeof error === "object" && error !== null && "retryAfterSeconds" in error) {
    const seconds = error.retryAfterSeconds;
    if (typeof seconds === "number" && Number.isFinite(seconds) && seconds >= 0) return seconds;
  }
  return null;
}

export function createMetricIngest(deps: { sink: MetricSink; metrics: SelfMetrics; logger: Logger }): MetricIngest {
  const { sink, metrics, logger } = deps;
  return {
    knownSeries: (source, hi, lo) => sink.knownSeries?.(source, hi, lo),
    async ingest(protocol, batches, skipped = {}) {
      const offered = batches.reduce((n, b) => n + batchSampleCount(b), 0);
      let skippedTotal = 0;
      for (const [reason, count] of Object.entries(skipped)) {
        if (count === undefined || count === 0) continue;
        skippedTotal += count;
        metrics.metricSamplesRejected.inc({ protocol, reason }, count);
      }
      metrics.metricSamplesReceived.inc({ protocol }, offered + skippedTotal);
      const total: MetricIngestResult = { accepted: 0, ignored: 0, refusedSeries: 0 };
      // An empty complete batch still matters (a scrape that returned no series marks the target's series stale).
      const work = batches.filter((b) => batchSampleCount(b) > 0 || b.complete);
      let results: MetricIngestResult[];
      try {
        results = await Promise.all(work.map((batch) => sink.ingest(batch)));
      } catch (error) {
        const retryAfter = retryAfterOf(error);
        if (retryAfter !== null) {
          metrics.metricSamplesRejected.inc({ protocol, reason: "store_busy" }, offered);
          throw new QueueFullError(retryAfter);
        }
        metrics.metricSamplesRejected.inc({ protocol, reason: "store_failed" }, offered);
        logger.error("metric commit failed", { protocol, error });
        if (error instanceof StorageFullError) throw storageFullError("samples");
        throw new IngestUnavailableError("the metric store could not commit the samples; retry later");
      }
      for (const r of results) {
        total.accepted += r.accepted;
        total.ignored += r.ignored;
        total.refusedSeries += r.refusedSeries;
      }
      metrics.metricSamplesAccepted.inc({ protocol }, total.accepted);
      metrics.metricSamplesIgnored.inc({ protocol }, total.ignored);
      if (total.refusedSeries > 0)
        metrics.metricSamplesRejected.inc({ protocol, reason: "refused_series" }, total.refusedSeries);
      return total;
    },
  };
}

/**
 * The address part of a peer, for a push's `source`. The port is left out on purpose: series identity for
 * delta computation is (source, name, labels), and a sender's port changes with every new connection, which
 * would make each reconnect look like a brand-new counter.
 */
export function peerHost(address: string | undefined): string {
  if (address === undefined || address === "") return "unknown";
  // IPv4-mapped IPv6 (`::ffff:127.0.0.1`), as Node reports IPv4 peers on a dual-stack socket.
  return address.startsWith("::ffff:") ? address.slice(7) : address;
}
