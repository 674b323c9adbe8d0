import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { parsePrometheusText } from "@meshscope/wire";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// The oracle helper lives with the wire package's tests (not part of its public API).
import {
  type RunningPrometheus,
  startPrometheus,
  waitUntil,
} from "../../../../packages/wire/src/testing/prometheus-process.js";
import { openSqliteStore, type SqliteStore } from "../store/sqlite-store.js";
import { type TempDir, tempDir } from "../test-support/store-fixtures.js";
import { histogramQuantile, sumBuckets } from "./histogram.js";

/**
 * Oracle test: Debian's Prometheus 2.42 scrapes a fixture endpoint every second while the endpoint's Istio counters
 * and duration histogram advance (unevenly, with a counter reset and a series born mid-run). Every exposition it
 * served is fed to the metric store at the timestamp Prometheus stored for it. At several evaluation times, per
 * (source_workload, destination_service_name, response_code), the store's rate and p95 must match
 *   sum(rate(istio_requests_total{reporter="destination"}[20s])) by (...)
 *   histogram_quantile(0.95, sum(rate(istio_request_duration_milliseconds_bucket{reporter="destination"}[20s]))
 *     by (le, ...))
 * within 2% (they agree to rounding, since both apply PromQL's extrapolation to the same samples).
 */

const LES = [0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000];
const WINDOW_S = 20;
/** Scrapes to collect: the 20 s window plus the 6 s the evaluation times span, plus margin. */
const MIN_SCRAPES = 29;

interface FixtureSeries {
  labels: Record<string, string>;
  /** Requests added at scrape k (0 = not exposed yet). */
  step: (k: number, rnd: () => number) => number;
  /** Latency scale of this series in ms. */
  scaleMs: number;
  /** Scrape at which the counter restarts from 0 (the proxy restarted). */
  resetAt?: number;
  bornAt?: number;
}

function labelsOf(reporter: string, src: string, dst: string, code: string): Record<string, string> {
  return {
    reporter,
    source_workload: src,
    source_workload_namespace: "bookinfo",
    source_app: src.replace(/-v\d$/, ""),
    source_version: "v1",
    destination_service: `${dst}.bookinfo.svc.cluster.local`,
    destination_service_name: dst,
    destination_service_namespace: "bookinfo",
    destination_workload: `${dst}-v1`,
    destination_workload_namespace: "bookinfo",
    destination_app: dst,
    destination_version: "v1",
    request_protocol: "http",
    response_code: code,
    grpc_response_status: "",
    response_flags: "-",
    connection_security_policy: reporter === "destination" ? "mutual_tls" : "unknown",
  };
}

const SERIES: FixtureSeries[] = [
  // The clock series: grows at every scrape, so each exposition can be matched to Prometheus' timestamp.
  {
    labels: labelsOf("destination", "productpage-v1", "reviews", "200"),
    step: (_, r) => 20 + Math.floor(r() * 30),
    scaleMs: 12,
  },
  {
    labels: labelsOf("source", "productpage-v1", "reviews", "200"),
    step: (_, r) => 20 + Math.floor(r() * 30),
    scaleMs: 15,
  },
  {
    labels: labelsOf("destination", "productpage-v1", "reviews", "503"),
    step: (k, r) => (k % 3 === 0 ? Math.floor(r() * 6) : 0),
    scaleMs: 3,
    resetAt: 14,
  },
  {
    labels: labelsOf("destination", "reviews-v1", "ratings", "200"),
    step: (k, r) => (k < 10 ? 5 : 40) + Math.floor(r() * 10),
    scaleMs: 40,
  },
  {
    labels: labelsOf("destination", "reviews-v1", "ratings", "500"),
    step: (_, r) => 1 + Math.floor(r() * 3),
    scaleMs: 200,
    bornAt: 12,
  },
];

/** mulberry32: deterministic pseudo-random numbers in [0, 1). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Counters of one series: requests and the cumulative histogram. */
interface SeriesState {
  requests: number;
  buckets: number[];
  inf: number;
  sum: number;
}

class Fixture {
  private readonly rnd = prng(42);
  private k = 0;
  private readonly state: SeriesState[] = SERIES.map(() => ({
    requests: 0,
    buckets: LES.map(() => 0),
    inf: 0,
    sum: 0,
  }));
  readonly served: string[] = [];

