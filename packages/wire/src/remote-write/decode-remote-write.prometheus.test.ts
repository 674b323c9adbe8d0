import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parsePrometheusText } from "../prometheus/parse-text.js";
import { type RunningPrometheus, startPrometheus, waitUntil } from "../testing/prometheus-process.js";
import { decodeRemoteWrite, type RemoteWriteSeries } from "./decode-remote-write.js";

/**
 * Oracle test: Debian's Prometheus 2.42 scrapes a fixture endpoint serving Istio exposition and remote-writes what
 * it stored to a capture server here. Decoding those real bodies must give back the fixture's series, labels and
 * values (plus the `job`/`instance` labels Prometheus adds) — which checks the snappy and protobuf decoding, and,
 * because the expectations come from our own text parser, that both parsers agree with Prometheus.
 */
const exposition = `${readFileSync(new URL("../prometheus/fixtures/istio-bookinfo.prom", import.meta.url), "utf8")}
# TYPE meshscope_fixture_escapes gauge
meshscope_fixture_escapes{path="C:\\\\temp",quote="say \\"hi\\"",multi="a\\nb"} 42
# TYPE meshscope_fixture_nan gauge
meshscope_fixture_nan NaN
`;

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)));
}

function readBody(req: IncomingMessage): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(new Uint8Array(Buffer.concat(chunks))));
    req.on("error", reject);
  });
}

function key(labels: Record<string, string>): string {
  return Object.keys(labels)
    .sort()
    .map((k) => `${k}=${JSON.stringify(labels[k])}`)
    .join(",");
}

describe("decodeRemoteWrite against what Prometheus 2.42 really sends", () => {
  const bodies: Uint8Array[] = [];
  const headers: Array<Record<string, string | string[] | undefined>> = [];
  let fixture: Server;
  let capture: Server;
  let prom: RunningPrometheus;
  let fixturePort = 0;
  const startedMs = Date.now();

  beforeAll(async () => {
    fixture = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/plain; version=0.0.4" });
      res.end(exposition);
    });
    capture = createServer((req, res) => {
      void readBody(req).then((body) => {
        bodies.push(body);
        headers.push(req.headers);
        res.writeHead(204).end();
      });
    });
    fixturePort = await listen(fixture);
    const capturePort = await listen(capture);
    prom = await startPrometheus(
      () => `global: { scrape_interval: 1s }
scrape_configs:
  - job_name: istio
    metrics_path: /stats/prometheus
    static_configs: [{ targets: ["127.0.0.1:${fixturePort}"] }]
remote_write:
  - url: http://127.0.0.1:${capturePort}/api/v1/write
    queue_config: { batch_send_deadline: 1s, min_backoff: 100ms, max_backoff: 1s }
    metadata_config: { send: true, send_interval: 1s }
`,
    );
  }, 30_000);

  afterAll(async () => {
    await prom?.stop();
    fixture?.closeAllConnections();
    capture?.closeAllConnections();
    await new Promise((r) => fixture?.close(r));
    await new Promise((r) => capture?.close(r));
  }, 15_000);

  function decodedSeries(): RemoteWriteSeries[] {
    return bodies.flatMap((b) => decodeRemoteWrite(b).timeseries);
  }

  it("decodes every fixture series with its labels and value", async () => {
    const expected = new Map<string, number>();
    for (const s of parsePrometheusText(exposition).samples) {
      const labels = { ...s.labels, __name__: s.name, job: "istio", instance: `127.0.0.1:${fixturePort}` };
      expected.set(key(labels), s.value);
    }
    const received = new Map<string, RemoteWriteSeries>();
    await waitUntil(async () => {
      for (const series of decodedSeries()) received.set(key(series.labels), series);
      return [...expected.keys()].every((k) => received.has(k));
    }, 25_000);

    for (const [k, value] of expected) {
      const series = received.get(k);
      expect(series?.samples.length, k).toBeGreaterThan(0);
      for (const sample of series?.samples ?? []) {
        expect(sample.value, k).toEqual(value);
        expect(sample.timestampMs).toBeGreaterThanOrEqual(startedMs - 1000);
        expect(sample.timestampMs).toBeLessThanOrEqual(Date.now());
        expect(sample.stale).toBeUndefined();
      }
    }
  }, 30_000);

  it("keeps escaped characters as Prometheus unescaped them", () => {
    const series = decodedSeries().find((s) => s.labels.__name__ === "meshscope_fixture_escapes");
    expect(series?.labels).toMatchObject({ path: "C:\\temp", quote: 'say "hi"', multi: "a\nb" });
  });

  it("sees Prometheus' scrape series too, and ignores the metadata-only requests", async () => {
    const names = new Set(decodedSeries().map((s) => s.labels.__name__));
    expect(names).toContain("up");
    expect(names).toContain("scrape_samples_scraped");
    // Metadata is sent in requests of its own (WriteRequest field 3), which decode to no time series.
    await waitUntil(async () => bodies.some((b) => decodeRemoteWrite(b).timeseries.length === 0), 10_000);
  }, 15_000);

  it("receives the snappy-encoded protobuf v1 headers it decodes", () => {
    expect(headers[0]?.["content-encoding"]).toBe("snappy");
    expect(headers[0]?.["content-type"]).toBe("application/x-protobuf");
    expect(headers[0]?.["x-prometheus-remote-write-version"]).toBe("0.1.0");
  });
});
