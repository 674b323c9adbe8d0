import { decodeRemoteWrite, decodeRemoteWriteColumns, encodeLabels, writeRequestBody } from "@meshscope/wire";
import { describe, expect, it } from "vitest";
import { remoteWriteToBatch } from "../ingest/metrics-remote-write-samples.js";
import { columnsToBatch } from "../ingest/remote-write-columns-batch.js";
import type { SqliteStore } from "../store/sqlite-store.js";
import { REVIEWS_EDGE_LABELS } from "../test-support/istio-edge-labels.js";
import { useTempStores } from "../test-support/store-fixtures.js";
import { histogramQuantile } from "./histogram.js";

/**
 * The remote-write hot path: a series the store already holds is recognised by the hash of its label bytes and
 * its labels are not decoded again. These tests push real encoded WriteRequests through the receiver's decode
 * and mapping, and check the store answers exactly what it answers when every label set is decoded.
 */
const T0 = 1_700_000_000_000;
const SOURCE = "remote-write:127.0.0.1";
const { openStore } = useTempStores("hash.db");

const EDGE = REVIEWS_EDGE_LABELS;
const LES = ["1", "5", "10", "+Inf"];
/** Per push, of 100 requests: 10 ≤ 1 ms, 60 ≤ 5 ms, 90 ≤ 10 ms. */
const CUMULATIVE_PER_PUSH = [10, 60, 90, 100];

/** The series of one push: requests per response code, and one duration histogram. */
function seriesAt(i: number): { labels: Record<string, string>; value: number }[] {
  return [
    { labels: { __name__: "istio_requests_total", ...EDGE, response_code: "200" }, value: 100 * i },
    { labels: { __name__: "istio_requests_total", ...EDGE, response_code: "503" }, value: 7 * i },
    { labels: { __name__: "envoy_cluster_upstream_cx_total", cluster: "x" }, value: 3 * i },
    ...LES.map((le, k) => ({
      labels: { __name__: "istio_request_duration_milliseconds_bucket", ...EDGE, response_code: "200", le },
      value: (CUMULATIVE_PER_PUSH[k] ?? 0) * i,
    })),
    {
      labels: { __name__: "istio_request_duration_milliseconds_count", ...EDGE, response_code: "200" },
      value: 100 * i,
    },
    { labels: { __name__: "istio_request_duration_milliseconds_sum", ...EDGE, response_code: "200" }, value: 450 * i },
  ];
}

async function push(store: SqliteStore, i: number, useHashes: boolean): Promise<{ skipped: number }> {
  const series = seriesAt(i);
  const body = writeRequestBody(
    series.map((s) => encodeLabels(s.labels)),
    series.map((s) => s.value),
    T0 + i * 15_000,
  );
  const decoded = decodeRemoteWrite(body, {
    maxDecompressedBytes: 1 << 20,
    isKnownSeries: useHashes ? (hi, lo) => store.metrics.knownSeries(SOURCE, hi, lo) !== undefined : undefined,
  });
  await store.metrics.ingest(remoteWriteToBatch(decoded, SOURCE).batch);
  return { skipped: decoded.timeseries.filter((s) => s.labelsSkipped).length };
}

/** An empty push from another sender: it runs the store's sweep. */
async function pushFromAnotherSender(store: SqliteStore): Promise<void> {
  await store.metrics.ingest({
    source: "remote-write:10.0.0.9",
    temporality: "cumulative",
    complete: false,
    samples: [],
  });
}

