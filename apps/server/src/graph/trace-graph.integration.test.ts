import { GraphResponse } from "@meshscope/model";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { otlpJsonSpan, postOtlpJson, randomSpanId, randomTraceId } from "../test-support/otlp-json.js";
import { snappyLiterals, type WriteSeries, writeRequest } from "../test-support/remote-write-body.js";
import { startTestServer, type TestServer } from "../test-support/test-server.js";

const END_MS = 1_718_000_060_000;
const END_US = END_MS * 1000;
const HOSTILE = `<img src=x onerror=alert(1)>'; DROP TABLE spans; --`;

const ns = (ms: number) => (BigInt(ms) * 1_000_000n).toString();
const SERVER = 2;
const CLIENT = 3;

/** One OTLP/JSON request per service, with its namespace as `k8s.namespace.name`. */
function request(service: string, namespace: string, spans: Record<string, unknown>[]) {
  return {
    resourceSpans: [
      {
        resource: {
          attributes: [
            { key: "service.name", value: { stringValue: service } },
            { key: "k8s.namespace.name", value: { stringValue: namespace } },
          ],
        },
        scopeSpans: [{ scope: { name: "meshscope-tests" }, spans }],
      },
    ],
  };
}

const code = (c: number) => [{ key: "http.response.status_code", value: { intValue: String(c) } }];

/**
 * Six calls a → b → c in the last minute, 10 s apart; c answers 500 to the first three and takes 10, 20, … 60 ms.
 * Also `productpage → reviews` spans, a pair the Istio metrics below already count.
 */
async function sendSpans(url: string): Promise<void> {
  const by: Record<string, Record<string, unknown>[]> = { a: [], b: [], c: [], productpage: [], reviews: [] };
  const push = (svc: string, spec: Parameters<typeof otlpJsonSpan>[0], kind: number) => {
    by[svc]?.push({ ...otlpJsonSpan(spec), kind });
  };
  for (let i = 0; i < 6; i++) {
    const traceId = randomTraceId();
    const t = END_MS - 55_000 + i * 10_000;
    const [aRoot, aCall, bServer, bCall] = [randomSpanId(), randomSpanId(), randomSpanId(), randomSpanId()];
    push("a", { traceId, spanId: aRoot, startTimeUnixNano: ns(t), durationMs: 100 }, SERVER);
    push("a", { traceId, spanId: aCall, parentSpanId: aRoot, startTimeUnixNano: ns(t + 1) }, CLIENT);
    push("b", { traceId, spanId: bServer, parentSpanId: aCall, startTimeUnixNano: ns(t + 2) }, SERVER);
    push("b", { traceId, spanId: bCall, parentSpanId: bServer, startTimeUnixNano: ns(t + 3) }, CLIENT);
    const cAttrs = code(i < 3 ? 500 : 200);
    push(
      "c",
      { traceId, parentSpanId: bCall, startTimeUnixNano: ns(t + 4), durationMs: (i + 1) * 10, attributes: cAttrs },
      SERVER,
    );
    const ppCall = randomSpanId();
    push("productpage", { traceId, spanId: ppCall, startTimeUnixNano: ns(t) }, CLIENT);
    push("reviews", { traceId, parentSpanId: ppCall, startTimeUnixNano: ns(t + 1) }, SERVER);
  }
  // A span long before the window, from a service with a hostile name: outside the window it draws nothing.
  const oldTrace = randomTraceId();
  const oldCall = randomSpanId();
  const hostile = [
    {
      ...otlpJsonSpan({ traceId: oldTrace, spanId: oldCall, startTimeUnixNano: ns(END_MS - 3_600_000) }),
      kind: CLIENT,
    },
  ];
  const plain = [otlpJsonSpan({ traceId: oldTrace, parentSpanId: oldCall, startTimeUnixNano: ns(END_MS - 3_599_999) })];
  const bodies = [
    request("a", "shop", by.a ?? []),
    request("b", "shop", by.b ?? []),
    request("c", "shop", by.c ?? []),
    request("productpage", "bookinfo", by.productpage ?? []),
    request("reviews", "bookinfo", by.reviews ?? []),
    request(HOSTILE, "shop", hostile),
    request("c", "shop", plain),
  ];
  for (const body of bodies) expect((await postOtlpJson(url, body)).status).toBe(200);
}

/** productpage-v1 → reviews-v2 as both proxies report it: 0 → 120 requests over the last 60 s (2 rps). */
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
    },
    samples: [
      { value: 0, timestampMs: END_MS - 60_000 },
      { value: 120, timestampMs: END_MS },
    ],
  };
}

describe("GET /api/graph with trace-derived edges", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
    await sendSpans(server.consoleUrl);
    const res = await fetch(`${server.consoleUrl}/api/v1/write`, {
      method: "POST",
      headers: {
        "content-type": "application/x-protobuf",
        "content-encoding": "snappy",
        "x-prometheus-remote-write-version": "0.1.0",
      },
      body: snappyLiterals(writeRequest([reviewsSeries("source"), reviewsSeries("destination")])),
    });
    expect(res.status).toBe(204);
  });
  afterAll(async () => {
    await server.stop();
  });

  async function graph(query: string): Promise<GraphResponse> {
    const res = await fetch(`${server.consoleUrl}/api/graph?${query}`);
    expect(res.status).toBe(200);
    return GraphResponse.parse(await res.json());
  }

  it("draws plain OpenTelemetry services a → b → c from their spans, with RED numbers and health", async () => {
    const g = await graph(`type=versionedApp&window=60&end=${END_US}`);
    const traced = g.edges.filter((e) => e.traceDerived);
    expect(traced.map((e) => e.id).sort()).toEqual([
      "app:shop/a/ -> app:shop/b/ (http)",
      "app:shop/b/ -> app:shop/c/ (http)",
    ]);
    const bc = traced.find((e) => e.target === "app:shop/c/");
    expect(bc?.rps).toBeCloseTo(6 / 60, 9);
    expect(bc).toMatchObject({ errorRate: 0.5, p50Ms: 30, p95Ms: 60, p99Ms: 60, health: "failure" });
    expect(traced.find((e) => e.target === "app:shop/b/")).toMatchObject({ errorRate: 0, health: "healthy" });
    expect(g.nodes.find((n) => n.id === "app:shop/c/")).toMatchObject({ health: "failure", traceDerived: true });
  });

  it("does not add span edges or nodes for services the Istio metrics already count", async () => {
    const g = await graph(`type=versionedApp&window=60&end=${END_US}`);
    expect(g.nodes.filter((n) => n.app === "productpage").map((n) => n.id)).toEqual(["app:bookinfo/productpage/v1"]);
    expect(g.nodes.filter((n) => n.app === "reviews").map((n) => n.id)).toEqual(["app:bookinfo/reviews/v2"]);
    expect(g.edges.filter((e) => e.source.includes("productpage")).every((e) => e.traceDerived !== true)).toBe(true);
  });

  it("counts only spans inside the window and keeps a hostile service name as data", async () => {
    const now = await graph(`type=app&window=60&end=${END_US}`);
    expect(now.nodes.some((n) => n.app === HOSTILE)).toBe(false);
    const old = await graph(`type=app&window=60&end=${END_US - 3_540_000_000}`);
    expect(old.edges.map((e) => e.id)).toEqual([`app:shop/${HOSTILE} -> app:shop/c (http)`]);
    expect(old.edges[0]?.rps).toBeCloseTo(1 / 60, 9);
  });
});
