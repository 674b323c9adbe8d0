/**
 * The contract between the metric receivers (scraper, remote-write, OTLP metrics) and the metric store
 * (issue #3). Receivers decode with @meshscope/wire and hand samples here; the store turns cumulative counters
 * into per-series deltas with Prometheus' semantics (first sample, counter resets, staleness) and rolls them up
 * into time buckets per edge key. A 2xx answer to a push is sent only after `ingest` resolves (committed).
 */

/** One sample of one series. Histogram series arrive as their `_bucket` (with `le`), `_sum` and `_count`. */
export interface MetricSample {
  name: string;
  labels: Record<string, string>;
  value: number;
  timestampMs: number;
  /**
   * Remote-write only: the 64-bit hash of the series' label bytes (wire `RemoteWriteSeries.labelsHashHi/Lo`),
   * which lets the store map a series it has seen to its state without looking at the labels.
   */
  seriesHashHi?: number;
  seriesHashLo?: number;
  /** The receiver skipped decoding the labels because `isKnownSeries` said the store knows the series. */
  labelsOmitted?: true;
}

export interface MetricBatch {
  /**
   * Who sent the samples: a scrape target URL, `remote-write:<peer>` or `otlp:<peer>`. Series identity for
   * delta computation is (source, name, labels), so two senders of the same series do not corrupt each other.
   */
  source: string;
  /** `cumulative`: counters as Prometheus exposes them (deltas computed here); `delta`: already per-interval. */
  temporality: "cumulative" | "delta";
  samples: MetricSample[];
  /**
   * A scrape is a complete view of its target: series of the source missing from it are stale (Prometheus
   * marks them so and a later reappearance starts a new counter). Pushes (remote-write, OTLP) are partial.
   */
  complete: boolean;
}

export interface MetricIngestResult {
  /** Samples kept (they belong to a metric the store rolls up). */
  accepted: number;
  /** Samples of metrics the store does not keep (not istio_* / not mesh-relevant); not an error. */
  ignored: number;
  /** Series refused by cardinality limits. */
  refusedSeries: number;
}

export interface MetricSink {
  ingest(batch: MetricBatch): Promise<MetricIngestResult>;
  /**
   * Whether the sink holds the series with this label hash from `source`, so a receiver may skip decoding its
   * labels (see MetricSample.seriesHashHi). Must be asked right before the `ingest` call that carries the series.
   */
  isKnownSeries?(source: string, hashHi: number, hashLo: number): boolean;
}
