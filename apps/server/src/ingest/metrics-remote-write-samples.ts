/**
 * A decoded remote-write WriteRequest → one sink batch. Remote-write series carry their name as the
 * `__name__` label; samples are cumulative as Prometheus stored them (counters keep counting, the store
 * computes deltas), and a push is a partial view of the sender (`complete: false`).
 */
import type { RemoteWriteRequest } from "@meshscope/wire";
import type { MetricBatch, MetricSample } from "../metrics/metric-sink.js";

export interface RemoteWriteSamples {
  batch: MetricBatch;
  /**
   * Staleness markers skipped. Prometheus writes one when a series disappears from its target; the sink
   * contract has no "end this series" signal for partial pushes, so the marker is dropped and counted. The
   * store then sees the series' next sample, if any, as a continuation (a counter reset is still detected by
   * the value going down), which is what PromQL's rate() also does across a gap inside its range.
   */
  staleMarkers: number;
  /** Series without `__name__` (not valid in Prometheus' data model); their samples are skipped. */
  unnamedSamples: number;
}

export function remoteWriteToBatch(request: RemoteWriteRequest, source: string): RemoteWriteSamples {
  const samples: MetricSample[] = [];
  let staleMarkers = 0;
  let unnamedSamples = 0;
  for (const series of request.timeseries) {
    const hashes = { seriesHashHi: series.labelsHashHi, seriesHashLo: series.labelsHashLo };
    if (series.labelsSkipped === true) {
      // The store knows this series by its label hash: no labels needed (nor decoded).
      for (const s of series.samples) {
        if (s.stale) staleMarkers++;
        else
          samples.push({
            name: "",
            labels: series.labels,
            value: s.value,
            timestampMs: s.timestampMs,
            ...hashes,
            labelsOmitted: true,
          });
      }
      continue;
    }
    const name = series.labels.__name__;
    if (name === undefined) {
      unnamedSamples += series.samples.length;
      continue;
    }
    // Null prototype, like the decoder's label objects, so a `__proto__` label stays data. (A copy per series the
    // store does not know yet; known ones skip labels altogether.)
    const labels: Record<string, string> = Object.create(null);
    for (const key of Object.keys(series.labels)) {
      if (key !== "__name__") labels[key] = series.labels[key] ?? "";
    }
    for (const s of series.samples) {
      if (s.stale) {
        staleMarkers++;
        continue;
      }
      samples.push({ name, labels, value: s.value, timestampMs: s.timestampMs, ...hashes });
    }
  }
  return { batch: { source, temporality: "cumulative", complete: false, samples }, staleMarkers, unnamedSamples };
}
