import { ErrorEnvelope, ServiceDetailResponse, ServiceListResponse, ServicesResponse } from "@meshscope/model";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { otlpJsonSpan, postOtlpJson, randomTraceId } from "../test-support/otlp-json.js";
import { snappyLiterals, type WriteSeries, writeRequest } from "../test-support/remote-write-body.js";
import { startTestServer, type TestServer } from "../test-support/test-server.js";

const HEADERS = {
  "content-type": "application/x-protobuf",
  "content-encoding": "snappy",
  "x-prometheus-remote-write-version": "0.1.0",
};

/** A whole minute, so the default detail step (window/30) lands on sample times. */
const END_MS = 1_718_000_040_000;
const SCRAPE_MS = 15_000;
/** Ten minutes of samples, one per scrape interval, ending at END_MS. */
const SAMPLE_TIMES = Array.from({ length: 41 }, (_, i) => END_MS - (40 - i) * SCRAPE_MS);

interface Hop {
  reporter: "source" | "destination";
  from: { workload: string; app: string; version: string };
  service: string;
  to: { workload: string; app: string; version: string };
  code: string;
}

function hopLabels(h: Hop): Record<string, string> {
  return {
    reporter: h.reporter,
    source_workload: h.from.workload,
    source_workload_namespace: "bookinfo",
    source_canonical_service: h.from.app,
    source_canonical_revision: h.from.version,
    destination_service: `${h.service}.bookinfo.svc.cluster.local`,
    destination_service_name: h.service,
    destination_service_namespace: "bookinfo",
    destination_workload: h.to.workload,
    destination_workload_namespace: "bookinfo",
    destination_canonical_service: h.to.app,
    destination_canonical_revision: h.to.version,
    request_protocol: "http",
    response_code: h.code,
    response_flags: "-",
    connection_security_policy: h.reporter === "destination" ? "mutual_tls" : "unknown",
  };
}

/** A counter growing by `perSecond` every second: its PromQL rate is exactly `perSecond`. */
function steady(labels: Record<string, string>, perSecond: number): WriteSeries {
  const first = SAMPLE_TIMES[0] ?? END_MS;
  return { labels, samples: SAMPLE_TIMES.map((t) => ({ value: ((t - first) / 1000) * perSecond, timestampMs: t })) };
}

const productpage = { workload: "productpage-v1", app: "productpage", version: "v1" };
const reviewsV1 = { workload: "reviews-v1", app: "reviews", version: "v1" };
const reviewsV2 = { workload: "reviews-v2", app: "reviews", version: "v2" };
const ratings = { workload: "ratings-v1", app: "ratings", version: "v1" };

/**
 * productpage → reviews: v1 at 2 rps (all 200), v2 at 1 rps of which 10% are 500s; reviews-v2 → ratings at 1 rps.
 * Both proxies report every hop. reviews-v1's destination histogram puts half its requests ≤ 5 ms, all ≤ 10 ms.
 */
function fixture(): WriteSeries[] {
  const series: WriteSeries[] = [];
  const both = (h: Omit<Hop, "reporter">, rps: number) => {
    for (const reporter of ["source", "destination"] as const) {
      series.push(steady({ __name__: "istio_requests_total", ...hopLabels({ ...h, reporter }) }, rps));
    }
  };
  both({ from: productpage, service: "reviews", to: reviewsV1, code: "200" }, 2);
  both({ from: productpage, service: "reviews", to: reviewsV2, code: "200" }, 0.9);
  both({ from: productpage, service: "reviews", to: reviewsV2, code: "500" }, 0.1);
  both({ from: reviewsV2, service: "ratings", to: ratings, code: "200" }, 1);
  const v1 = hopLabels({ reporter: "destination", from: productpage, service: "reviews", to: reviewsV1, code: "200" });
  for (const [le, rps] of [
    ["5", 1],
    ["10", 2],
    ["+Inf", 2],
  ] as const) {
    series.push(steady({ __name__: "istio_request_duration_milliseconds_bucket", ...v1, le }, rps));
  }
  return series;
}

/** An OTLP/JSON request from one service, with resource attributes as given. */
function spansFrom(resource: Record<string, string>): Record<string, unknown> {
  return {
    resourceSpans: [
      {
        resource: { attributes: Object.entries(resource).map(([key, v]) => ({ key, value: { stringValue: v } })) },
        scopeSpans: [{ scope: { name: "meshscope-tests" }, spans: [otlpJsonSpan({ traceId: randomTraceId() })] }],
      },
    ],
  };
}

