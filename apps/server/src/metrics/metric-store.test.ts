import { describe, expect, it } from "vitest";
import type { SqliteStore } from "../store/sqlite-store.js";
import { useTempStores } from "../test-support/store-fixtures.js";
import { histogramQuantile } from "./histogram.js";
import type { EdgeTraffic } from "./metric-reader.js";
import type { MetricBatch, MetricSample } from "./metric-sink.js";

const T0 = 1_700_000_000_000; // ms
const HOUR_US = 3_600_000_000;

const EDGE = {
  reporter: "destination",
  source_workload: "productpage-v1",
  source_workload_namespace: "bookinfo",
  source_app: "productpage",
  source_version: "v1",
  destination_service: "reviews.bookinfo.svc.cluster.local",
  destination_service_name: "reviews",
  destination_service_namespace: "bookinfo",
  destination_workload: "reviews-v2",
  destination_workload_namespace: "bookinfo",
  destination_app: "reviews",
  destination_version: "v2",
  request_protocol: "http",
  response_code: "200",
  response_flags: "-",
  connection_security_policy: "mutual_tls",
};

const { openStore, closeStore } = useTempStores("m.db");

function requests(value: number, tsMs: number, labels: Record<string, string> = {}): MetricSample {
  return { name: "istio_requests_total", labels: { ...EDGE, ...labels }, value, timestampMs: tsMs };
}

function scrape(samples: MetricSample[], source = "http://pod-1:15090/stats/prometheus"): MetricBatch {
  return { source, temporality: "cumulative", complete: true, samples };
}

/** Scrapes every second from T0: the counter's value at scrape i is `value(i)`. */
async function scrapeSeries(store: SqliteStore, n: number, value: (i: number) => number, from = 0) {
  for (let i = from; i < from + n; i++) await store.metrics.ingest(scrape([requests(value(i), T0 + i * 1000)]));
}

function only(rows: EdgeTraffic[]): EdgeTraffic {
  expect(rows).toHaveLength(1);
  const row = rows[0];
  if (row === undefined) throw new Error("no row");
  return row;
}

describe.each(["worker", "main"] as const)("the metric store with a %s-thread writer", (writerThread) => {
  it("answers PromQL's rate for a steady counter and resolves ingest after commit", async () => {
    const store = openStore({ writerThread });
    await scrapeSeries(store, 30, (i) => 1000 + 10 * i);
    // Window (T0+5s, T0+25s]: samples at 5..25 s, the edges fall on samples, no extrapolation beyond them.
    const row = only(store.metrics.edgeTraffic({ startMs: T0 + 5000, endMs: T0 + 25_000 }));
    expect(row.requestsPerSec).toBeCloseTo(10, 9);
    expect(row.key).toMatchObject({ sourceWorkload: "productpage-v1", destinationWorkload: "reviews-v2" });
  });
});

