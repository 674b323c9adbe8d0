/**
 * Decoded remote-write columns (@meshscope/wire `WriteRequestColumns`) → one sink batch holding the same samples
 * `remoteWriteToBatch` builds from the object form, as columns (MetricSeriesColumns: no object per sample):
 * series the store knows (by label hash) carry no labels, the others get their labels decoded here, on the
 * thread that keeps them; staleness markers and series without `__name__` are marked skipped and counted.
 *
 * Must run in one synchronous stretch with the sink's `ingest` call that takes the batch: "known" is asked here
 * and is only guaranteed until the event loop turns (metric-sink.ts `knownSeries`); the sink's answers travel in
 * the batch (`known`), so it does not look the series up a second time.
 *
 * The decompressed bytes are read only for series the store does not know; when the decode thread kept them
 * (`c.bytes` null), `bodyBytes` gives them again (the caller decompresses the body once more).
 */
import { type SeriesIdentityColumns, SeriesLabelReader } from "@meshscope/wire";
import { type KnownSeries, SeriesGiven } from "../metrics/metric-sink.js";
import type { RemoteWriteSamples } from "./metrics-remote-write-samples.js";
import type { ScannedWriteRequest } from "./remote-write-decode-protocol.js";

export function columnsToBatch(
  c: ScannedWriteRequest,
  source: string,
  knownSeries: (hashHi: number, hashLo: number) => KnownSeries | undefined,
  bodyBytes: () => Uint8Array,
): RemoteWriteSamples {
  let staleMarkers = 0;
  let unnamedSamples = 0;
  let labelReader: SeriesLabelReader | null = null;
  const { seriesCount, hashHi, hashLo, firstSample, stale } = c;
  const given = new Uint8Array(seriesCount);
  const names: (string | undefined)[] = new Array(seriesCount);
  const labels: (Record<string, string> | undefined)[] = new Array(seriesCount);
  const les: (string | undefined)[] = new Array(seriesCount);
  const identities: (string | undefined)[] = new Array(seriesCount);
  const known: (KnownSeries | undefined)[] = new Array(seriesCount);
  /** The last series whose labels were decoded in full (and named), for nameAndLeLike. */
  let decoded = -1;
  for (let k = 0; k < c.sampleCount; k++) staleMarkers += stale[k] ?? 0;
  for (let i = 0; i < seriesCount; i++) {
    const handle = knownSeries(hashHi[i] ?? 0, hashLo[i] ?? 0);
    if (handle !== undefined) {
      given[i] = SeriesGiven.hashOnly;
      known[i] = handle;
      continue;
    }
    labelReader ??= new SeriesLabelReader({ ...c, bytes: c.bytes ?? bodyBytes() });
    // Another series of the histogram decoded just before: its label object stands for this one's, which then
    // needs only its name and le (MetricSeriesColumns.labels). Told by the identities the decode thread made,
    // else by comparing the two series' bytes.
    const like =
      decoded < 0
        ? null
        : sameIdentity(c.identities, i, decoded)
          ? labelReader.nameAndLe(i)
          : labelReader.nameAndLeLike(i, decoded);
    if (like !== null) {
      given[i] = SeriesGiven.labels;
      names[i] = like.name;
      labels[i] = labels[decoded];
      identities[i] = identities[decoded];
      les[i] = like.le;
      continue;
    }
    // Throws WireError on a bad label (empty or duplicate name): the whole request is refused, nothing stored.
    const series = labelReader.nameAndLabels(i);
    if (series.name === undefined) {
      given[i] = SeriesGiven.skipped;
      const from = firstSample[i] ?? 0;
      const to = firstSample[i + 1] ?? 0;
      // All of its samples count as unnamed, staleness markers included (as in remoteWriteToBatch).
      unnamedSamples += to - from;
      for (let k = from; k < to; k++) staleMarkers -= stale[k] ?? 0;
      continue;
    }
    given[i] = SeriesGiven.labels;
    names[i] = series.name;
    labels[i] = series.labels;
    identities[i] = series.identity;
    les[i] = series.labels.le;
    decoded = i;
  }
  const columns = {
    seriesCount,
    given,
    hashHi,
    hashLo,
    names,
    labels,
    les,
    identities,
    known,
    firstSample,
    values: c.values,
    timestampsMs: c.timestampsMs,
    skip: stale,
    sampleCount: c.sampleCount - staleMarkers - unnamedSamples,
  };
  return {
    batch: { source, temporality: "cumulative", complete: false, samples: [], columns },
    staleMarkers,
    unnamedSamples,
  };
}

/** Whether the decode thread gave series a and b the same identity (so the same labels but name and le). */
function sameIdentity(ids: SeriesIdentityColumns | undefined, a: number, b: number): boolean {
  return (
    ids !== undefined &&
    ids.computed[a] === 1 &&
    ids.computed[b] === 1 &&
    ids.hi[a] === ids.hi[b] &&
    ids.lo[a] === ids.lo[b]
  );
}
