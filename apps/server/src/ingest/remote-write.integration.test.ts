/**
 * Prometheus remote-write into a running meshscope. The happy path uses Debian's real Prometheus 2.42: it scrapes
 * a fixture endpoint serving Istio exposition and remote-writes to `/api/v1/write`; the batches must hold the
 * fixture's series and values (with the `job` and `instance` labels Prometheus adds). The error paths use
 * hand-made bodies.
 */
import { readFileSync } from "node:fs";
import { parsePrometheusText } from "@meshscope/wire";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningPrometheus, startPrometheus } from "../../../../packages/wire/src/testing/prometheus-process.js";
import { CapturingMetricSink, seriesKey } from "../test-support/capturing-metric-sink.js";
import { type FixtureHttpServer, startFixtureHttpServer } from "../test-support/fixture-http-server.js";
import { snappyLiterals, writeRequest } from "../test-support/remote-write-body.js";
import { startTestServer, type TestServer } from "../test-support/test-server.js";
import { QueueFullError } from "./write-queue.js";

const EXPOSITION = readFileSync(
  new URL("../../../../packages/wire/src/prometheus/fixtures/istio-bookinfo.prom", import.meta.url),
  "utf8",
);
/** The same exposition without the circuit-breaker (UO) series: Prometheus then writes a staleness marker. */
const WITHOUT_UO = EXPOSITION.split("\n")
  .filter((line) => !line.includes('response_flags="UO"'))
  .join("\n");

const HEADERS = {
  "Content-Type": "application/x-protobuf",
  "Content-Encoding": "snappy",
  "X-Prometheus-Remote-Write-Version": "0.1.0",
};

const GOOD_BODY = snappyLiterals(
  writeRequest([
    {
      labels: { __name__: "istio_requests_total", reporter: "source", response_code: "200" },
      samples: [{ value: 5, timestampMs: 1_718_000_000_123 }],
    },
  ]),
);