describe("the services API", () => {
  let server: TestServer;
  const get = (path: string) => fetch(`${server.consoleUrl}${path}`);

  beforeAll(async () => {
    server = await startTestServer({ scrapeIntervalMs: SCRAPE_MS });
    const body = snappyLiterals(writeRequest(fixture()));
    const res = await fetch(`${server.consoleUrl}/api/v1/write`, { method: "POST", headers: HEADERS, body });
    expect(res.status).toBe(204);
    const resources: Record<string, string>[] = [
      { "service.name": "reviews", "k8s.namespace.name": "bookinfo" },
      { "service.name": "checkout" },
      // An Istio sidecar's spans: service.name `<service>.<namespace>`.
      { "service.name": "ratings.bookinfo" },
    ];
    for (const resource of resources) {
      expect((await postOtlpJson(server.consoleUrl, spansFrom(resource))).status).toBe(200);
    }
  });
  afterAll(async () => {
    await server.stop();
  });

  describe("GET /api/services", () => {
    it("merges the services of the mesh metrics with the services that sent spans", async () => {
      const res = await get(`/api/services?window=300&end=${END_MS * 1000}`);
      expect(res.status).toBe(200);
      const { services } = ServiceListResponse.parse(await res.json());
      const byName = new Map(services.map((s) => [s.name, s]));
      expect(services.map((s) => `${s.namespace}/${s.name}:${s.source}`).sort()).toEqual([
        "bookinfo/ratings:both",
        "bookinfo/reviews:both",
        "null/checkout:traces",
      ]);
      const reviews = byName.get("reviews");
      expect(reviews?.inboundRps).toBeCloseTo(3, 6);
      expect(reviews?.errorRate).toBeCloseTo(0.1 / 3, 6);
      // 3.3% 5xx: above Kiali's degraded threshold (> 0%), below failure (10%).
      expect(reviews?.health).toBe("degraded");
      expect(reviews?.versions).toEqual(["v1", "v2"]);
      expect(reviews?.workloads).toEqual(["reviews-v1", "reviews-v2"]);
      expect(byName.get("ratings")?.health).toBe("healthy");
      // Matched through Envoy's span naming; the trace links search under the name the spans carry.
      expect(byName.get("ratings")?.traceService).toBe("ratings.bookinfo");
      expect(reviews?.traceService).toBeUndefined();
      expect(byName.get("checkout")).toMatchObject({ health: "unknown", inboundRps: 0, p95Ms: null });
    });

    it("still answers the name and namespace rows the trace search form reads", async () => {
      const res = await get("/api/services");
      const { services } = ServicesResponse.parse(await res.json());
      expect(services.map((s) => s.name).sort()).toEqual(["checkout", "ratings.bookinfo", "reviews"]);
    });

    it("filters by namespace, leaving out trace services without one", async () => {
      const res = await get(`/api/services?namespaces=bookinfo&end=${END_MS * 1000}`);
      const { services } = ServiceListResponse.parse(await res.json());
      expect(services.map((s) => s.name)).toEqual(["ratings", "reviews"]);
    });

    it("rejects a bad window with the error envelope", async () => {
      const res = await get("/api/services?window=soon");
      expect(res.status).toBe(400);
      expect(ErrorEnvelope.parse(await res.json()).error.message).toMatch(/window/);
    });
  });

  describe("GET /api/services/{namespace}/{service}", () => {
    async function detail(query: string): Promise<ServiceDetailResponse> {
      const res = await get(`/api/services/bookinfo/reviews?${query}`);
      expect(res.status).toBe(200);
      return ServiceDetailResponse.parse(await res.json());
    }

    it("answers inbound RED series of a steady service, in total and by version", async () => {
      const d = await detail(`window=300&end=${END_MS * 1000}`);
      expect(d).toMatchObject({ source: "both", health: "degraded", versions: ["v1", "v2"], stepSeconds: 15 });
      expect(d.window).toEqual({ start: (END_MS - 300_000) * 1000, end: END_MS * 1000 });
      // window / step points, the last at `end`.
      expect(d.inbound.total).toHaveLength(20);
      expect(d.inbound.total.at(-1)?.t).toBe(END_MS * 1000);
      for (const p of d.inbound.total) {
        expect(p.rps).toBeGreaterThan(3 * 0.98);
        expect(p.rps).toBeLessThan(3 * 1.02);
        expect(p.errorRate).toBeCloseTo(0.1 / 3, 3);
      }
      const v1 = d.inbound.byVersion.v1 ?? [];
      const v2 = d.inbound.byVersion.v2 ?? [];
      expect(v1.map((p) => p.rps)).toEqual(v1.map(() => expect.closeTo(2, 2)));
      expect(v1.map((p) => p.errorRate)).toEqual(v1.map(() => 0));
      expect(v2.map((p) => p.errorRate)).toEqual(v2.map(() => expect.closeTo(0.1, 3)));
      expect(Object.keys(d.inbound.byWorkload)).toEqual(["reviews-v1", "reviews-v2"]);
    });

    it("answers latency quantiles as histogram_quantile gives them", async () => {
      const d = await detail(`window=300&end=${END_MS * 1000}`);
      const last = d.inbound.byVersion.v1?.at(-1);
      expect(last?.p50Ms).toBeCloseTo(5, 6);
      expect(last?.p95Ms).toBeCloseTo(9.5, 6);
      // v2 reports no histogram.
      expect(d.inbound.byVersion.v2?.at(-1)?.p95Ms).toBeNull();
    });

    it("answers the calls its workloads make as outbound, from the source proxy", async () => {
      const d = await detail(`window=300&step=60&end=${END_MS * 1000}`);
      expect(d.outbound.total).toHaveLength(5);
      expect(Object.keys(d.outbound.byWorkload)).toEqual(["reviews-v2"]);
      expect(d.outbound.total.map((p) => p.rps)).toEqual(d.outbound.total.map(() => expect.closeTo(1, 2)));
    });

    it("names the spans of a service whose sidecars traced it under Istio's <service>.<namespace>", async () => {
      const res = await get(`/api/services/bookinfo/ratings?window=300&end=${END_MS * 1000}`);
      const d = ServiceDetailResponse.parse(await res.json());
      expect(d).toMatchObject({ source: "both", traceService: "ratings.bookinfo" });
    });

    it("answers 404 for a service neither the metrics nor the spans know", async () => {
      const res = await get(`/api/services/bookinfo/nope?end=${END_MS * 1000}`);
      expect(res.status).toBe(404);
      expect(ErrorEnvelope.parse(await res.json()).error.code).toBe("not_found");
    });

    it("rejects a bad step or window with the error envelope", async () => {
      for (const query of ["step=0", "window=-1", "window=60&step=120", "window=2592000&step=1"]) {
        const res = await get(`/api/services/bookinfo/reviews?${query}`);
        expect(res.status, query).toBe(400);
        expect(ErrorEnvelope.parse(await res.json()).error.code).toBe("invalid_request");
      }
    });
  });
});
