/**
 * The scraper inside a running meshscope, against fixture endpoints on this machine: a good Istio exposition,
 * the same gzip-compressed, one with a malformed line among good ones, an HTML page, binary bytes, a port
 * nobody listens on, and an endpoint slower than the scrape timeout. Batches go to a capturing sink.
 */
import { createServer } from "node:net";
import { gzipSync } from "node:zlib";
import { ScrapeTargetsResponse } from "@meshscope/model";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CapturingMetricSink, seriesKey } from "../test-support/capturing-metric-sink.js";
import { type FixtureHttpServer, startFixtureHttpServer } from "../test-support/fixture-http-server.js";
import { startTestServer, type TestServer } from "../test-support/test-server.js";

const OK_LABELS = 'reporter="destination",destination_service="reviews.default.svc.cluster.local",response_code="200"';
const UO_LABELS =
  'reporter="source",destination_service="httpbin.default.svc.cluster.local",response_code="503",response_flags="UO"';
/** Exposition timestamp of the UO series, ms: the batch must carry it rather than the scrape time. */
const UO_TIMESTAMP_MS = 1_700_000_000_000;

const GOOD = `# HELP istio_requests_total Total requests.
# TYPE istio_requests_total counter
istio_requests_total{${OK_LABELS}} 1284
istio_requests_total{${UO_LABELS}} 19 ${UO_TIMESTAMP_MS}
# TYPE istio_request_duration_milliseconds histogram
istio_request_duration_milliseconds_bucket{${OK_LABELS},le="10"} 902
istio_request_duration_milliseconds_bucket{${OK_LABELS},le="+Inf"} 1284
istio_request_duration_milliseconds_sum{${OK_LABELS}} 10240.5
istio_request_duration_milliseconds_count{${OK_LABELS}} 1284
`;

const MIXED = `# TYPE istio_requests_total counter
istio_requests_total{${OK_LABELS}} 7
istio_requests_total{reporter="source" 12
istio_requests_total{${UO_LABELS}} 3
`;

const INTERVAL_MS = 1000;
const TIMEOUT_MS = 500;

async function refusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function targets(server: TestServer): Promise<ScrapeTargetsResponse["targets"]> {
  const res = await fetch(`${server.consoleUrl}/api/scrape-targets`);
  expect(res.status).toBe(200);
  return ScrapeTargetsResponse.parse(await res.json()).targets;
}