describe("the metric store", () => {
  it("gives no rate from a single sample, since a first sample is only a baseline", async () => {
    const store = openStore();
    const r = await store.metrics.ingest(scrape([requests(500, T0)]));
    expect(r).toEqual({ accepted: 1, ignored: 0, refusedSeries: 0 });
    expect(store.metrics.edgeTraffic({ startMs: T0 - 60_000, endMs: T0 + 60_000 })).toEqual([]);
  });

  it("counts the new value as the increase across a counter reset", async () => {
    const store = openStore();
    const values = [100, 110, 5, 15];
    await scrapeSeries(store, 4, (i) => values[i] ?? 0);
    // increase = 10 + 5 (reset: counter restarted from 0) + 10 over 3 s, window edges on samples.
    const row = only(store.metrics.edgeTraffic({ startMs: T0, endMs: T0 + 3000 }));
    expect(row.requestsPerSec * 3).toBeCloseTo(25, 9);
  });

  it("extrapolates to the window edges as PromQL does", async () => {
    const store = openStore();
    await scrapeSeries(store, 10, (i) => 1000 + 4 * i);
    // Samples at 0..9 s; window [0.5 s, 9.5 s]: 9 samples (1..9), 8 s sampled, 0.5 s to each edge (< 1.1 s).
    const row = only(store.metrics.edgeTraffic({ startMs: T0 + 500, endMs: T0 + 9500 }));
    expect(row.requestsPerSec).toBeCloseTo((32 * (9 / 8)) / 9, 9);
  });

  it("ignores series it does not keep and NaN samples", async () => {
    const store = openStore();
    const r = await store.metrics.ingest(
      scrape([
        { name: "envoy_cluster_upstream_rq_total", labels: {}, value: 3, timestampMs: T0 },
        requests(Number.NaN, T0),
        {
          name: "istio_request_duration_milliseconds_bucket",
          labels: { ...EDGE, le: "abc" },
          value: 1,
          timestampMs: T0,
        },
      ]),
    );
    expect(r).toEqual({ accepted: 0, ignored: 3, refusedSeries: 0 });
  });

  it("starts a new baseline when a series reappears after missing from a complete scrape", async () => {
    const store = openStore();
    const other = requests(0, 0, { response_code: "503" });
    await store.metrics.ingest(scrape([requests(100, T0), { ...other, value: 1, timestampMs: T0 }]));
    await store.metrics.ingest(scrape([requests(100, T0 + 1000)]));
    // The 503 series comes back at 50: a baseline, so nothing is counted for it between 0 s and 2 s.
    await store.metrics.ingest(scrape([requests(100, T0 + 2000), { ...other, value: 50, timestampMs: T0 + 2000 }]));
    await store.metrics.ingest(scrape([requests(100, T0 + 3000), { ...other, value: 53, timestampMs: T0 + 3000 }]));
    const rows = store.metrics.edgeTraffic({ startMs: T0, endMs: T0 + 3000 });
    const err = rows.find((r) => r.key.responseCode === "503");
    // 503 stream: samples at 0, 2, 3 s; running total 1 → 1 → 4: increase 3 over the window.
    expect((err?.requestsPerSec ?? 0) * 3).toBeCloseTo(3, 9);
  });

  it("takes delta-temporality batches as increases", async () => {
    const store = openStore();
    for (let i = 0; i < 5; i++) {
      await store.metrics.ingest({
        source: "otlp:peer",
        temporality: "delta",
        complete: false,
        samples: [requests(6, T0 + i * 1000)],
      });
    }
    // Totals 6, 12, …, 30 at 0..4 s: increase 24 over 4 s.
    const row = only(store.metrics.edgeTraffic({ startMs: T0, endMs: T0 + 4000 }));
    expect(row.requestsPerSec * 4).toBeCloseTo(24, 9);
  });

  it("refuses series past the cardinality limit and says how many", async () => {
    const store = openStore({ metrics: { maxSeriesPerMetric: 2 } });
    const r = await store.metrics.ingest(
      scrape([
        requests(1, T0, { response_code: "200" }),
        requests(1, T0, { response_code: "404" }),
        requests(1, T0, { response_code: "500" }),
      ]),
    );
    expect(r).toEqual({ accepted: 2, ignored: 0, refusedSeries: 1 });
    expect(store.metrics.stats().refusedSeries).toBe(1);
  });

  it("sums series that differ only in labels outside the edge key, and keeps instances apart", async () => {
    const store = openStore();
    for (let i = 0; i < 3; i++) {
      await store.metrics.ingest({
        source: "remote-write:prom",
        temporality: "cumulative",
        complete: false,
        samples: [
          requests(100 + 10 * i, T0 + i * 1000, { instance: "a", source_principal: "spiffe://x" }),
          requests(100 + 20 * i, T0 + i * 1000, { instance: "a", source_principal: "spiffe://y" }),
          requests(100 + 5 * i, T0 + 300 + i * 1000, { instance: "b" }),
        ],
      });
    }
    const row = only(store.metrics.edgeTraffic({ startMs: T0, endMs: T0 + 2300 }));
    // instance a: 60 over 2 s, window edge on its first sample, 0.3 s to the end (< 1.1 s) → 60·2.3/2/2.3;
    // instance b: 10 over 2 s, 0.3 s to the start → 10·2.3/2/2.3.
    expect(row.requestsPerSec).toBeCloseTo(30 + 5, 9);
  });

  it("filters by namespace and reporter", async () => {
    const store = openStore();
    const other = { source_workload_namespace: "shop", destination_service_namespace: "shop" };
    const both = (i: number) => [
      requests(i, T0 + i * 1000),
      requests(i, T0 + i * 1000, { ...other, destination_workload_namespace: "shop" }),
      requests(i, T0 + i * 1000, { reporter: "source", connection_security_policy: "unknown" }),
    ];
    for (let i = 0; i < 3; i++) await store.metrics.ingest(scrape(both(i)));
    const w = { startMs: T0, endMs: T0 + 2000 };
    expect(store.metrics.edgeTraffic(w)).toHaveLength(3);
    expect(store.metrics.edgeTraffic({ ...w, namespaces: ["shop"] }).map((r) => r.key.sourceNamespace)).toEqual([
      "shop",
    ]);
    expect(store.metrics.edgeTraffic({ ...w, namespaces: ["bookinfo"], reporter: "source" })).toHaveLength(1);
  });

  it("keeps duration buckets per le as scraped and answers histogram_quantile", async () => {
    const store = openStore();
    const les = ["0.5", "1", "5", "10", "25", "+Inf"];
    // Per second: 10 requests ≤ 1 ms, 30 more ≤ 5 ms, 60 more ≤ 10 ms (100 in all).
    const cum = [0, 10, 40, 100, 100, 100];
    for (let i = 0; i < 5; i++) {
      const ts = T0 + i * 1000;
      await store.metrics.ingest(
        scrape([
          ...les.map((le, k) => ({
            name: "istio_request_duration_milliseconds_bucket",
            labels: { ...EDGE, le },
            value: (cum[k] ?? 0) * i,
            timestampMs: ts,
          })),
          { name: "istio_request_duration_milliseconds_sum", labels: EDGE, value: 600 * i, timestampMs: ts },
          { name: "istio_request_duration_milliseconds_count", labels: EDGE, value: 100 * i, timestampMs: ts },
        ]),
      );
    }
    const row = only(store.metrics.edgeTraffic({ startMs: T0, endMs: T0 + 4000 }));
    expect(row.durationBuckets.map((b) => b.le)).toEqual([0.5, 1, 5, 10, 25, Number.POSITIVE_INFINITY]);
    expect(row.durationCountPerSec).toBeCloseTo(100, 9);
    expect(row.durationSumPerSec / row.durationCountPerSec).toBeCloseTo(6, 9);
    // p50: rank 50 in (5, 10] holding 60 → 5 + 5·(10/60); p95: 5 + 5·(55/60); p05: 0.5 + 0.5·(5/10).
    expect(histogramQuantile(0.5, row.durationBuckets)).toBeCloseTo(5 + 5 * (10 / 60), 9);
    expect(histogramQuantile(0.95, row.durationBuckets)).toBeCloseTo(5 + 5 * (55 / 60), 9);
    expect(histogramQuantile(0.05, row.durationBuckets)).toBeCloseTo(0.75, 9);
  });

  it("reads each bucket bound in any notation as its number, and ignores a bucket whose bound is not one", async () => {
    const store = openStore();
    // The same bounds as above, written differently, and a bound that is not a number.
    const les = ["0.50", "1e0", "5.0", "10", "25", "inf", "abc"];
    const cum = [0, 10, 40, 100, 100, 100, 100];
    const ignored: number[] = [];
    for (let i = 0; i < 3; i++) {
      const result = await store.metrics.ingest(
        scrape(
          les.map((le, k) => ({
            name: "istio_request_duration_milliseconds_bucket",
            labels: { ...EDGE, le },
            value: (cum[k] ?? 0) * i,
            timestampMs: T0 + i * 1000,
          })),
        ),
      );
      ignored.push(result.ignored);
    }
    const row = only(store.metrics.edgeTraffic({ startMs: T0, endMs: T0 + 2000 }));
    expect(row.durationBuckets.map((b) => b.le)).toEqual([0.5, 1, 5, 10, 25, Number.POSITIVE_INFINITY]);
    expect(row.durationBuckets.map((b) => b.count)).toEqual([0, 10, 40, 100, 100, 100]);
    expect(ignored).toEqual([1, 1, 1]);
  });

  it("continues stored totals after a restart, losing only the increase up to the first new sample", async () => {
    const first = openStore();
    await scrapeSeries(first, 5, (i) => 100 + 10 * i);
    await closeStore(first);
    const again = openStore();
    // Samples 5..9 after the restart: the one at 5 s is a baseline (its +10 is lost), then +10 per second.
    await scrapeSeries(again, 5, (i) => 100 + 10 * i, 5);
    const row = only(again.metrics.edgeTraffic({ startMs: T0, endMs: T0 + 9000 }));
    expect(row.requestsPerSec * 9).toBeCloseTo(80, 9);
    const after = only(again.metrics.edgeTraffic({ startMs: T0 + 5000, endMs: T0 + 9000 }));
    expect(after.requestsPerSec).toBeCloseTo(10, 9);
  });

  it("deletes points older than the retention period", async () => {
    const store = openStore({ retentionUs: HOUR_US });
    await scrapeSeries(store, 3, (i) => i);
    const nowUs = (T0 + 2000) * 1000 + HOUR_US;
    // Cutoff at T0 + 2 s: the points at 0 s and 1 s go, the one at 2 s stays.
    expect(store.runRetention(nowUs).deletedMetricPoints).toBe(2);
    expect(store.metrics.edgeTraffic({ startMs: T0, endMs: T0 + 2000 })).toEqual([]);
  });

  it("gives a rate per step over time", async () => {
    const store = openStore();
    await scrapeSeries(store, 11, (i) => (i <= 5 ? 10 * i : 50 + 20 * (i - 5)));
    const points = store.metrics.seriesOverTime({ startMs: T0 + 5000, endMs: T0 + 10_000, stepMs: 5000 });
    expect(points.map((p) => p.tMs)).toEqual([T0 + 5000, T0 + 10_000]);
    expect(points.map((p) => only(p.edges).requestsPerSec)).toEqual([expect.closeTo(10, 9), expect.closeTo(20, 9)]);
  });
});