  next(): string {
    const k = this.k++;
    let text = "# TYPE istio_requests_total counter\n";
    let hist = "# TYPE istio_request_duration_milliseconds histogram\n";
    SERIES.forEach((series, i) => {
      const st = this.state[i];
      if (st === undefined || (series.bornAt !== undefined && k < series.bornAt)) return;
      if (series.resetAt === k) this.state[i] = { requests: 0, buckets: LES.map(() => 0), inf: 0, sum: 0 };
      const s = this.state[i] ?? st;
      const n = series.step(k, this.rnd);
      for (let j = 0; j < n; j++) {
        // Log-uniform latency around the series' scale: spreads over several buckets.
        const ms = series.scaleMs * 2 ** (this.rnd() * 4 - 2);
        s.requests++;
        s.inf++;
        s.sum += ms;
        LES.forEach((le, b) => {
          if (ms <= le) s.buckets[b] = (s.buckets[b] ?? 0) + 1;
        });
      }
      const l = Object.entries(series.labels)
        .map(([key, v]) => `${key}="${v}"`)
        .join(",");
      text += `istio_requests_total{${l}} ${s.requests}\n`;
      LES.forEach((le, b) => {
        hist += `istio_request_duration_milliseconds_bucket{${l},le="${le}"} ${s.buckets[b]}\n`;
      });
      hist += `istio_request_duration_milliseconds_bucket{${l},le="+Inf"} ${s.inf}\n`;
      hist += `istio_request_duration_milliseconds_sum{${l}} ${s.sum}\n`;
      hist += `istio_request_duration_milliseconds_count{${l}} ${s.inf}\n`;
    });
    const body = text + hist;
    this.served.push(body);
    return body;
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** An instant or range-vector query at `timeMs`; returns each result's labels and its [seconds, value] pairs. */
async function queryAt(
  prom: RunningPrometheus,
  promql: string,
  timeMs: number,
): Promise<Array<{ metric: Record<string, string>; values: Array<[number, string]> }>> {
  const res = await fetch(
    `${prom.baseUrl}/api/v1/query?query=${encodeURIComponent(promql)}&time=${(timeMs / 1000).toFixed(3)}`,
  );
  const body: unknown = await res.json();
  if (!isRecord(body) || !isRecord(body.data) || !Array.isArray(body.data.result)) {
    throw new Error(`unexpected answer to ${promql}: ${JSON.stringify(body)}`);
  }
  return body.data.result.map((entry: unknown) => {
    if (!isRecord(entry) || !isRecord(entry.metric)) throw new Error(`bad entry ${JSON.stringify(entry)}`);
    const metric: Record<string, string> = {};
    for (const [k, v] of Object.entries(entry.metric)) metric[k] = String(v);
    const raw: unknown[] = Array.isArray(entry.values) ? entry.values : [entry.value];
    const values = raw.map((p): [number, string] => {
      if (!Array.isArray(p)) throw new Error(`bad sample ${JSON.stringify(p)}`);
      return [Number(p[0]), String(p[1])];
    });
    return { metric, values };
  });
}

const groupKey = (src: string, svc: string, code: string) => `${src}|${svc}|${code}`;

describe("the metric store against Prometheus 2.42 scraping the same endpoint", () => {
  let prom: RunningPrometheus;
  let server: Server;
  let dir: TempDir;
  let store: SqliteStore;
  let scrapeTimes: number[] = [];

  beforeAll(async () => {
    const fixture = new Fixture();
    server = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/plain; version=0.0.4" });
      res.end(fixture.next());
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo; // node:http always reports an AddressInfo for TCP listeners
    prom = await startPrometheus(
      () => `global: { scrape_interval: 1s, scrape_timeout: 900ms }
scrape_configs:
  - job_name: fixture
    static_configs: [{ targets: ["127.0.0.1:${port}"] }]
`,
    );
    // Run until Prometheus holds MIN_SCRAPES samples (a full window behind every evaluation time below), then
    // take the expositions served so far and wait until Prometheus has stored each of them.
    const clock = 'istio_requests_total{reporter="destination",response_code="200",source_workload="productpage-v1"}';
    let stored: Array<[number, string]> = [];
    const storedNow = async () => {
      const r = await queryAt(prom, `${clock}[2m]`, Date.now());
      stored = r[0]?.values ?? [];
      return stored.length;
    };
    await waitUntil(async () => (await storedNow()) >= MIN_SCRAPES, 45_000, 500);
    const servedCount = fixture.served.length;
    await waitUntil(async () => (await storedNow()) >= servedCount, 5_000);

    // Match each served exposition to the timestamp Prometheus stored it with, through the clock series' value.
    const tsByClockValue = new Map(stored.map(([sec, v]) => [v, Math.round(sec * 1000)]));
    dir = tempDir();
    store = openSqliteStore({ path: dir.file("oracle.db"), retentionIntervalMs: 0 });
    scrapeTimes = [];
    for (const text of fixture.served.slice(0, servedCount)) {
      const parsed = parsePrometheusText(text);
      expect(parsed.errors).toEqual([]);
      const clockSample = parsed.samples.find(
        (s) =>
          s.name === "istio_requests_total" &&
          s.labels.reporter === "destination" &&
          s.labels.source_workload === "productpage-v1" &&
          s.labels.response_code === "200",
      );
      const ts = tsByClockValue.get(String(clockSample?.value));
      if (ts === undefined) continue; // served but not (yet) stored by Prometheus
      scrapeTimes.push(ts);
      await store.metrics.ingest({
        source: "fixture",
        temporality: "cumulative",
        complete: true,
        samples: parsed.samples.map((s) => ({ ...s, labels: { ...s.labels }, timestampMs: s.timestampMs ?? ts })),
      });
    }
  }, 60_000);

  afterAll(async () => {
    await store?.close();
    dir?.remove();
    await prom?.stop();
    await new Promise((r) => server?.close(r));
  }, 15_000);

  it("stored the same scrapes Prometheus did", () => {
    expect(scrapeTimes.length).toBeGreaterThanOrEqual(MIN_SCRAPES);
  });

  it("agrees on per-edge request rates and p95 latency at several evaluation times", async () => {
    const last = scrapeTimes[scrapeTimes.length - 1] ?? 0;
    // Evaluation times inside the run, on and between samples, all with a full 20 s of data behind them.
    const times = [0, 1, 2, 3, 4].map((i) => last - i * 1370 - (i % 2) * 450);
    let compared = 0;
    // Largest relative differences seen (both sides apply the same arithmetic: they agree to rounding).
    const worst = { rate: 0, p95: 0 };
    for (const t of times) {
      const by = "source_workload, destination_service_name, response_code";
      const rates = await queryAt(
        prom,
        `sum(rate(istio_requests_total{reporter="destination"}[${WINDOW_S}s])) by (${by})`,
        t,
      );
      const p95s = await queryAt(
        prom,
        `histogram_quantile(0.95, sum(rate(istio_request_duration_milliseconds_bucket{reporter="destination"}[${WINDOW_S}s])) by (le, ${by}))`,
        t,
      );
      const ours = store.metrics.edgeTraffic({ startMs: t - WINDOW_S * 1000, endMs: t, reporter: "destination" });
      const ourRate = new Map<string, number>();
      const ourBuckets = new Map<string, Array<(typeof ours)[number]["durationBuckets"]>>();
      for (const row of ours) {
        const k = groupKey(row.key.sourceWorkload, row.key.destinationServiceName, row.key.responseCode);
        ourRate.set(k, (ourRate.get(k) ?? 0) + row.requestsPerSec);
        ourBuckets.set(k, [...(ourBuckets.get(k) ?? []), row.durationBuckets]);
      }
      expect(rates.length).toBeGreaterThanOrEqual(3);
      expect(ourRate.size).toBe(rates.length);
      for (const r of rates) {
        const k = groupKey(
          r.metric.source_workload ?? "",
          r.metric.destination_service_name ?? "",
          r.metric.response_code ?? "",
        );
        const theirs = Number(r.values[0]?.[1]);
        const mine = ourRate.get(k) ?? Number.NaN;
        expect(Math.abs(mine - theirs), `rate of ${k} at ${t}: ours ${mine}, Prometheus ${theirs}`).toBeLessThanOrEqual(
          0.02 * Math.abs(theirs) + 1e-9,
        );
        compared++;
        worst.rate = Math.max(worst.rate, Math.abs(mine - theirs) / Math.abs(theirs));
      }
      for (const r of p95s) {
        const k = groupKey(
          r.metric.source_workload ?? "",
          r.metric.destination_service_name ?? "",
          r.metric.response_code ?? "",
        );
        const theirs = Number(r.values[0]?.[1]);
        const mine = histogramQuantile(0.95, sumBuckets(ourBuckets.get(k) ?? []));
        if (Number.isNaN(theirs)) {
          expect(mine, `p95 of ${k} at ${t}`).toBeNaN();
          continue;
        }
        expect(Math.abs(mine - theirs), `p95 of ${k} at ${t}: ours ${mine}, Prometheus ${theirs}`).toBeLessThanOrEqual(
          0.02 * Math.abs(theirs),
        );
        compared++;
        worst.p95 = Math.max(worst.p95, Math.abs(mine - theirs) / Math.abs(theirs));
      }
    }
    expect(compared).toBeGreaterThanOrEqual(5 * 2 * 3);
    expect(worst.rate).toBeLessThanOrEqual(0.02);
    expect(worst.p95).toBeLessThanOrEqual(0.02);
  });
});
