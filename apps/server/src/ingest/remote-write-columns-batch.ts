/**
 * Decoded remote-write columns (@meshscope/wire `WriteRequestColumns`) → one sink batch, the same batch
 * `remoteWriteToBatch` builds from the object form: series the store knows (by label hash) carry no labels,
 * the others get their labels decoded here, on the thread that keeps them; staleness markers and series without
 * `__name__` are skipped and counted.
 *
 * Must run in one synchronous stretch with the sink's `ingest` call that takes the batch: "known" is asked here
 * and is only guaranteed until the event loop turns (metric-sink.ts `isKnownSeries`).
 */
import { SeriesLabelReader, type WriteRequestColumns } from "@meshscope/wire";
import type { MetricSample } from "../metrics/metric-sink.js";
import type { RemoteWriteSamples } from "./metrics-remote-write-samples.js";

/** Shared by every sample whose labels were not decoded; frozen so nobody mistakes it for a real label set. */
const NO_LABELS: Record<string, string> = Object.freeze(Object.create(null));

export function columnsToBatch(
  c: WriteRequestColumns,
  source: string,
  isKnownSeries: (hashHi: number, hashLo: number) => boolean,
): RemoteWriteSamples {
  const samples: MetricSample[] = [];
  let staleMarkers = 0;
  let unnamedSamples = 0;
  let labelReader: SeriesLabelReader | null = null;
  const { hashHi, hashLo, firstSample, values, timestampsMs, stale } = c;
  for (let i = 0; i < c.seriesCount; i++) {
    const hi = hashHi[i] ?? 0;
    const lo = hashLo[i] ?? 0;
    const from = firstSample[i] ?? 0;
    const to = firstSample[i + 1] ?? 0;
    if (isKnownSeries(hi, lo)) {
      for (let k = from; k < to; k++) {
        if (stale[k] === 1) {
          staleMarkers++;
          continue;
        }
        samples.push({
          name: "",
          labels: NO_LABELS,
          value: values[k] ?? 0,
          timestampMs: timestampsMs[k] ?? 0,
          seriesHashHi: hi,
          seriesHashLo: lo,
          labelsOmitted: true,
        });
      }
      continue;
    }
    labelReader ??= new SeriesLabelReader(c);
    // Throws WireError on a bad label (empty or duplicate name): the whole request is refused, nothing stored.
    const { name, labels } = labelReader.nameAndLabels(i);
    if (name === undefined) {
      unnamedSamples += to - from;
      continue;
    }
    for (let k = from; k < to; k++) {
      if (stale[k] === 1) {
        staleMarkers++;
        continue;
      }
      samples.push({
        name,
        labels,
        value: values[k] ?? 0,
        timestampMs: timestampsMs[k] ?? 0,
        seriesHashHi: hi,
        seriesHashLo: lo,
      });
    }
  }
  return { batch: { source, temporality: "cumulative", complete: false, samples }, staleMarkers, unnamedSamples };
}
