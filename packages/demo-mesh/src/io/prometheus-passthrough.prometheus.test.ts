import { parsePrometheusText } from "@meshscope/wire";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningPrometheus, startPrometheus, waitUntil } from "../../../wire/src/testing/prometheus-process.js";
import { bookinfoTopology } from "../sim/bookinfo.js";
import { createSimulator } from "../sim/simulator.js";
import { type MetricsEndpoint, startMetricsEndpoint } from "./metrics-endpoint.js";
import { IstioMetricsRegistry } from "./metrics-registry.js";

/**
 * Acceptance (issue #4): "the demo's metrics pass through Debian's Prometheus unchanged". Prometheus scrapes the
 * demo's endpoint; every series it then holds must be one the endpoint serves, with the same labels (besides the
 * `job` and `instance` target labels Prometheus adds) and the same value, and none may be missing. The simulator is
 * advanced over 30 virtual seconds and then left alone, so every scrape sees the same numbers.
 */

type Series = Map<string, number>;

function key(name: string, labels: Record<string, string>): string {
  return `${name}{${Object.keys(labels)
    .sort()
    .map((k) => `${k}=${JSON.stringify(labels[k])}`)
    .join(",")}}`;
}

async function servedSeries(url: string): Promise<Series> {
  const res = await fetch(url);
  const parsed = parsePrometheusText(await res.text());
  expect(parsed.errors).toEqual([]);
  return new Map(parsed.samples.map((s) => [key(s.name, s.labels), s.value]));
}

async function prometheusSeries(prom: RunningPrometheus, job: string): Promise<Series> {
  const vector = await prom.query(`{job="${job}",__name__=~"istio_.*"}`);
  return new Map(
    vector.map(({ metric, value }) => {
      const { __name__: name = "", job: _job, instance: _instance, ...labels } = metric;
      return [key(name, labels), Number(value)];
    }),
  );
}

describe("the demo's metrics scraped by Debian's Prometheus", () => {
  const registry = new IstioMetricsRegistry();
  let endpoint: MetricsEndpoint;
  let prom: RunningPrometheus;

  beforeAll(async () => {
    const simulator = createSimulator(
      { topology: bookinfoTopology(), seed: 4, rps: 40, loggedInShare: 0.3, sampleRate: 0 },
      registry,
      { emit() {} },
    );
    const startMs = Date.now() - 60_000;
    for (let t = startMs; t <= startMs + 30_000; t += 100) simulator.advance(t);
    endpoint = await startMetricsEndpoint(registry, { host: "127.0.0.1", port: 0 });
    prom = await startPrometheus(
      () => `global:
  scrape_interval: 1s
  scrape_timeout: 900ms
scrape_configs:
  - job_name: demo
    metrics_path: /stats/prometheus
    static_configs:
      - targets: ["127.0.0.1:${endpoint.port}"]
`,
    );
  });

  afterAll(async () => {
    await prom?.stop();
    await endpoint?.close();
  });

  it("stores exactly the series the endpoint serves, with the same labels and values", async () => {
    const served = await servedSeries(endpoint.url);
    const requestSeries = [...served.keys()].filter((k) => k.startsWith("istio_requests_total{"));
    expect(requestSeries.length).toBeGreaterThan(10);
    await waitUntil(async () => (await prometheusSeries(prom, "demo")).size === served.size, 20_000, 250).catch(
      (err: unknown) => {
        throw new Error(`Prometheus never held all ${served.size} series: ${String(err)}\n${prom.log()}`);
      },
    );
    const stored = await prometheusSeries(prom, "demo");
    expect(stored).toEqual(served);
    // Spot-check that the comparison covers the label that matters most and the histograms.
    expect(requestSeries.some((k) => k.includes('reporter="source"'))).toBe(true);
    expect(requestSeries.some((k) => k.includes('reporter="destination"'))).toBe(true);
    expect([...stored.keys()].filter((k) => k.startsWith("istio_request_duration_milliseconds_bucket{")).length).toBe(
      requestSeries.length * 20,
    );
  });
});
