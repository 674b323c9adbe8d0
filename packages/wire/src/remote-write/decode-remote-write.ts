import { snappyDecompress } from "./snappy.js";
import { SeriesLabelReader, scanWriteRequest, type WriteRequestColumns } from "./write-request-columns.js";

/**
 * Prometheus remote-write 1.0: an HTTP body that is a snappy block wrapping a protobuf `prometheus.WriteRequest`
 * (prometheus/prometheus `prompb/remote.proto`, `prompb/types.proto`):
 *
 *   WriteRequest { repeated TimeSeries timeseries = 1; repeated MetricMetadata metadata = 3; }
 *   TimeSeries   { repeated Label labels = 1; repeated Sample samples = 2;
 *                  repeated Exemplar exemplars = 3; repeated Histogram histograms = 4; }
 *   Label        { string name = 1; string value = 2; }
 *   Sample       { double value = 1; int64 timestamp = 2; }   // timestamp: ms since epoch
 *
 * Metadata, exemplars and native histograms are skipped: Istio's histograms arrive as classic `_bucket{le}` series.
 */
export interface RemoteWriteSample {
  value: number;
  timestampMs: number;
  /**
   * Present (true) when the value is Prometheus' staleness marker, the NaN with bits 0x7ff0000000000002 that
   * Prometheus writes when a series disappears from its target. Flagged here because a JS number cannot be relied
   * on to keep a NaN payload, and the counter logic must end the series rather than read a NaN sample.
   */
  stale?: true;
}

export interface RemoteWriteSeries {
  /**
   * Includes `__name__`. Empty-valued labels are left out (Prometheus never sends them; other senders might, and
   * "" means "no label" in Prometheus' data model). A null-prototype object, so `__proto__` is kept as data.
   * Empty when `labelsSkipped` (the caller said it knows the series).
   */
  labels: Record<string, string>;
  samples: RemoteWriteSample[];
  /**
   * A 64-bit hash (two unsigned 32-bit halves) of the series' encoded label fields, bytes as sent. A sender
   * encodes one label set the same way every time (remote-write sorts labels by name), so a receiver can
   * recognise a series it has seen by this hash without decoding its ~25 label strings again. Two different
   * label sets share a hash with probability 2^-64 per pair (≈3·10^-8 across a million live series).
   */
  labelsHashHi: number;
  labelsHashLo: number;
  /** Set when `isKnownSeries` answered true: `labels` was not decoded. */
  labelsSkipped?: true;
}

export interface RemoteWriteRequest {
  timeseries: RemoteWriteSeries[];
}

export interface DecodeRemoteWriteOptions {
  /** Refuse bodies whose snappy preamble declares more than this many bytes. Default 32 MiB. */
  maxDecompressedBytes: number;
  /**
   * Asked once per series with its label hash (see RemoteWriteSeries); true means the caller already holds this
   * label set, decoded and checked from an earlier request, so it is not decoded again. Label checks (empty or
   * duplicate names) ran when the caller first saw it.
   */
  isKnownSeries?: (hashHi: number, hashLo: number) => boolean;
}

export const DEFAULT_MAX_DECOMPRESSED_BYTES = 32 * 1024 * 1024;

export function decodeRemoteWrite(body: Uint8Array, opts?: DecodeRemoteWriteOptions): RemoteWriteRequest {
  return seriesFromColumns(decodeRemoteWriteColumns(body, opts), opts?.isKnownSeries);
}

/**
 * Snappy and the protobuf scan only, into columns (write-request-columns.ts): what a worker thread does with a
 * body. Throws BodyTooLargeError past `maxDecompressedBytes`, WireError on a malformed body.
 */
export function decodeRemoteWriteColumns(
  body: Uint8Array,
  opts?: Pick<DecodeRemoteWriteOptions, "maxDecompressedBytes"> & {
    /** Decompress into this buffer when it is large enough (`bytes` is then a view of it); see snappyDecompress. */
    into?: Uint8Array;
  },
): WriteRequestColumns {
  const limit = opts?.maxDecompressedBytes ?? DEFAULT_MAX_DECOMPRESSED_BYTES;
  return scanWriteRequest(snappyDecompress(body, limit, opts?.into));
}

/** The protobuf half alone, for callers that received an uncompressed WriteRequest. */
export function decodeWriteRequest(
  bytes: Uint8Array,
  isKnownSeries?: (hashHi: number, hashLo: number) => boolean,
): RemoteWriteRequest {
  return seriesFromColumns(scanWriteRequest(bytes), isKnownSeries);
}

/** Shared by every series whose labels were skipped; frozen so nobody mistakes it for a real label set. */
const NO_LABELS: Record<string, string> = Object.freeze(Object.create(null));

/** Columns → one object per series and sample; labels decoded for the series `isKnownSeries` does not know. */
export function seriesFromColumns(
  c: WriteRequestColumns,
  isKnownSeries?: (hashHi: number, hashLo: number) => boolean,
): RemoteWriteRequest {
  const labelReader = new SeriesLabelReader(c);
  const timeseries: RemoteWriteSeries[] = [];
  for (let i = 0; i < c.seriesCount; i++) {
    const hi = c.hashHi[i] ?? 0;
    const lo = c.hashLo[i] ?? 0;
    const samples: RemoteWriteSample[] = [];
    const last = c.firstSample[i + 1] ?? 0;
    for (let k = c.firstSample[i] ?? 0; k < last; k++) {
      const value = c.values[k] ?? 0;
      const timestampMs = c.timestampsMs[k] ?? 0;
      samples.push(c.stale[k] === 1 ? { value, timestampMs, stale: true } : { value, timestampMs });
    }
    if (isKnownSeries?.(hi, lo) === true) {
      timeseries.push({ labels: NO_LABELS, samples, labelsHashHi: hi, labelsHashLo: lo, labelsSkipped: true });
    } else {
      timeseries.push({ labels: labelReader.labels(i), samples, labelsHashHi: hi, labelsHashLo: lo });
    }
  }
  return { timeseries };
}
