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
  /** The receiver skipped decoding the labels because `knownSeries` said the store knows the series. */
  labelsOmitted?: true;
}

/** How a series of MetricSeriesColumns is given. */
export const SeriesGiven = {
  /** By label hash only: the sink said it knows the series (`knownSeries`), so its labels were not decoded. */
  hashOnly: 0,
  /** By name and labels (and its label hash). */
  labels: 1,
  /** Not at all: its samples are not offered (a series without `__name__`, counted by the receiver). */
  skipped: 2,
} as const;

/**
 * Remote-write samples as the decoder's columns, without an object per sample: series i owns the samples
 * [firstSample[i], firstSample[i + 1]). The typed arrays are the decoder's own (the sink reads, never keeps them).
 */
export interface MetricSeriesColumns {
  seriesCount: number;
  /** Per series: how it is given (SeriesGiven). */
  given: Uint8Array;
  /** Per series: the 64-bit hash of its label bytes, as MetricSample.seriesHashHi/Lo. */
  hashHi: Uint32Array;
  hashLo: Uint32Array;
  /**
   * Per series given by labels: its metric name and its other labels (null-prototype object); else undefined.
   * Series whose labels differ only in `le` (a histogram's buckets, sum and count) may share one object, which then
   * holds the `le` of one of them: a series' own `le` is `les[i]`.
   */
  names: (string | undefined)[];
  labels: (Record<string, string> | undefined)[];
  /** Per series given by labels: its `le` label (undefined when it has none). */
  les: (string | undefined)[];
  /**
   * Per series given by labels: a short string standing for its labels but `le` (and `__name__`), which the sink
   * keys the series' counters by instead of the labels themselves (wire `SeriesLabelReader.nameAndLabels`).
   */
  identities: (string | undefined)[];
  /**
   * Per series given by hash only: what the sink's `knownSeries` answered for it, which the sink takes instead of
   * looking the hash up again; undefined otherwise.
   */
  known: (KnownSeries | undefined)[];
  /** seriesCount + 1 entries. */
  firstSample: Uint32Array;
  values: Float64Array;
  timestampsMs: Float64Array;
  /** Per sample: 1 = not offered (a staleness marker, counted by the receiver). */
  skip: Uint8Array;
  /** Samples offered: those of series not skipped, less the skipped samples. */
  sampleCount: number;
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
   * The same as columns (remote-write): taken instead of `samples`, which must then be empty. The samples are
   * applied exactly as the MetricSample form of the same data would be.
   */
  columns?: MetricSeriesColumns;
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

/**
 * A series a sink holds, as its `knownSeries` hands it out: opaque to the receiver, which only passes it back
 * (MetricSeriesColumns.known). A sink trusts only handles of its own making and looks any other up by hash.
 */
export interface KnownSeries {
  readonly knownSeriesHandle?: never;
}

export interface MetricSink {
  ingest(batch: MetricBatch): Promise<MetricIngestResult>;
  /**
   * The series with this label hash from `source` when the sink holds it (else undefined), so a receiver may skip
   * decoding its labels (see MetricSample.seriesHashHi). Must be asked right before the `ingest` call that
   * carries the series: the answer holds only until the event loop turns.
   */
  knownSeries?(source: string, hashHi: number, hashLo: number): KnownSeries | undefined;
}

/** Samples a batch offers (as objects or as columns). */
export function batchSampleCount(batch: MetricBatch): number {
  return batch.samples.length + (batch.columns?.sampleCount ?? 0);
}

/** Shared by every sample whose labels were not decoded; frozen so nobody mistakes it for a real label set. */
const NO_LABELS: Record<string, string> = Object.freeze(Object.create(null));

/** Series i's labels as an object of its own, with its own `le` (see MetricSeriesColumns.labels). */
function ownLabels(c: MetricSeriesColumns, i: number): Record<string, string> {
  const shared = c.labels[i] ?? NO_LABELS;
  const le = c.les[i];
  if (shared.le === le) return shared;
  const labels: Record<string, string> = Object.assign(Object.create(null), shared);
  if (le === undefined) delete labels.le;
  else labels.le = le;
  return labels;
}

/**
 * A batch's samples as objects, columns expanded (for receivers' tests and sinks that want objects): a series
 * given by hash only has name "" and no labels, `labelsOmitted` set, as in the object form of remote-write.
 */
export function samplesOf(batch: MetricBatch): MetricSample[] {
  const c = batch.columns;
  if (c === undefined) return batch.samples;
  const samples: MetricSample[] = [...batch.samples];
  for (let i = 0; i < c.seriesCount; i++) {
    const given = c.given[i];
    if (given === SeriesGiven.skipped) continue;
    const hashes = { seriesHashHi: c.hashHi[i] ?? 0, seriesHashLo: c.hashLo[i] ?? 0 };
    const to = c.firstSample[i + 1] ?? 0;
    for (let k = c.firstSample[i] ?? 0; k < to; k++) {
      if (c.skip[k] === 1) continue;
      const value = c.values[k] ?? 0;
      const timestampMs = c.timestampsMs[k] ?? 0;
      if (given === SeriesGiven.hashOnly) {
        samples.push({ name: "", labels: NO_LABELS, value, timestampMs, ...hashes, labelsOmitted: true });
      } else {
        samples.push({ name: c.names[i] ?? "", labels: ownLabels(c, i), value, timestampMs, ...hashes });
      }
    }
  }
  return samples;
}
