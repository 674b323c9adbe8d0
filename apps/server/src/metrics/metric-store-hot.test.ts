import { describe, expect, it } from "vitest";
import type { SqliteStore } from "../store/sqlite-store.js";
import { REVIEWS_EDGE_LABELS } from "../test-support/istio-edge-labels.js";
import { useTempStores } from "../test-support/store-fixtures.js";
import type { EdgeTraffic, EdgeTrafficQuery } from "./metric-reader.js";
import type { MetricBatch, MetricSample } from "./metric-sink.js";
import { rowsOf } from "./traffic-accumulator.js";

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

/** One complete scrape of `source`, ingested into each store. */
async function scrapeInto(stores: SqliteStore[], source: string, samples: MetricSample[]): Promise<void> {
  const batch: MetricBatch = { source, temporality: "cumulative", complete: true, samples };
  for (const store of stores) await store.metrics.ingest(batch);
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
      await scrapeInto([hot, cold], "http://pod-1:15090/stats/prometheus", samples);
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

  it("answers live (transient) windows as the database does while points arrive, age out and move", async () => {
    let wallMs = T0;
    const hot = openStore({ metrics: { now: () => wallMs, hotWindowMs: 3 * 60_000 } });
    const cold = openStore({ metrics: { now: () => wallMs, hotWindowMs: 0 } });
    let checked = 0;
    for (let i = 0; i < 40; i++) {
      wallMs = T0 + i * 15_000 + 500;
      for (const store of [hot, cold]) {
        await store.metrics.ingest(scrapeAt(i, 1));
        await store.metrics.ingest(scrapeAt(i, 2));
      }
      if (i < 6) continue;
      const end = T0 + i * 15_000;
      // Window starts that move forward and back over point times (the per-stream hint of hot-points.ts must
      // never answer for a start it was not set for), with scopes of 2, 1 and 0 keys one after another (a
      // transient answer is built in the arrays of the one before, which held other keys and more of them).
      const queries: EdgeTrafficQuery[] = [
        { startMs: end - 60_000, endMs: end },
        { startMs: end - 60_000 + 1, endMs: end + 1 },
        { startMs: end - 45_000, endMs: end, namespaces: ["other"] },
        { startMs: end - 75_000 - 1, endMs: end },
        { startMs: end - 60_000, endMs: end, reporter: "source" },
        { startMs: end - 30_000, endMs: end + 2_000 },
        { startMs: end - 90_000, endMs: end - 15_000 },
      ];
      for (const q of queries) {
        // Read at once, as the live graph does: the next transient answer may reuse this one's arrays.
        const live = sorted(rowsOf(hot.metrics.edgeTrafficTable({ ...q, transient: true })));
        expect(live, `scrape ${i}: ${JSON.stringify(q)}`).toEqual(sorted(cold.metrics.edgeTraffic(q)));
        checked++;
      }
    }
    expect(checked).toBe(34 * 7);
    // The span was exceeded many times over: points were evicted and each stream's buffer moved its points.
    expect(hot.metrics.hotPointCount).toBeLessThanOrEqual(4 * 14);
  });

  it("builds each transient answer afresh in the arrays of the one before, over scopes of many keys", async () => {
    let wallMs = T0;
    const hot = openStore({ metrics: { now: () => wallMs, hotWindowMs: 10 * 60_000 } });
    const cold = openStore({ metrics: { now: () => wallMs, hotWindowMs: 0 } });
    // 48 calls in 4 namespaces, two codes each, a 12-bound histogram per call: 96 keys and 576 bucket rates, more
    // than an accumulator's first arrays hold, so transient answers really share arrays.
    const bounds = ["1", "2", "5", "10", "20", "50", "100", "200", "500", "1000", "5000", "+Inf"];
    for (let i = 0; i < 8; i++) {
      wallMs = T0 + i * 15_000 + 500;
      const ts = T0 + i * 15_000;
      const samples: MetricSample[] = [];
      for (let c = 0; c < 48; c++) {
        const labels = {
          ...EDGE,
          source_workload: `caller-${c}`,
          source_workload_namespace: `ns-${c % 4}`,
          destination_service_name: `svc-${c}`,
          destination_service_namespace: `ns-${(c + 1) % 4}`,
          destination_workload: `svc-${c}-v1`,
          destination_workload_namespace: `ns-${(c + 1) % 4}`,
        };
        const ok = (c + 1) * 10 * i;
        samples.push({
          name: "istio_requests_total",
          labels: { ...labels, response_code: "200" },
          value: ok,
          timestampMs: ts,
        });
        samples.push({
          name: "istio_requests_total",
          labels: { ...labels, response_code: "503" },
          value: c * i,
          timestampMs: ts,
        });
        bounds.forEach((le, k) => {
          samples.push({
            name: "istio_request_duration_milliseconds_bucket",
            labels: { ...labels, response_code: "200", le },
            value: Math.round((ok * (k + 1 + (c % 5))) / (bounds.length + 4)),
            timestampMs: ts,
          });
        });
      }
      await scrapeInto([hot, cold], "http://mesh:15090/stats/prometheus", samples);
    }
    const end = T0 + 7 * 15_000;
    const queries: EdgeTrafficQuery[] = [
      { startMs: end - 90_000, endMs: end },
      { startMs: end - 60_000, endMs: end, namespaces: ["ns-2"] },
      { startMs: end - 90_000, endMs: end - 30_000 },
      { startMs: end - 60_000, endMs: end, namespaces: ["ns-0", "ns-3"] },
      { startMs: end - 45_000, endMs: end, reporter: "source" },
      { startMs: end - 75_000, endMs: end },
    ];
    let largest = 0;
    for (const q of queries) {
      const live = sorted(rowsOf(hot.metrics.edgeTrafficTable({ ...q, transient: true })));
      expect(live, JSON.stringify(q)).toEqual(sorted(cold.metrics.edgeTraffic(q)));
      largest = Math.max(largest, live.length);
    }
    expect(largest).toBe(96);
  });
});
