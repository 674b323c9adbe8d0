import { GraphResponse } from "@meshscope/model";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { snappyLiterals, type WriteSeries, writeRequest } from "../test-support/remote-write-body.js";
import { startTestServer, type TestServer } from "../test-support/test-server.js";

const HEADERS = {
  "content-type": "application/x-protobuf",
  "content-encoding": "snappy",
  "x-prometheus-remote-write-version": "0.1.0",
};

const END_MS = 1_718_000_060_000;

/** productpage-v1 → reviews-v2 as both proxies report it: a counter going 0 → 120 over the last 60 s (2 rps). */
function reviewsSeries(reporter: "source" | "destination"): WriteSeries {
  return {
    labels: {
      __name__: "istio_requests_total",
      reporter,
      source_workload: "productpage-v1",
      source_workload_namespace: "bookinfo",
      source_canonical_service: "productpage",
      source_canonical_revision: "v1",
      destination_service: "reviews.bookinfo.svc.cluster.local",
      destination_service_name: "reviews",
      destination_service_namespace: "bookinfo",
      destination_workload: "reviews-v2",
      destination_workload_namespace: "bookinfo",
      destination_canonical_service: "reviews",
      destination_canonical_revision: "v2",
      request_protocol: "http",
      response_code: "200",
      response_flags: "-",
      connection_security_policy: reporter === "destination" ? "mutual_tls" : "unknown",
    },
    samples: [
      { value: 0, timestampMs: END_MS - 60_000 },
      { value: 60, timestampMs: END_MS - 30_000 },
      { value: 120, timestampMs: END_MS },
    ],
  };
}

describe("GET /api/graph", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
    const body = snappyLiterals(writeRequest([reviewsSeries("source"), reviewsSeries("destination")]));
    const res = await fetch(`${server.consoleUrl}/api/v1/write`, { method: "POST", headers: HEADERS, body });
    expect(res.status).toBe(204);
  });
  afterAll(async () => {
    await server.stop();
  });

  it("answers the graph of remote-written Istio metrics, counting each request once", async () => {
    const url = `${server.consoleUrl}/api/graph?type=versionedApp&namespaces=bookinfo&window=60&end=${END_MS * 1000}`;
    const res = await fetch(url);
    expect(res.status).toBe(200);
    const graph = GraphResponse.parse(await res.json());
    expect(graph.window).toEqual({ start: (END_MS - 60_000) * 1000, end: END_MS * 1000 });
    expect(graph.nodes.map((n) => n.id).sort()).toEqual([
      "app:bookinfo/productpage/v1",
      "app:bookinfo/reviews/v2",
      "service:bookinfo/reviews",
    ]);
    const edge = graph.edges.find((e) => e.source === "app:bookinfo/productpage/v1");
    expect(edge?.rps).toBeCloseTo(2, 6);
    expect(edge?.mtls).toBe(1);
    expect(edge?.health).toBe("healthy");
  });

  it("says where the time went in a Server-Timing header: reading traffic, building, serialising", async () => {
    const res = await fetch(`${server.consoleUrl}/api/graph?namespaces=bookinfo&window=60&end=${END_MS * 1000}`);
    expect(res.status).toBe(200);
    const timing = res.headers.get("server-timing") ?? "";
    const phases = Object.fromEntries(
      timing.split(",").map((part) => {
        const [name = "", dur = ""] = part.trim().split(";dur=");
        return [name, Number(dur)];
      }),
    );
    expect(Object.keys(phases)).toEqual(["traffic", "build", "json", "total"]);
    for (const ms of Object.values(phases)) expect(ms).toBeGreaterThanOrEqual(0);
    expect(phases.total).toBeGreaterThanOrEqual((phases.traffic ?? 0) + (phases.build ?? 0) - 0.02);
  });

  it("sends the JSON with its length and ETag, answers 304 to a client holding it, and headers only to HEAD", async () => {
    const url = `${server.consoleUrl}/api/graph?namespaces=bookinfo&window=60&end=${END_MS * 1000}`;
    const res = await fetch(url);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(Number(res.headers.get("content-length"))).toBe(bytes.length);
    const graph = GraphResponse.parse(JSON.parse(bytes.toString("utf8")));
    expect(graph.edges.length).toBeGreaterThan(0);
    const etag = res.headers.get("etag") ?? "";
    expect(etag).toMatch(/^W\/"[0-9a-f]+-[A-Za-z0-9+/]{27}"$/);

    // As a browser revalidates (fetch would add `cache-control: no-cache`, which asks for the body regardless).
    const revalidate = (tag: string) => fetch(url, { headers: { "if-none-match": tag, "cache-control": "max-age=0" } });
    const again = await revalidate(etag);
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
    const other = await revalidate('W/"1-AAAAAAAAAAAAAAAAAAAAAAAAAAA"');
    expect(other.status).toBe(200);
    expect(Buffer.from(await other.arrayBuffer()).equals(bytes)).toBe(true);

    const head = await fetch(url, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("etag")).toBe(etag);
    expect(Number(head.headers.get("content-length"))).toBe(bytes.length);
    expect(await head.text()).toBe("");
  });

  it("answers an empty graph for a window without samples", async () => {
    const res = await fetch(`${server.consoleUrl}/api/graph?end=${(END_MS - 3_600_000) * 1000}`);
    const graph = GraphResponse.parse(await res.json());
    expect(graph).toMatchObject({ type: "versionedApp", nodes: [], edges: [] });
  });

  it("rejects a bad query with the error envelope", async () => {
    const res = await fetch(`${server.consoleUrl}/api/graph?type=galaxy&window=-5`);
    expect(res.status).toBe(400);
    const body: unknown = await res.json();
    expect(body).toMatchObject({ error: { code: "invalid_request" } });
    expect(JSON.stringify(body)).toMatch(/type/);
    expect(JSON.stringify(body)).toMatch(/window/);
  });
});

describe("GET /api/graph with configured health tolerances", () => {
  /** productpage → reviews over 60 s: 97 answers 200 and 3 answer 404, as the destination proxy reports them. */
  function withCode(code: string, total: number): WriteSeries {
    const base = reviewsSeries("destination");
    return {
      labels: { ...base.labels, response_code: code },
      samples: [
        { value: 0, timestampMs: END_MS - 60_000 },
        { value: total, timestampMs: END_MS },
      ],
    };
  }

  async function reviewsHealth(server: TestServer): Promise<string | undefined> {
    const body = snappyLiterals(writeRequest([withCode("200", 97), withCode("404", 3)]));
    const res = await fetch(`${server.consoleUrl}/api/v1/write`, { method: "POST", headers: HEADERS, body });
    expect(res.status).toBe(204);
    const url = `${server.consoleUrl}/api/graph?namespaces=bookinfo&window=60&end=${END_MS * 1000}`;
    const graph = GraphResponse.parse(await (await fetch(url)).json());
    return graph.nodes.find((n) => n.id === "app:bookinfo/reviews/v2")?.health;
  }

  it("judges 3% of 4xx healthy with Kiali's defaults and degraded with a 1% tolerance", async () => {
    const defaults = await startTestServer();
    const strict = await startTestServer({
      healthThresholds: {
        http5xx: { degraded: 0, failure: 10 },
        http4xx: { degraded: 1, failure: 5 },
        grpcError: { degraded: 0, failure: 10 },
        noResponse: { degraded: 0, failure: 10 },
      },
    });
    try {
      expect(await reviewsHealth(defaults)).toBe("healthy");
      expect(await reviewsHealth(strict)).toBe("degraded");
    } finally {
      await Promise.all([defaults.stop(), strict.stop()]);
    }
  });
});
