import { describe, expect, it } from "vitest";
import { REVIEWS_EDGE_LABELS } from "../test-support/istio-edge-labels.js";
import { useTempStores } from "../test-support/store-fixtures.js";
import type { EdgeTraffic } from "./metric-reader.js";
import type { MetricBatch, MetricSample } from "./metric-sink.js";

/**
 * Recent windows are answered from memory (hot-points.ts). These tests feed the same scrapes to a store with
 * the in-memory window and to one that always reads SQLite, and require identical answers.
 */
const T0 = 1_700_000_000_000;
const { openStore } = useTempStores("hot.db");

const EDGE = REVIEWS_EDGE_LABELS;
const LES = ["1", "5", "10", "+Inf"];

/** Scrape i of two pods: counters grow, pod-2's counter resets at scrape 7, histograms on pod-1 only. */
function scrapeAt(i: number, pod: 1 | 2): MetricBatch {
  const ts = T0 + i * 15_000;
  const value = pod === 2 && i >= 7 ? 5 * (i - 7) : 10 * i + (pod === 2 ? 3 * i * i : 0);
  const samples: MetricSample[] = [
    { name: "istio_requests_total", labels: { ...EDGE, response_code: "200" }, value, timestampMs: ts },
    {
      name: "istio_requests_total",
      labels: { ...EDGE, response_code: "503", destination_service_namespace: "other" },
      value: i,
      timestampMs: ts,
    },
  ];
  if (pod === 1) {
    LES.forEach((le, k) => {
      samples.push({
        name: "istio_request_duration_milliseconds_bucket",
        labels: { ...EDGE, response_code: "200", le },
        value: ([3, 7, 9, 10][k] ?? 0) * i,
        timestampMs: ts,
      });
    });
  }
  return { source: `http://pod-${pod}:15090/stats/prometheus`, temporality: "cumulative", complete: true, samples };
}

function sorted(rows: EdgeTraffic[]): EdgeTraffic[] {
  return [...rows].sort((a, b) => JSON.stringify(a.key).localeCompare(JSON.stringify(b.key)));
}

describe("the in-memory window of recent points", () => {
  it("answers every recent window exactly as the database does, and falls back to it for older ones", async () => {
    let wallMs = T0;
    const hot = openStore({ metrics: { now: () => wallMs, hotWindowMs: 3 * 60_000 } });
    const cold = openStore({ metrics: { now: () => wallMs, hotWindowMs: 0 } });
    for (let i = 0; i < 30; i++) {
      wallMs = T0 + i * 15_000 + 500;
      for (const store of [hot, cold]) {
        await store.metrics.ingest(scrapeAt(i, 1));
        await store.metrics.ingest(scrapeAt(i, 2));
      }
    }
    expect(hot.metrics.hotPointCount).toBeGreaterThan(0);
    // Four streams, a point every 15 s, 3 minutes kept (+ one sweep period): older points were evicted.
    expect(hot.metrics.hotPointCount).toBeLessThanOrEqual(4 * 14);
    const end = T0 + 29 * 15_000;
    const windows = [
      { startMs: end - 60_000, endMs: end },
      { startMs: end - 120_000, endMs: end - 7_000 },
      { startMs: end - 100_000, endMs: end, namespaces: ["other"] },
      { startMs: end - 100_000, endMs: end, reporter: "source" },
      // Older than the in-memory span: read from the database.
      { startMs: T0, endMs: T0 + 200_000 },
    ];
    for (const w of windows) {
      const a = sorted(hot.metrics.edgeTraffic(w));
      const b = sorted(cold.metrics.edgeTraffic(w));
      expect(a, JSON.stringify(w)).toEqual(b);
    }
    expect(hot.metrics.edgeTraffic(windows[0] ?? { startMs: 0, endMs: 0 }).length).toBe(2);
  });

  it("answers as the database does when a histogram gains bounds, and across growth and eviction of its points", async () => {
    let wallMs = T0;
    const hot = openStore({ metrics: { now: () => wallMs, hotWindowMs: 6 * 60_000 } });
    const cold = openStore({ metrics: { now: () => wallMs, hotWindowMs: 0 } });
    // 40 scrapes (more than a stream's first buffer holds, and 6 minutes kept, so old points are evicted); from
    // scrape 12 on the histogram has a bound it did not have, and from scrape 25 another one between the others.
    for (let i = 0; i < 40; i++) {
      wallMs = T0 + i * 15_000 + 500;
      const ts = T0 + i * 15_000;
      const les = i < 12 ? ["10", "+Inf"] : i < 25 ? ["10", "100", "+Inf"] : ["10", "50", "100", "+Inf"];
      const samples: MetricSample[] = [
        { name: "istio_requests_total", labels: { ...EDGE, response_code: "200" }, value: 7 * i, timestampMs: ts },
      ];
      les.forEach((le, k) => {
        samples.push({
          name: "istio_request_duration_milliseconds_bucket",
          labels: { ...EDGE, response_code: "200", le },
          value: (k + 1) * 3 * i + (le === "+Inf" ? 5 * i : 0),
          timestampMs: ts,
        });
      });
      const batch: MetricBatch = {
        source: "http://pod-1:15090/stats/prometheus",
        temporality: "cumulative",
        complete: true,
        samples,
      };
      for (const store of [hot, cold]) await store.metrics.ingest(batch);
    }
    const end = T0 + 39 * 15_000;
    const windows = [
      { startMs: end - 60_000, endMs: end },
      // Both span scrape 25, where the bound between the others appeared: their first point was recorded without it.
      { startMs: end - 300_000, endMs: end - 30_000 },
      { startMs: T0 + 20 * 15_000, endMs: T0 + 30 * 15_000 },
    ];
    let sawNewBound = false;
    for (const w of windows) {
      const a = sorted(hot.metrics.edgeTraffic(w));
      expect(a, JSON.stringify(w)).toEqual(sorted(cold.metrics.edgeTraffic(w)));
      const bounds = a.flatMap((row) => row.durationBuckets.map((b) => b.le));
      if (bounds.includes(50)) sawNewBound = true;
      expect(a.length).toBeGreaterThan(0);
    }
    expect(sawNewBound).toBe(true);
    // Eviction left at most the 6 minutes kept (+ one sweep period) of each of the two streams.
    expect(hot.metrics.hotPointCount).toBeLessThanOrEqual(2 * 26);
  });
});