describe("remote-write from a real Prometheus", () => {
  let fixture: FixtureHttpServer;
  let server: TestServer;
  let prometheus: RunningPrometheus;
  let serveUo = true;
  const sink = new CapturingMetricSink();

  beforeAll(async () => {
    fixture = await startFixtureHttpServer({
      "/stats/prometheus": (_req, res) => {
        res.writeHead(200, { "Content-Type": "text/plain; version=0.0.4" }).end(serveUo ? EXPOSITION : WITHOUT_UO);
      },
    });
    server = await startTestServer({}, { metricSink: sink });
    const target = new URL(fixture.url("/")).host;
    prometheus = await startPrometheus(
      () => `
global: { scrape_interval: 1s, scrape_timeout: 900ms }
scrape_configs:
  - job_name: mesh
    metrics_path: /stats/prometheus
    static_configs: [{ targets: ["${target}"] }]
remote_write:
  - url: ${server.consoleUrl}/api/v1/write
    metadata_config: { send: false }
    queue_config: { batch_send_deadline: 200ms, min_backoff: 50ms, max_backoff: 200ms }
`,
    );
  });
  afterAll(async () => {
    await prometheus?.stop();
    await server?.stop();
    await fixture?.close();
  });

  it("delivers every series of the scraped exposition with its value, as cumulative partial batches", async () => {
    const target = new URL(fixture.url("/")).host;
    const expected = parsePrometheusText(EXPOSITION).samples;
    const wanted = new Map(
      expected.map((s) => [seriesKey(s.name, { ...s.labels, job: "mesh", instance: target }), s.value]),
    );
    const seen = () => new Map(sink.samples().map((s) => [seriesKey(s.name, s.labels), s.value]));
    await sink.waitFor(() => [...wanted.keys()].every((k) => seen().has(k)), 30_000);
    const got = seen();
    for (const [key, value] of wanted) expect(got.get(key), key).toBe(value);
    for (const batch of sink.batches) {
      expect(batch).toMatchObject({ source: "remote-write:127.0.0.1", temporality: "cumulative", complete: false });
    }
    // Prometheus' sample timestamps are its scrape times: recent, in ms.
    const ts = sink.samples().map((s) => s.timestampMs);
    expect(Math.max(...ts)).toBeGreaterThan(Date.now() - 60_000);
    expect(Math.max(...ts)).toBeLessThanOrEqual(Date.now());
  });

  it("skips the staleness marker Prometheus writes when a series disappears, and counts it", async () => {
    serveUo = false;
    const staleCount = async () => {
      const text = await (await fetch(`${server.consoleUrl}/metrics`)).text();
      const m = /meshscope_metric_samples_rejected_total\{protocol="remote_write",reason="stale"\} (\d+)/.exec(text);
      return Number(m?.[1] ?? 0);
    };
    const deadline = Date.now() + 30_000;
    while ((await staleCount()) === 0) {
      if (Date.now() > deadline) throw new Error(`no staleness marker counted\n${prometheus.log()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    // The marker itself (a NaN) never reaches the store as a value.
    expect(sink.samples().some((s) => Number.isNaN(s.value))).toBe(false);
  });
});

describe("the remote-write receiver", () => {
  let server: TestServer;
  const sink = new CapturingMetricSink();
  const post = (body: Uint8Array | string, headers: Record<string, string> = HEADERS) =>
    fetch(`${server.consoleUrl}/api/v1/write`, { method: "POST", headers, body });

  beforeAll(async () => {
    server = await startTestServer({ maxDecompressedBytes: 1024 * 1024 }, { metricSink: sink });
  });
  afterAll(async () => {
    await server.stop();
  });

  it("answers 204 once the samples are committed", async () => {
    sink.commitDelayMs = 150;
    const t0 = Date.now();
    const res = await post(GOOD_BODY);
    sink.commitDelayMs = 0;
    expect(res.status).toBe(204);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
    const batch = sink.batches.at(-1);
    expect(batch?.samples).toEqual([
      {
        name: "istio_requests_total",
        labels: { reporter: "source", response_code: "200" },
        value: 5,
        timestampMs: 1_718_000_000_123,
        // The label-bytes hash the store uses to recognise the series in later pushes.
        seriesHashHi: expect.any(Number),
        seriesHashLo: expect.any(Number),
      },
    ]);
  });

  it("decodes the labels of series the store does not know on every push, though the decode thread saw them before", async () => {
    // Large enough to go to a decode thread (≥ 8 KiB). The capturing sink knows no series, so each push needs
    // every label set; from the second push on the thread has seen them all and keeps the decompressed body.
    const series = Array.from({ length: 200 }, (_, i) => ({
      labels: { __name__: "istio_requests_total", reporter: "source", destination_workload: `w-${i}` },
      samples: [{ value: i, timestampMs: 1_718_000_000_000 }],
    }));
    const body = snappyLiterals(writeRequest(series));
    expect(body.length).toBeGreaterThan(8 * 1024);
    for (let push = 0; push < 3; push++) {
      expect((await post(body)).status).toBe(204);
      const samples = sink.batches.at(-1)?.samples ?? [];
      expect(samples.map((s) => [s.name, s.labels.destination_workload, s.value])).toEqual(
        series.map((s) => [s.labels.__name__, s.labels.destination_workload, s.samples[0]?.value]),
      );
    }
  });

  it("refuses a body that is not snappy with 400 naming snappy, and stores nothing", async () => {
    const before = sink.batches.length;
    const res = await post(Uint8Array.from([0x05, 0xff, 0xff, 0xff]));
    expect(res.status).toBe(400);
    const body: unknown = await res.json();
    expect(JSON.stringify(body)).toMatch(/invalid snappy/);
    expect(sink.batches.length).toBe(before);
  });

  it("refuses valid snappy wrapping something that is not a WriteRequest with 400 naming protobuf", async () => {
    const res = await post(snappyLiterals([0x0a, 0x50, 0x01, 0x02]));
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/invalid protobuf WriteRequest/);
  });

  it("answers 413 when the snappy body declares more than the decompressed-size limit", async () => {
    // Preamble: 64 MiB uncompressed (varint 0x80 0x80 0x80 0x20), then nothing: refused before any allocation.
    const res = await post(Uint8Array.from([0x80, 0x80, 0x80, 0x20, 0x00]));
    expect(res.status).toBe(413);
  });

  it("answers 415 to a wrong content type and to remote-write 2.0", async () => {
    expect((await post(GOOD_BODY, { ...HEADERS, "Content-Type": "application/json" })).status).toBe(415);
    const v2 = await post(GOOD_BODY, {
      ...HEADERS,
      "Content-Type": "application/x-protobuf;proto=io.prometheus.write.v2.Request",
    });
    expect(v2.status).toBe(415);
    expect(await v2.text()).toMatch(/remote-write 1\.0/);
    expect((await post(GOOD_BODY, { ...HEADERS, "Content-Encoding": "gzip" })).status).toBe(415);
  });

  it("answers 429 with Retry-After when the metric store pushes back, and accepts again after", async () => {
    sink.failWith = () => new QueueFullError(2);
    const full = await post(GOOD_BODY);
    sink.failWith = null;
    expect(full.status).toBe(429);
    expect(full.headers.get("retry-after")).toBe("2");
    expect((await post(GOOD_BODY)).status).toBe(204);
  });

  it("answers 503 when the metric store fails", async () => {
    sink.failWith = () => new Error("disk I/O error");
    const res = await post(GOOD_BODY);
    sink.failWith = null;
    expect(res.status).toBe(503);
    expect(await res.text()).not.toContain("disk I/O");
  });
});
