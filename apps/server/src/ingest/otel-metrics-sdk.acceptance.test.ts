/**
 * OTLP metrics from the real OpenTelemetry JS SDK, through each OTLP metric exporter, cumulative and delta, into a
 * running meshscope: each export must arrive (before the exporter's flush resolves) as the samples a Prometheus
 * would hold for the same instruments — the counter's value, the histogram as cumulative `_bucket{le}` counts with
 * `+Inf`, `_sum` and `_count` — in a batch of the point's temporality.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MetricBatch } from "../metrics/metric-sink.js";
import { CapturingMetricSink } from "../test-support/capturing-metric-sink.js";
import {
  DURATION_BOUNDS,
  type MetricExportRequest,
  REQUEST_ATTRIBUTES,
  ROUNDS,
  recordAndExportMetrics,
} from "../test-support/otel-metrics.js";
import { startTestServer, type TestServer } from "../test-support/test-server.js";

type Variant = (s: TestServer) => Omit<MetricExportRequest, "temporality">;
const exporters: Record<string, Variant> = {
  "OTLP/HTTP protobuf": (s) => ({ exporter: "otlp-proto", url: `${s.otlpHttpUrl}/v1/metrics` }),
  "OTLP/HTTP JSON": (s) => ({ exporter: "otlp-json", url: `${s.otlpHttpUrl}/v1/metrics` }),
  "OTLP/HTTP protobuf, console port": (s) => ({ exporter: "otlp-proto", url: `${s.consoleUrl}/v1/metrics` }),
  "OTLP/gRPC": (s) => ({ exporter: "otlp-grpc", url: `http://${s.grpcTarget}` }),
  "OTLP/HTTP JSON, gzip": (s) => ({ exporter: "otlp-json", url: `${s.otlpHttpUrl}/v1/metrics`, gzip: true }),
  "OTLP/gRPC, gzip": (s) => ({ exporter: "otlp-grpc", url: `http://${s.grpcTarget}`, gzip: true }),
};

interface RoundSamples {
  batches: MetricBatch[];
  value(name: string, extra?: Record<string, string>): { value: number; temporality: string } | undefined;
}

function roundSamples(batches: MetricBatch[]): RoundSamples {
  return {
    batches,
    value(name, extra = {}) {
      for (const b of batches) {
        for (const s of b.samples) {
          if (s.name !== name) continue;
          const want: Record<string, unknown> = { ...REQUEST_ATTRIBUTES, ...extra };
          if (Object.entries(want).every(([k, v]) => s.labels[k] === v)) {
            return { value: s.value, temporality: b.temporality };
          }
        }
      }
      return undefined;
    },
  };
}

/** What a Prometheus histogram holds for these observations: the count of observations ≤ each bound. */
function expectedBuckets(durations: number[]): Array<[string, number]> {
  return [
    ...DURATION_BOUNDS.map((le): [string, number] => [String(le), durations.filter((d) => d <= le).length]),
    ["+Inf", durations.length],
  ];
}

