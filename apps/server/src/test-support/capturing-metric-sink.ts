/**
 * A MetricSink for receiver tests: records every batch it is given, and can be told to push back (as a full
 * store would) or to take its time committing. It stands where the metric store's sink goes, through
 * `startMeshscope`'s `metricSink` option.
 */
import {
  type MetricBatch,
  type MetricIngestResult,
  type MetricSample,
  type MetricSink,
  samplesOf,
} from "../metrics/metric-sink.js";

export class CapturingMetricSink implements MetricSink {
  readonly batches: MetricBatch[] = [];
  /** When set, `ingest` throws this instead of committing. */
  failWith: (() => Error) | null = null;
  /** Commit latency, to test what waits for the commit. */
  commitDelayMs = 0;
  /** Largest number of `ingest` calls in flight at once, per source. */
  readonly maxConcurrent = new Map<string, number>();
  private readonly inFlight = new Map<string, number>();

  async ingest(batch: MetricBatch): Promise<MetricIngestResult> {
    if (this.failWith) throw this.failWith();
    const now = (this.inFlight.get(batch.source) ?? 0) + 1;
    this.inFlight.set(batch.source, now);
    this.maxConcurrent.set(batch.source, Math.max(now, this.maxConcurrent.get(batch.source) ?? 0));
    try {
      if (this.commitDelayMs > 0) await new Promise((r) => setTimeout(r, this.commitDelayMs));
      // Columns (remote-write) are recorded as the samples they hold.
      const { source, temporality, complete } = batch;
      this.batches.push({ source, temporality, complete, samples: samplesOf(batch) });
      return { accepted: this.batches.at(-1)?.samples.length ?? 0, ignored: 0, refusedSeries: 0 };
    } finally {
      this.inFlight.set(batch.source, (this.inFlight.get(batch.source) ?? 1) - 1);
    }
  }

  batchesFrom(source: string | ((source: string) => boolean)): MetricBatch[] {
    const match = typeof source === "string" ? (s: string) => s === source : source;
    return this.batches.filter((b) => match(b.source));
  }

  /** Every sample of every batch matching `filter`, with its batch's temporality. */
  samples(filter: (batch: MetricBatch) => boolean = () => true): Array<MetricSample & { temporality: string }> {
    return this.batches.filter(filter).flatMap((b) => b.samples.map((s) => ({ ...s, temporality: b.temporality })));
  }

  /** Resolves when `check` passes, polling; rejects after `timeoutMs` with what was captured. */
  async waitFor(check: () => boolean, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!check()) {
      if (Date.now() > deadline) {
        const sources = this.batches.map((b) => `${b.source} (${b.samples.length})`).join(", ");
        throw new Error(`condition not met within ${timeoutMs} ms; batches so far: ${sources || "none"}`);
      }
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}

/** A label set as a stable string, for comparing series regardless of key order or prototype. */
export function seriesKey(name: string, labels: Record<string, string>): string {
  const keys = Object.keys(labels).sort();
  return `${name}{${keys.map((k) => `${k}=${JSON.stringify(labels[k])}`).join(",")}}`;
}