describe("the scraper", () => {
  let fixture: FixtureHttpServer;
  let server: TestServer;
  const sink = new CapturingMetricSink();
  let url: Record<"good" | "gzip" | "mixed" | "html" | "binary" | "refused" | "slow", string>;

  beforeAll(async () => {
    fixture = await startFixtureHttpServer({
      "/good": (_req, res) => {
        res.writeHead(200, { "Content-Type": "text/plain; version=0.0.4" }).end(GOOD);
      },
      "/gzip": (_req, res) => {
        res.writeHead(200, { "Content-Type": "text/plain; version=0.0.4", "Content-Encoding": "gzip" });
        res.end(gzipSync(GOOD));
      },
      "/mixed": (_req, res) => {
        res.writeHead(200, { "Content-Type": "text/plain" }).end(MIXED);
      },
      "/html": (_req, res) => {
        res.writeHead(200, { "Content-Type": "text/html" }).end("<html><body>It works!</body></html>\n");
      },
      "/binary": (_req, res) => {
        res.writeHead(200, { "Content-Type": "application/octet-stream" }).end(Buffer.from([0xff, 0xfe, 0x00, 0x81]));
      },
      "/slow": async (_req, res) => {
        await new Promise((r) => setTimeout(r, TIMEOUT_MS * 4));
        if (!res.destroyed) res.writeHead(200).end(GOOD);
      },
    });
    url = {
      good: fixture.url("/good"),
      gzip: fixture.url("/gzip"),
      mixed: fixture.url("/mixed"),
      html: fixture.url("/html"),
      binary: fixture.url("/binary"),
      refused: `http://127.0.0.1:${await refusedPort()}/stats/prometheus`,
      slow: fixture.url("/slow"),
    };
    server = await startTestServer(
      { scrapeTargets: Object.values(url), scrapeIntervalMs: INTERVAL_MS, scrapeTimeoutMs: TIMEOUT_MS },
      { metricSink: sink },
    );
    // Every target has been scraped at least twice (the second time on the interval, not at start-up).
    await sink.waitFor(() => sink.batchesFrom(url.good).length >= 2 && sink.batchesFrom(url.mixed).length >= 1);
    const deadline = Date.now() + 5000;
    while ((await targets(server)).some((t) => t.health === "unknown") && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
  });
  afterAll(async () => {
    await server?.stop();
    await fixture?.close();
  });

  it("sends a good target's samples as one complete cumulative batch named by the target's URL", () => {
    const batch = sink.batchesFrom(url.good)[0];
    expect(batch).toMatchObject({ source: url.good, temporality: "cumulative", complete: true });
    const byKey = new Map(batch?.samples.map((s) => [seriesKey(s.name, s.labels), s.value]));
    expect(byKey.size).toBe(6);
    expect(
      byKey.get(
        seriesKey("istio_requests_total", {
          reporter: "destination",
          destination_service: "reviews.default.svc.cluster.local",
          response_code: "200",
        }),
      ),
    ).toBe(1284);
    expect(
      byKey.get(
        seriesKey("istio_request_duration_milliseconds_bucket", {
          reporter: "destination",
          destination_service: "reviews.default.svc.cluster.local",
          response_code: "200",
          le: "10",
        }),
      ),
    ).toBe(902);
  });

  it("stamps samples with the exposition's timestamp when it has one, else with the scrape's start", async () => {
    const [target] = (await targets(server)).filter((t) => t.url === url.good);
    const batches = sink.batchesFrom(url.good);
    const last = batches[batches.length - 1];
    const uo = last?.samples.find((s) => s.labels.response_flags === "UO");
    const ok = last?.samples.find((s) => s.name === "istio_requests_total" && s.labels.response_code === "200");
    expect(uo?.timestampMs).toBe(UO_TIMESTAMP_MS);
    // Every unstamped sample of one scrape carries the same time, within the last interval or two.
    expect(new Set(last?.samples.filter((s) => s !== uo).map((s) => s.timestampMs)).size).toBe(1);
    expect(Date.now() - (ok?.timestampMs ?? 0)).toBeLessThan(INTERVAL_MS * 3);
    expect(target?.lastScrape).toBeGreaterThan(0);
  });

  it("reports a good target up with its sample count and scrape duration", async () => {
    const target = (await targets(server)).find((t) => t.url === url.good);
    expect(target).toMatchObject({ health: "up", samples: 6, lastError: null, lineErrors: [] });
    expect(target?.lastDurationMs).toBeGreaterThanOrEqual(0);
    expect(target?.lastDurationMs).toBeLessThan(TIMEOUT_MS);
  });

  it("asks for the text format and accepts gzip, and reads a gzip-compressed exposition", async () => {
    const headers = fixture.lastHeaders("/gzip");
    expect(headers?.accept).toContain("text/plain;version=0.0.4");
    expect(headers?.["accept-encoding"]).toContain("gzip");
    const batch = sink.batchesFrom(url.gzip)[0];
    expect(batch?.samples).toHaveLength(6);
    expect((await targets(server)).find((t) => t.url === url.gzip)?.health).toBe("up");
  });

  it("keeps the good lines of a scrape with a malformed line and reports that line", async () => {
    const target = (await targets(server)).find((t) => t.url === url.mixed);
    expect(target?.health).toBe("up");
    expect(target?.samples).toBe(2);
    expect(target?.lineErrors).toHaveLength(1);
    expect(target?.lineErrors[0]?.line).toBe(3);
    const batch = sink.batchesFrom(url.mixed)[0];
    expect(batch?.samples.map((s) => s.value).sort((a, b) => a - b)).toEqual([3, 7]);
    // Series on a dropped line must not be ended as stale: the batch does not claim to be complete.
    expect(batch?.complete).toBe(false);
  });

  it("marks a target serving an HTML page down with the reason, and stores nothing from it", async () => {
    const target = (await targets(server)).find((t) => t.url === url.html);
    expect(target?.health).toBe("down");
    expect(target?.lastError).toMatch(/not a Prometheus text exposition.*line 1/);
    expect(target?.lineErrors.length).toBeGreaterThan(0);
    expect(sink.batchesFrom(url.html)).toEqual([]);
  });

  it("marks a target serving binary bytes down as not text", async () => {
    const target = (await targets(server)).find((t) => t.url === url.binary);
    expect(target).toMatchObject({ health: "down", samples: 0 });
    expect(target?.lastError).toMatch(/not UTF-8/);
  });

  it("marks a target that refuses connections down with the connection error", async () => {
    const target = (await targets(server)).find((t) => t.url === url.refused);
    expect(target?.health).toBe("down");
    expect(target?.lastError).toMatch(/ECONNREFUSED/);
  });

  it("gives up on a target slower than the scrape timeout and marks it down", async () => {
    const target = (await targets(server)).find((t) => t.url === url.slow);
    expect(target?.health).toBe("down");
    expect(target?.lastError).toBe(`scrape timed out after ${TIMEOUT_MS} ms`);
    expect(target?.lastDurationMs).toBeLessThan(TIMEOUT_MS + 200);
    expect(sink.batchesFrom(url.slow)).toEqual([]);
  });

  it("never scrapes one target twice at once", () => {
    for (const path of ["/good", "/gzip", "/mixed", "/slow"]) expect(fixture.maxInFlight(path), path).toBe(1);
  });

  it("exposes target health and scrape durations at /metrics", async () => {
    const text = await (await fetch(`${server.consoleUrl}/metrics`)).text();
    expect(text).toContain(`meshscope_scrape_target_up{target="${url.good}"} 1`);
    expect(text).toContain(`meshscope_scrape_target_up{target="${url.refused}"} 0`);
    expect(text).toMatch(/meshscope_scrape_duration_seconds_count [1-9]/);
    expect(text).toMatch(/meshscope_metric_samples_received_total\{protocol="scrape"\} [1-9]/);
  });

  it("stops scraping when the server stops", async () => {
    await server.stop();
    const after = fixture.requests("/good");
    await new Promise((r) => setTimeout(r, INTERVAL_MS * 2));
    expect(fixture.requests("/good")).toBe(after);
  });
});
