import { afterEach, describe, expect, it } from "vitest";
import { createMetricIngest } from "../ingest/metrics-ingest.js";
import { silentLogger } from "../ops/logger.js";
import { createSelfMetrics } from "../ops/self-metrics.js";
import { CapturingMetricSink } from "../test-support/capturing-metric-sink.js";
import { type FixtureHttpServer, startFixtureHttpServer } from "../test-support/fixture-http-server.js";
import { effectiveTimeoutMs, type Scraper, startScraper } from "./scraper.js";

describe("startScraper", () => {
  let fixture: FixtureHttpServer | undefined;
  let scraper: Scraper | undefined;
  afterEach(async () => {
    await scraper?.stop();
    await fixture?.close();
  });

  it("never starts a target's next scrape before its previous commit has finished", async () => {
    fixture = await startFixtureHttpServer({
      "/m": (_req, res) => {
        res.writeHead(200).end("istio_requests_total 1\n");
      },
    });
    const sink = new CapturingMetricSink();
    // Commits take 2.5 intervals: a timer-driven scraper would pile scrapes up.
    sink.commitDelayMs = 250;
    const metrics = createSelfMetrics(() => 0);
    scraper = startScraper({
      targets: [fixture.url("/m")],
      intervalMs: 100,
      timeoutMs: 50,
      maxBodyBytes: 1024,
      ingest: createMetricIngest({ sink, metrics, logger: silentLogger }),
      metrics,
    });
    await sink.waitFor(() => sink.batches.length >= 3);
    expect(sink.maxConcurrent.get(fixture.url("/m"))).toBe(1);
    expect(fixture.maxInFlight("/m")).toBe(1);
  });

  it("cancels a scrape in flight on stop and sends nothing after", async () => {
    fixture = await startFixtureHttpServer({
      "/hang": () => {
        // Never answers.
      },
    });
    const sink = new CapturingMetricSink();
    const metrics = createSelfMetrics(() => 0);
    scraper = startScraper({
      targets: [fixture.url("/hang")],
      intervalMs: 60_000,
      timeoutMs: 30_000,
      maxBodyBytes: 1024,
      ingest: createMetricIngest({ sink, metrics, logger: silentLogger }),
      metrics,
    });
    await new Promise((r) => setTimeout(r, 50));
    const t0 = Date.now();
    await scraper.stop();
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(sink.batches).toEqual([]);
    expect(scraper.status()[0]?.health).toBe("unknown");
  });

  it("keeps the scrape timeout below the interval", () => {
    expect(effectiveTimeoutMs(10_000, 15_000)).toBe(10_000);
    expect(effectiveTimeoutMs(10_000, 5_000)).toBe(4_500);
  });
});
