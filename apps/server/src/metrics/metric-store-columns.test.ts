import { decodeRemoteWrite, decodeRemoteWriteColumns } from "@meshscope/wire";
import { describe, expect, it } from "vitest";
import { remoteWriteToBatch } from "../ingest/metrics-remote-write-samples.js";
import { columnsToBatch } from "../ingest/remote-write-columns-batch.js";
import type { SqliteStore } from "../store/sqlite-store.js";
import { REVIEWS_EDGE_LABELS } from "../test-support/istio-edge-labels.js";
import { snappyLiterals, type WriteSeries, writeRequest } from "../test-support/remote-write-body.js";
import { useTempStores } from "../test-support/store-fixtures.js";
import { SeriesGiven } from "./metric-sink.js";

/**
 * Remote-write samples reach the store as the decoder's columns (no object per sample). These tests push the
 * same real encoded WriteRequests as columns into one store and as MetricSample objects into another, and check
 * both answer the same: per-push results, rates and histogram buckets.
 */
const T0 = 1_700_000_000_000;
const SOURCE = "remote-write:10.0.0.7";
const LIMIT = 1 << 20;
const { openStore } = useTempStores("columns.db");

const EDGE = REVIEWS_EDGE_LABELS;

/**
 * Push i: every series twice, 5 s apart (so series after series is not time order) or once (the usual push, in
 * time order as it comes), a counter reset at push 3,
 * a NaN, a metric the store does not keep, a bucket with a bound that is not a number, a series without a name.
 */
function pushSeries(i: number, oneSample = false): WriteSeries[] {
  const t = T0 + i * 15_000;
  const twice = (v: number) =>
    oneSample
      ? [{ value: v + 10, timestampMs: t }]
      : [
          { value: v, timestampMs: t - 5_000 },
          { value: v + 10, timestampMs: t },
        ];
  const requests = i === 3 ? 5 : 100 * i;
  return [
    { labels: { __name__: "istio_requests_total", ...EDGE, response_code: "200" }, samples: twice(requests) },
    {
      labels: { __name__: "istio_requests_total", ...EDGE, response_code: "503" },
      samples: [{ value: i === 2 ? Number.NaN : 7 * i, timestampMs: t }],
    },
    { labels: { __name__: "envoy_cluster_upstream_cx_total", cluster: "x" }, samples: twice(3 * i) },
    ...["1", "5", "+Inf"].map((le, k) => ({
      labels: { __name__: "istio_request_duration_milliseconds_bucket", ...EDGE, response_code: "200", le },
      samples: twice((k + 1) * 20 * i),
    })),
    {
      labels: { __name__: "istio_request_duration_milliseconds_bucket", ...EDGE, response_code: "200", le: "x" },
      samples: twice(i),
    },
    {
      labels: { __name__: "istio_request_duration_milliseconds_count", ...EDGE, response_code: "200" },
      samples: twice(60 * i),
    },
    { labels: { job: "no-name" }, samples: twice(i) },
  ];
}

/** Decoded on this thread, the columns carry their bytes: they are never asked for again. */
function bytesCameAlong(): never {
  throw new Error("the decompressed bytes came with the columns");
}

async function pushBoth(columnsStore: SqliteStore, objectsStore: SqliteStore, series: WriteSeries[]) {
  const body = snappyLiterals(writeRequest(series));
  const viaColumns = columnsToBatch(
    decodeRemoteWriteColumns(body, { maxDecompressedBytes: LIMIT }),
    SOURCE,
    (hi, lo) => columnsStore.metrics.knownSeries(SOURCE, hi, lo),
    bytesCameAlong,
  );
  const viaObjects = remoteWriteToBatch(
    decodeRemoteWrite(body, {
      maxDecompressedBytes: LIMIT,
      isKnownSeries: (hi, lo) => objectsStore.metrics.knownSeries(SOURCE, hi, lo) !== undefined,
    }),
    SOURCE,
  );
  const hashOnly = viaColumns.batch.columns?.given.filter((g) => g === SeriesGiven.hashOnly).length ?? 0;
  return {
    columns: await columnsStore.metrics.ingest(viaColumns.batch),
    objects: await objectsStore.metrics.ingest(viaObjects.batch),
    hashOnly,
  };
}

describe("remote-write samples as columns", () => {
  it.each([
    ["two samples per series", false],
    ["one sample per series", true],
  ])(
    "answer exactly what the same samples as objects answer (%s): results, rates, resets, buckets",
    async (_, oneSample) => {
      const columnsStore = openStore();
      const objectsStore = openStore();
      const hashOnly: number[] = [];
      for (let i = 1; i <= 5; i++) {
        const r = await pushBoth(columnsStore, objectsStore, pushSeries(i, oneSample));
        expect(r.columns).toEqual(r.objects);
        hashOnly.push(r.hashOnly);
      }
      // The first push teaches the store the series; then the kept and the unkept ones go by hash alone (not the
      // one whose bound is not a number, nor the unnamed one: they are never remembered).
      expect(hashOnly).toEqual([0, 7, 7, 7, 7]);
      for (const [startMs, endMs] of [
        [T0, T0 + 5 * 15_000],
        [T0 + 2 * 15_000, T0 + 4 * 15_000],
        [T0 + 3 * 15_000 - 5_000, T0 + 3 * 15_000],
      ] as const) {
        const traffic = (s: SqliteStore) =>
          s.metrics
            .edgeTraffic({ startMs, endMs })
            .map((row) => ({ ...row }))
            .sort((a, b) => a.key.responseCode.localeCompare(b.key.responseCode));
        const fromColumns = traffic(columnsStore);
        expect(fromColumns).toEqual(traffic(objectsStore));
        if (startMs === T0) expect(fromColumns.length).toBeGreaterThan(0);
      }
    },
  );

  it("refuse series past the cardinality limit as the object form does", async () => {
    const columnsStore = openStore({ metrics: { maxSeriesPerMetric: 1 } });
    const objectsStore = openStore({ metrics: { maxSeriesPerMetric: 1 } });
    const refused: number[] = [];
    for (let i = 1; i <= 3; i++) {
      const r = await pushBoth(columnsStore, objectsStore, pushSeries(i));
      expect(r.columns).toEqual(r.objects);
      refused.push(r.columns.refusedSeries);
    }
    // One requests series fits; the other is refused, except at push 2 where its only sample is NaN (ignored
    // before the limit is consulted).
    expect(refused).toEqual([1, 0, 1]);
    expect(columnsStore.metrics.stats()).toEqual(objectsStore.metrics.stats());
  });

  it("drop the samples of series whose labels were skipped when the store forgot them in between", async () => {
    const teacher = openStore();
    await pushBoth(teacher, openStore(), pushSeries(1));
    const body = snappyLiterals(writeRequest(pushSeries(2)));
    const mapped = columnsToBatch(
      decodeRemoteWriteColumns(body, { maxDecompressedBytes: LIMIT }),
      SOURCE,
      (hi, lo) => teacher.metrics.knownSeries(SOURCE, hi, lo),
      bytesCameAlong,
    );
    // A store that lost its state (as after a failed commit) between the decode and the ingest: the 13 samples of
    // the 7 known series are dropped; the bucket with a bad bound (2 samples) is ignored as always.
    const result = await openStore().metrics.ingest(mapped.batch);
    expect(result).toEqual({ accepted: 0, ignored: 15, refusedSeries: 0 });
  });
});