describe("series recognised by their label bytes", () => {
  it("skips decoding the labels of known series and answers the same rates and quantiles", async () => {
    const hashed = openStore();
    const plain = openStore();
    const skippedPerPush: number[] = [];
    for (let i = 1; i <= 6; i++) {
      skippedPerPush.push((await push(hashed, i, true)).skipped);
      await push(plain, i, false);
    }
    // The first push teaches the store every series (the unkept envoy_* one too); later ones skip them all.
    expect(skippedPerPush).toEqual([0, 9, 9, 9, 9, 9]);
    const window = { startMs: T0, endMs: T0 + 6 * 15_000 };
    const byCode = (s: SqliteStore) =>
      Object.fromEntries(s.metrics.edgeTraffic(window).map((r) => [r.key.responseCode, r.requestsPerSec]));
    expect(byCode(hashed)).toEqual(byCode(plain));
    expect(byCode(hashed)["200"]).toBeCloseTo(100 / 15, 9);
    const q = (s: SqliteStore) => {
      const row = s.metrics.edgeTraffic(window).find((r) => r.key.responseCode === "200");
      return histogramQuantile(0.95, row?.durationBuckets ?? []);
    };
    expect(q(hashed)).toBeCloseTo(q(plain), 12);
    expect(q(hashed)).toBeGreaterThan(5);
  });

  it("forgets the hash of a stale series and learns it again from its labels", async () => {
    let wallMs = T0;
    const store = openStore({ metrics: { staleAfterMs: 60_000, now: () => wallMs } });
    await push(store, 1, true);
    wallMs += 30_000;
    expect((await push(store, 2, true)).skipped).toBe(9);
    // Silence past the staleness limit; another sender's push runs the sweep, which forgets the series.
    wallMs += 10 * 60_000;
    await pushFromAnotherSender(store);
    expect((await push(store, 3, true)).skipped).toBe(0);
    wallMs += 15_000;
    expect((await push(store, 4, true)).skipped).toBe(9);
    // Back after staleness, the series restarted from a baseline at push 3: the window 3..4 holds its rate.
    const rows = store.metrics.edgeTraffic({ startMs: T0 + 3 * 15_000, endMs: T0 + 4 * 15_000 });
    expect(rows.find((r) => r.key.responseCode === "200")?.requestsPerSec).toBeCloseTo(100 / 15, 9);
  });

  it("keeps series apart whose hashes share the store's map key, while some go stale and come back", async () => {
    let wallMs = T0;
    const store = openStore({ metrics: { staleAfterMs: 60_000, now: () => wallMs } });
    // Four hashes whose map key (the low 32 bits but two) is the same, one of a metric the store does not keep.
    const series: { hi: number; lo: number; labels: Record<string, string> }[] = [
      { hi: 1, lo: 4, labels: { __name__: "istio_requests_total", ...EDGE, response_code: "200" } },
      { hi: 2, lo: 5, labels: { __name__: "istio_requests_total", ...EDGE, response_code: "503" } },
      { hi: 0x80000003, lo: 4, labels: { __name__: "istio_requests_total", ...EDGE, response_code: "404" } },
      { hi: 4, lo: 7, labels: { __name__: "envoy_cluster_upstream_cx_total", cluster: "x" } },
    ];
    const pushOf = (which: number[], value: number, labelled: boolean) =>
      store.metrics.ingest({
        source: SOURCE,
        temporality: "cumulative",
        complete: false,
        samples: which.map((k) => {
          const s = series[k] ?? { hi: 0, lo: 0, labels: {} };
          const { __name__: name = "", ...labels } = s.labels;
          const sample = { value, timestampMs: wallMs, seriesHashHi: s.hi, seriesHashLo: s.lo };
          return labelled ? { ...sample, name, labels } : { ...sample, name: "", labels: {}, labelsOmitted: true };
        }),
      });
    const known = () => series.map((s) => store.metrics.knownSeries(SOURCE, s.hi, s.lo) !== undefined);
    await pushOf([0, 1, 2, 3], 10, true);
    expect(known()).toEqual([true, true, true, true]);
    expect(store.metrics.knownSeries(SOURCE, 9, 4)).toBeUndefined();
    wallMs += 15_000;
    expect(await pushOf([0, 1, 2, 3], 20, false)).toEqual({ accepted: 3, ignored: 1, refusedSeries: 0 });
    // The 503 series falls silent past the staleness limit; the others go on.
    for (const value of [30, 40, 50]) {
      wallMs += 25_000;
      expect(await pushOf([0, 2, 3], value, false)).toEqual({ accepted: 2, ignored: 1, refusedSeries: 0 });
    }
    expect(known()).toEqual([true, false, true, true]);
    // Back with its labels, it starts again from a baseline; then all four are known by their hashes again.
    wallMs += 15_000;
    expect(await pushOf([1], 100, true)).toEqual({ accepted: 1, ignored: 0, refusedSeries: 0 });
    expect(known()).toEqual([true, true, true, true]);
    wallMs += 15_000;
    expect(await pushOf([0, 1, 2, 3], 200, false)).toEqual({ accepted: 3, ignored: 1, refusedSeries: 0 });
    const rate = (code: string, seconds: number) =>
      store.metrics
        .edgeTraffic({ startMs: wallMs - seconds * 1000, endMs: wallMs })
        .find((r) => r.key.responseCode === code)?.requestsPerSec;
    // 200 and 404: 50 → 200 over the last 30 s; 503: its new baseline 100 → 200 over the last 15 s.
    expect(rate("200", 30)).toBeCloseTo(150 / 30, 9);
    expect(rate("404", 30)).toBeCloseTo(150 / 30, 9);
    expect(rate("503", 15)).toBeCloseTo(100 / 15, 9);
  });

  it("gives a series back the stream its edge has now when it returns after its stream went stale", async () => {
    let wallMs = T0;
    const store = openStore({ metrics: { staleAfterMs: 60_000, now: () => wallMs } });
    // Two pods report the same edge: two series (two identities), one stream.
    const pod = (name: string) => ({ __name__: "istio_requests_total", ...EDGE, response_code: "200", pod: name });
    const pushColumns = (pods: string[], values: number[]) => {
      const body = writeRequestBody(
        pods.map((p) => encodeLabels(pod(p))),
        values,
        wallMs,
      );
      const mapped = columnsToBatch(
        decodeRemoteWriteColumns(body),
        SOURCE,
        (hi, lo) => store.metrics.knownSeries(SOURCE, hi, lo),
        () => new Uint8Array(),
      );
      return store.metrics.ingest(mapped.batch);
    };
    await pushColumns(["a"], [0]);
    wallMs += 15_000;
    await pushColumns(["a"], [10]);
    // Silence past the staleness limit; another sender's push runs the sweep, which drops the stream.
    wallMs += 10 * 60_000;
    await pushFromAnotherSender(store);
    // Pod b comes first and gets the edge's stream again; then pod a returns.
    await pushColumns(["b"], [100]);
    wallMs += 15_000;
    await pushColumns(["b", "a"], [130, 1000]);
    wallMs += 15_000;
    await pushColumns(["b", "a"], [160, 1045]);
    const rows = store.metrics.edgeTraffic({ startMs: wallMs - 15_000, endMs: wallMs });
    // One row, both pods in it: 30 + 45 requests in 15 s.
    expect(rows.map((r) => r.requestsPerSec)).toEqual([75 / 15]);
  });

  it("drops a sample whose labels were skipped when its series was forgotten in between, instead of misplacing it", async () => {
    const store = openStore();
    await push(store, 1, true);
    const series = seriesAt(2);
    const body = writeRequestBody(
      series.map((s) => encodeLabels(s.labels)),
      series.map((s) => s.value),
      T0 + 2 * 15_000,
    );
    const decoded = decodeRemoteWrite(body, {
      maxDecompressedBytes: 1 << 20,
      isKnownSeries: (hi, lo) => store.metrics.knownSeries(SOURCE, hi, lo) !== undefined,
    });
    expect(decoded.timeseries.every((s) => s.labelsSkipped)).toBe(true);
    // A store that lost its state (as after a failed commit) between the decode and the ingest.
    const fresh = openStore();
    const result = await fresh.metrics.ingest(remoteWriteToBatch(decoded, SOURCE).batch);
    expect(result).toEqual({ accepted: 0, ignored: 9, refusedSeries: 0 });
    expect(fresh.metrics.edgeTraffic({ startMs: T0, endMs: T0 + 60_000 })).toEqual([]);
  });
});
