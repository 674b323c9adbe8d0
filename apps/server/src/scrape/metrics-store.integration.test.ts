/**
 * End to end into the real metric store: meshscope started without an injected sink scrapes a fixture target
 * and takes a remote-write push and an OTLP/HTTP export; /metrics must then show the store committing the Istio
 * samples of each protocol (accepted) and passing over the rest (ignored).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FixtureHttpServer, startFixtureHttpServer } from "../test-support/fixture-http-server.js";
import { snappyLiterals, writeRequest } from "../test-support/remote-write-body.js";
import { startTestServer, type TestServer } from "../test-support/test-server.js";

const LABELS =
  'reporter="destination",source_workload="productpage-v1",destination_service="reviews.default.svc.cluster.local",response_code="200"';

function counter(text: string, name: string, labels: Record<string, string>): number {
  const rendered = Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(",");
  const line = text.split("\n").find((l) => l.startsWith(`${name}{${rendered}} `));
  return Number(line?.split(" ").at(-1) ?? 0);
}

describe("metric receivers into the real metric store", () => {
  let fixture: FixtureHttpServer;
  let server: TestServer;
  let scrapes = 0;
  const selfMetrics = async () => (await fetch(`${server.consoleUrl}/metrics`)).text();

  beforeAll(async () => {
    fixture = await startFixtureHttpServer({
      "/stats/prometheus": (_req, res) => {
        scrapes++;
        res.writeHead(200).end(`# TYPE istio_requests_total counter
istio_requests_total{${LABELS}} ${100 + 10 * scrapes}
# TYPE envoy_server_uptime gauge
envoy_server_uptime 42
`);
      },
    });
    server = await startTestServer({ scrapeTargets: [fixture.url("/stats/prometheus")], scrapeIntervalMs: 300 });
  });
  afterAll(async () => {
    await server?.stop();
    await fixture?.close();
  });

  it("commits scraped Istio samples and ignores the target's other metrics", async () => {
    const deadline = Date.now() + 10_000;
    while (scrapes < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const text = await selfMetrics();
    expect(counter(text, "meshscope_metric_samples_accepted_total", { protocol: "scrape" })).toBeGreaterThanOrEqual(2);
    expect(counter(text, "meshscope_metric_samples_ignored_total", { protocol: "scrape" })).toBeGreaterThanOrEqual(2);
    const status: unknown = await (await fetch(`${server.consoleUrl}/api/scrape-targets`)).json();
    expect(status).toMatchObject({ targets: [{ health: "up", samples: 2, lastError: null }] });
  });

  it("commits remote-written Istio samples and answers 204", async () => {
    const now = Date.now();
    const body = snappyLiterals(
      writeRequest([
        {
          labels: { __name__: "istio_requests_total", reporter: "source", source_workload: "a", response_code: "200" },
          samples: [
            { value: 1, timestampMs: now - 2000 },
            { value: 4, timestampMs: now - 1000 },
          ],
        },
      ]),
    );
    const res = await fetch(`${server.consoleUrl}/api/v1/write`, {
      method: "POST",
      headers: { "Content-Type": "application/x-protobuf", "Content-Encoding": "snappy" },
      body,
    });
    expect(res.status).toBe(204);
    expect(counter(await selfMetrics(), "meshscope_metric_samples_accepted_total", { protocol: "remote_write" })).toBe(
      2,
    );
  });

  it("commits OTLP delta counter points and answers a full success", async () => {
    const timeUnixNano = `${BigInt(Date.now()) * 1_000_000n}`;
    const res = await fetch(`${server.otlpHttpUrl}/v1/metrics`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        resourceMetrics: [
          {
            scopeMetrics: [
              {
                metrics: [
                  {
                    name: "istio_requests_total",
                    sum: {
                      aggregationTemporality: 1,
                      isMonotonic: true,
                      dataPoints: [
                        {
                          asInt: "3",
                          timeUnixNano,
                          attributes: [{ key: "reporter", value: { stringValue: "destination" } }],
                        },
                      ],
                    },
                  },
                ],
              },
            ],
          },
        ],
      }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({});
    expect(counter(await selfMetrics(), "meshscope_metric_samples_accepted_total", { protocol: "otlp_http" })).toBe(1);
  });
});