describe.each(Object.keys(exporters))("metrics exported with the OpenTelemetry SDK through %s", (via) => {
  let server: TestServer;
  const sink = new CapturingMetricSink();

  beforeAll(async () => {
    server = await startTestServer({}, { metricSink: sink });
  });
  afterAll(async () => {
    await server.stop();
  });

  for (const temporality of ["cumulative", "delta"] as const) {
    it(`arrive as ${temporality} counter and histogram samples, committed before the export resolves`, async () => {
      const variant = exporters[via];
      if (!variant) throw new Error(`no exporter ${via}`);
      const rounds: RoundSamples[] = [];
      // The SDK's shutdown exports once more: drop what an earlier test's shutdown delivered.
      sink.batches.splice(0);
      await recordAndExportMetrics({ ...variant(server), temporality }, () => {
        rounds.push(roundSamples(sink.batches.splice(0)));
      });
      for (const [i, got] of rounds.entries()) {
        const seen =
          temporality === "cumulative" ? ROUNDS.slice(0, i + 1) : [ROUNDS[i] ?? { requests: 0, durationsMs: [] }];
        const requests = seen.reduce((n, r) => n + r.requests, 0);
        const durations = seen.flatMap((r) => r.durationsMs);
        const label = `round ${i + 1}`;
        for (const b of got.batches) expect(b, label).toMatchObject({ source: "otlp:127.0.0.1", complete: false });
        expect(got.value("istio_requests_total"), label).toEqual({ value: requests, temporality });
        for (const [le, count] of expectedBuckets(durations)) {
          expect(got.value("istio_request_duration_milliseconds_bucket", { le }), `${label} le=${le}`).toEqual({
            value: count,
            temporality,
          });
        }
        expect(got.value("istio_request_duration_milliseconds_count"), label).toEqual({
          value: durations.length,
          temporality,
        });
        expect(got.value("istio_request_duration_milliseconds_sum")?.value, label).toBeCloseTo(
          durations.reduce((a, b) => a + b, 0),
        );
        // A gauge is a value, not an increment: it travels as cumulative whatever the exporter's preference.
        expect(got.value("istio_test_open_connections"), label).toEqual({
          value: ROUNDS[i]?.gauge,
          temporality: "cumulative",
        });
      }
      expect(rounds).toHaveLength(ROUNDS.length);
    });
  }

  it("carries the resource attributes as labels", async () => {
    const variant = exporters[via];
    if (!variant) throw new Error(`no exporter ${via}`);
    let labels: Record<string, string> | undefined;
    sink.batches.splice(0);
    await recordAndExportMetrics({ ...variant(server), temporality: "cumulative" }, () => {
      labels ??= sink.batches.splice(0)[0]?.samples[0]?.labels;
    });
    expect(labels).toMatchObject({ "service.name": "reviews", "k8s.namespace.name": "bookinfo" });
  });
});

describe("the OTLP/HTTP metrics receiver", () => {
  let server: TestServer;
  const sink = new CapturingMetricSink();
  beforeAll(async () => {
    server = await startTestServer({}, { metricSink: sink });
  });
  afterAll(async () => {
    await server.stop();
  });

  const post = (body: string | Uint8Array, type: string) =>
    fetch(`${server.otlpHttpUrl}/v1/metrics`, { method: "POST", headers: { "Content-Type": type }, body });

  it("answers partial success naming the metrics of types it does not store, and keeps the rest", async () => {
    const body = {
      resourceMetrics: [
        {
          resource: { attributes: [] },
          scopeMetrics: [
            {
              metrics: [
                {
                  name: "rpc_latency",
                  summary: { dataPoints: [{ timeUnixNano: "1718000000000000000", count: "1", sum: 2 }] },
                },
                {
                  name: "istio_requests_total",
                  sum: {
                    aggregationTemporality: 2,
                    isMonotonic: true,
                    dataPoints: [{ asInt: "4", timeUnixNano: "1718000000000000000" }],
                  },
                },
              ],
            },
          ],
        },
      ],
    };
    const res = await post(JSON.stringify(body), "application/json");
    expect(res.status).toBe(200);
    const answer: unknown = await res.json();
    expect(answer).toEqual({
      partialSuccess: { rejectedDataPoints: "1", errorMessage: expect.stringContaining("rpc_latency (summary)") },
    });
    expect(sink.batches.at(-1)?.samples).toEqual([
      { name: "istio_requests_total", labels: {}, value: 4, timestampMs: 1_718_000_000_000 },
    ]);
  });

  it("refuses a body that is not an OTLP protobuf message with 400 and stores nothing", async () => {
    const before = sink.batches.length;
    const res = await post(Uint8Array.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f]), "application/x-protobuf");
    expect(res.status).toBe(400);
    expect(sink.batches.length).toBe(before);
  });

  it("answers 415 to a content type other than protobuf or JSON", async () => {
    expect((await post("x", "text/plain")).status).toBe(415);
  });
});
