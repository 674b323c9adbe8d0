import { describe, expect, it } from "vitest";
import { REVIEWS_EDGE_LABELS } from "../test-support/istio-edge-labels.js";
import { useTempStores } from "../test-support/store-fixtures.js";
import type { EdgeTraffic, EdgeTrafficQuery } from "./metric-reader.js";
import type { MetricBatch, MetricSample } from "./metric-sink.js";

/**
 * Recent windows are memoised per query until the in-memory points change (metric-store.ts edgeTraffic). These
 * tests ask the same windows again after each kind of change — a new scrape, a late sample folded into the newest
 * point, a counter reset, a new series, eviction — and require the answer of a store that always reads SQLite
 * (hotWindowMs 0, no memo: the brute-force recomputation from the stored points).
 */
const T0 = 1_700_000_000_000;
const STEP = 15_000;
const { openStore } = useTempStores("memo.db");

const EDGE = { ...REVIEWS_EDGE_LABELS, response_code: "200" };

function sample(name: string, value: number, tsMs: number, extra: Record<string, string> = {}): MetricSample {
  return { name, labels: { ...EDGE, ...extra }, value, timestampMs: tsMs };
}

function batch(samples: MetricSample[], complete = false): MetricBatch {
  return { source: "http://pod-1:15090/stats/prometheus", temporality: "cumulative", complete, samples };
}

/** Scrape i: a growing request counter and a two-bucket histogram whose bounds come in descending order. */
function scrape(i: number, requests = 10 * i): MetricBatch {
  const ts = T0 + i * STEP;
  return batch([
    sample("istio_requests_total", requests, ts),
    sample("istio_request_duration_milliseconds_bucket", 9 * i, ts, { le: "+Inf" }),
    sample("istio_request_duration_milliseconds_bucket", 4 * i, ts, { le: "25" }),
  ]);
}

function sorted(rows: readonly EdgeTraffic[]): EdgeTraffic[] {
  return [...rows].sort((a, b) => JSON.stringify(a.key).localeCompare(JSON.stringify(b.key)));
}

describe("memoised recent windows", () => {
  it("hands the same frozen answer to repeated queries, and a fresh one after every kind of change", async () => {
    let wallMs = T0;
    const hot = openStore({ metrics: { now: () => wallMs, hotWindowMs: 5 * 60_000 } });
    const cold = openStore({ metrics: { now: () => wallMs, hotWindowMs: 0 } });
    const feed = async (b: MetricBatch) => {
      for (const store of [hot, cold]) await store.metrics.ingest(b);
    };
    for (let i = 0; i < 8; i++) {
      wallMs = T0 + i * STEP + 100;
      await feed(scrape(i));
    }
    // Windows that end after the newest point, so later points change their answers.
    const queries: EdgeTrafficQuery[] = [
      { startMs: T0 + 2 * STEP, endMs: T0 + 20 * STEP },
      { startMs: T0 + 2 * STEP, endMs: T0 + 20 * STEP, reporter: "destination" },
      { startMs: T0 + 2 * STEP, endMs: T0 + 20 * STEP, namespaces: ["elsewhere"] },
    ];
    const check = (when: string, inMemory = true) => {
      for (const q of queries) {
        const first = hot.metrics.edgeTraffic(q);
        if (inMemory) {
          expect(hot.metrics.edgeTraffic(q), `${when}: memo`).toBe(first);
          expect(Object.isFrozen(first)).toBe(true);
        }
        expect(sorted(first), `${when}: ${JSON.stringify(q)}`).toEqual(sorted(cold.metrics.edgeTraffic(q)));
      }
    };
    check("8 scrapes");
    // A live window (memoise: false) is computed afresh, not frozen, and equal to the memoised answer.
    for (const q of queries) {
      const live = hot.metrics.edgeTraffic({ ...q, memoise: false });
      expect(live).not.toBe(hot.metrics.edgeTraffic({ ...q, memoise: false }));
      expect(Object.isFrozen(live)).toBe(false);
      expect(sorted(live)).toEqual(sorted(hot.metrics.edgeTraffic(q)));
    }
    const before = hot.metrics.edgeTraffic(queries[0] ?? { startMs: 0, endMs: 0 });
    expect(before[0]?.durationBuckets.map((b) => b.le)).toEqual([25, Number.POSITIVE_INFINITY]);

    wallMs = T0 + 8 * STEP + 100;
    await feed(scrape(8));
    expect(hot.metrics.edgeTraffic(queries[0] ?? { startMs: 0, endMs: 0 })).not.toBe(before);
    check("a new scrape");

    // A late sample (older than the newest point) is folded into the newest point.
    await feed(batch([sample("istio_requests_total", 95, T0 + 8 * STEP - 5_000)]));
    check("a late sample");

    wallMs = T0 + 9 * STEP + 100;
    await feed(scrape(9, 3));
    check("a counter reset");

    await feed(batch([sample("istio_requests_total", 7, T0 + 9 * STEP, { response_code: "503" })]));
    wallMs = T0 + 10 * STEP + 100;
    await feed(batch([sample("istio_requests_total", 12, T0 + 10 * STEP, { response_code: "503" })]));
    await feed(scrape(10, 20));
    check("a new series");
    expect(hot.metrics.edgeTraffic(queries[0] ?? { startMs: 0, endMs: 0 }).length).toBe(2);

    // Ten minutes on, the sweep evicts the early points: the window is answered from SQLite again, not memoised.
    wallMs = T0 + 40 * STEP;
    await feed(scrape(40, 400));
    check("eviction", false);
    const q = queries[0] ?? { startMs: 0, endMs: 0 };
    expect(hot.metrics.edgeTraffic(q)).not.toBe(hot.metrics.edgeTraffic(q));
  });
});
