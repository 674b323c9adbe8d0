import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningPrometheus, startPrometheus, waitUntil } from "../testing/prometheus-process.js";
import { type PrometheusTextResult, parsePrometheusText } from "./parse-text.js";

/**
 * Oracle test: Debian's Prometheus 2.42 scrapes its own /metrics; we fetch the same endpoint and parse it. For
 * series whose value does not change while the process runs, what we parsed must equal what Prometheus stored
 * (label sets and values), and whole families must have the same series (summary quantiles, histogram `le`s).
 */
describe("parsePrometheusText against Prometheus' own /metrics", () => {
  let prom: RunningPrometheus;
  let parsed: PrometheusTextResult;
  let text: string;

  beforeAll(async () => {
    prom = await startPrometheus(
      (self) => `global: { scrape_interval: 1s }
scrape_configs:
  - job_name: self
    static_configs: [{ targets: ["${self}"] }]
`,
    );
    // Wait for a stored scrape that already shows the /metrics handler's own histogram (it exists only after the
    // first scrape was served), so the series below exist on both sides.
    await waitUntil(
      async () => (await prom.query('prometheus_http_request_duration_seconds_count{handler="/metrics"}')).length > 0,
      15_000,
    );
    const res = await fetch(`${prom.baseUrl}/metrics`);
    text = await res.text();
    parsed = parsePrometheusText(text);
  }, 30_000);

  afterAll(async () => {
    await prom?.stop();
  }, 15_000);

  /** Our samples of one series name as `labelsKey → value`, with the labels Prometheus adds at scrape time. */
  function ours(name: string): Map<string, number> {
    const out = new Map<string, number>();
    for (const s of parsed.samples) {
      if (s.name !== name) continue;
      out.set(key({ ...s.labels, __name__: name, job: "self", instance: prom.baseUrl.slice(7) }), s.value);
    }
    return out;
  }

  async function theirs(promql: string): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    for (const r of await prom.query(promql)) out.set(key(r.metric), Number(r.value));
    return out;
  }

  it("parses the whole exposition without a single error", () => {
    expect(parsed.errors).toEqual([]);
    expect(parsed.samples.length).toBeGreaterThan(300);
    expect(parsed.types.prometheus_http_request_duration_seconds).toBe("histogram");
    expect(parsed.types.go_gc_duration_seconds).toBe("summary");
  });

  it.each([
    "prometheus_build_info",
    "go_info",
    "prometheus_config_last_reload_successful",
    "prometheus_config_last_reload_success_timestamp_seconds",
    "process_start_time_seconds",
    "process_max_fds",
    "prometheus_tsdb_retention_limit_bytes",
  ])("agrees with Prometheus on the labels and value of constant series %s", async (name) => {
    const expected = await theirs(`${name}{job="self"}`);
    expect(expected.size).toBeGreaterThan(0);
    expect(ours(name)).toEqual(expected);
  });

  it("finds the same quantile series of a summary as Prometheus stored", async () => {
    const expected = await theirs('go_gc_duration_seconds{job="self"}');
    expect([...ours("go_gc_duration_seconds").keys()].sort()).toEqual([...expected.keys()].sort());
  });

  it("finds the same le buckets of a histogram as Prometheus stored", async () => {
    const name = "prometheus_http_request_duration_seconds_bucket";
    const expected = await theirs(`${name}{job="self",handler="/metrics"}`);
    const ourKeys = [...ours(name).keys()].filter((k) => k.includes('handler="/metrics"'));
    expect(ourKeys.sort()).toEqual([...expected.keys()].sort());
    expect(ourKeys.some((k) => k.includes('le="+Inf"'))).toBe(true);
  });
});

function key(labels: Record<string, string>): string {
  return Object.keys(labels)
    .sort()
    .map((k) => `${k}=${JSON.stringify(labels[k])}`)
    .join(",");
}
