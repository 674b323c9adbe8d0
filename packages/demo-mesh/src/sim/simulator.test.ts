import { describe, expect, it } from "vitest";
import { bookinfoTopology } from "./bookinfo.js";
import { DESTINATION_RULE_ALL } from "./bookinfo-samples.testing.js";
import { Capture, parseConfig, run, T0 } from "./capture.testing.js";
import { createSimulator } from "./simulator.js";

// A config that exercises local failures at once: a fault abort toward ratings and a tight circuit breaker on reviews.
const BUSY_CONFIG = `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: ratings}
spec:
  hosts: [ratings]
  http:
  - fault: {abort: {percentage: {value: 20}, httpStatus: 503}}
    route: [{destination: {host: ratings, subset: v1}}]
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: ratings}
spec:
  host: ratings
  subsets: [{name: v1, labels: {version: v1}}]
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: reviews}
spec:
  host: reviews
  trafficPolicy:
    connectionPool: {tcp: {maxConnections: 2}, http: {http1MaxPendingRequests: 1}}
`;

describe("simulator", () => {
  it("gives identical metrics and spans for the same seed and different ones for another seed", () => {
    const a = run({ yaml: BUSY_CONFIG, rps: 100, seconds: 10, sampleRate: 0.5 });
    const b = run({ yaml: BUSY_CONFIG, rps: 100, seconds: 10, sampleRate: 0.5 });
    expect(a.requests.length).toBeGreaterThan(3000);
    expect(b.requests).toEqual(a.requests);
    expect(b.spans).toEqual(a.spans);
    const c = run({ yaml: BUSY_CONFIG, rps: 100, seconds: 10, sampleRate: 0.5, seed: 8 });
    expect(c.requests).not.toEqual(a.requests);
  });

  it("reports the same thing whether time advances in 100 ms ticks or in one jump", () => {
    const jump = run({ yaml: BUSY_CONFIG, rps: 200, seconds: 10, sampleRate: 0.2 });
    const ticks = run({ yaml: BUSY_CONFIG, rps: 200, seconds: 10, sampleRate: 0.2, tickMs: 100 });
    const odd = run({ yaml: BUSY_CONFIG, rps: 200, seconds: 10, sampleRate: 0.2, tickMs: 37 });
    expect(ticks.requests).toEqual(jump.requests);
    expect(ticks.spans).toEqual(jump.spans);
    expect(odd.requests).toEqual(jump.requests);
  });

  it("keeps metrics independent of the sample rate", () => {
    expect(run({ seconds: 5, sampleRate: 1 }).requests).toEqual(run({ seconds: 5, sampleRate: 0 }).requests);
  });

  it("reports only what has finished by the time it advanced to", () => {
    const capture = new Capture();
    const sim = createSimulator(
      { topology: bookinfoTopology(), seed: 3, rps: 20, loggedInShare: 0, sampleRate: 1, startMs: T0 },
      capture,
      capture,
    );
    // Every ratings call is delayed 5 s: reviews-v2 (10 s app timeout) waits, so none of its calls is done at 4 s.
    sim.setConfig(
      parseConfig(`
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: ratings}
spec:
  hosts: [ratings]
  http:
  - fault: {delay: {percentage: {value: 100}, fixedDelay: 5s}}
    route: [{destination: {host: ratings}}]`),
    );
    sim.advance(T0 + 4000);
    expect(sim.nowMs).toBe(T0 + 4000);
    const fromV2 = () => capture.requests.filter((r) => r.labels.source_workload === "reviews-v2");
    expect(fromV2()).toHaveLength(0);
    expect(capture.spans.every((s) => s.endMs <= T0 + 4000)).toBe(true);
    sim.advance(T0 + 12_000);
    expect(fromV2().length).toBeGreaterThan(0);
    expect(capture.spans.every((s) => s.endMs <= T0 + 12_000)).toBe(true);
  });

  it("applies a new config only to requests that start after it was set", () => {
    const capture = new Capture();
    const sim = createSimulator(
      { topology: bookinfoTopology(), seed: 5, rps: 50, loggedInShare: 0, sampleRate: 0, startMs: T0 },
      capture,
      capture,
    );
    sim.advance(T0 + 10_000);
    const before = capture.edge("destination", "productpage-v1", "reviews").length;
    sim.setConfig(
      parseConfig(
        [
          `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews}
spec:
  hosts: [reviews]
  http: [{route: [{destination: {host: reviews, subset: v3}}]}]`,
          DESTINATION_RULE_ALL,
        ].join("\n---\n"),
      ),
    );
    sim.advance(T0 + 20_000);
    const after = capture.edge("destination", "productpage-v1", "reviews").slice(before + 20);
    expect(after.length).toBeGreaterThan(300);
    expect(after.every((r) => r.labels.destination_workload === "reviews-v3")).toBe(true);
  });

  it("fills every label as Istio does, with only grpc_response_status empty", () => {
    const c = run({ yaml: BUSY_CONFIG, rps: 200, seconds: 5 });
    const flags = new Set(c.requests.map((r) => r.labels.response_flags));
    expect(flags).toContain("FI");
    expect(flags).toContain("UO");
    const wrong = new Set<string>();
    for (const { labels } of c.requests) {
      for (const [name, value] of Object.entries(labels)) {
        if ((name === "grpc_response_status") !== (value === "")) wrong.add(`${name}=${value}`);
      }
      if (!labels.destination_service.endsWith(".bookinfo.svc.cluster.local")) wrong.add(labels.destination_service);
    }
    expect([...wrong]).toEqual([]);
    expect(Object.keys(c.requests[0]?.labels ?? {})).toHaveLength(25);
  });

  it("never has the gateway report as a destination", () => {
    const c = run({ seconds: 5 });
    expect(
      c.requests.some(
        (r) => r.labels.reporter === "destination" && r.labels.destination_workload === "istio-ingressgateway",
      ),
    ).toBe(false);
  });
});

describe("spans", () => {
  const c = run({ yaml: BUSY_CONFIG, rps: 50, seconds: 10, sampleRate: 1 });
  const byId = new Map(c.spans.map((s) => [s.spanId, s]));

  it("pairs each server span with the calling proxy's client span", () => {
    const servers = c.spans.filter((s) => s.kind === "server");
    expect(servers.length).toBeGreaterThan(1000);
    for (const s of servers) {
      const parent = byId.get(s.parentSpanId ?? "");
      expect(parent?.kind).toBe("client");
      expect(parent?.traceId).toBe(s.traceId);
      expect(parent?.serviceName).not.toBe(s.serviceName);
      expect(s.startMs).toBeGreaterThanOrEqual(parent?.startMs ?? Number.NaN);
    }
  });

  it("parents the app's outbound client spans under its server span, and starts traces at the gateway", () => {
    const roots = c.spans.filter((s) => s.parentSpanId === undefined);
    expect(roots.every((s) => s.kind === "client" && s.serviceName === "istio-ingressgateway.istio-system")).toBe(true);
    // Requests still in flight at the end have reported their finished hops only: look at complete traces.
    const complete = new Set(roots.map((s) => s.traceId));
    for (const s of c.spans.filter(
      (x) => x.kind === "client" && x.parentSpanId !== undefined && complete.has(x.traceId),
    )) {
      const parent = byId.get(s.parentSpanId ?? "");
      expect(parent?.kind).toBe("server");
      expect(parent?.serviceName).toBe(s.serviceName);
    }
  });

  it("carries Envoy's and Istio's tags, with error set on 5xx", () => {
    const client = c.spans.find(
      (s) =>
        s.kind === "client" && s.serviceName === "productpage.bookinfo" && s.attributes["http.status_code"] === "200",
    );
    expect(client?.name).toMatch(/^(details|reviews)\.bookinfo\.svc\.cluster\.local:9080\/\*$/);
    expect(client?.attributes).toMatchObject({
      component: "proxy",
      "http.method": "GET",
      "istio.canonical_service": "productpage",
      "istio.canonical_revision": "v1",
      "istio.namespace": "bookinfo",
      "istio.mesh_id": "cluster.local",
      response_flags: "-",
    });
    expect(client?.attributes.upstream_cluster).toMatch(
      /^outbound\|9080\|\|(details|reviews)\.bookinfo\.svc\.cluster\.local$/,
    );
    expect(client?.attributes.node_id).toMatch(
      /^sidecar~10\.244\.\d+\.\d+~productpage-v1-[a-z0-9]+-[a-z0-9]{5}\.bookinfo~bookinfo\.svc\.cluster\.local$/,
    );
    expect(client?.attributes["guid:x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
    const faulted = c.spans.filter((s) => s.attributes.response_flags === "FI");
    expect(faulted.length).toBeGreaterThan(10);
    expect(
      faulted.every(
        (s) => s.error && s.attributes.upstream_cluster === "outbound|9080|v1|ratings.bookinfo.svc.cluster.local",
      ),
    ).toBe(true);
    expect(c.spans.filter((s) => !s.error).every((s) => Number(s.attributes["http.status_code"]) < 500)).toBe(true);
  });

  it("uses 32- and 16-hex-digit ids", () => {
    for (const s of c.spans) {
      expect(s.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(s.spanId).toMatch(/^[0-9a-f]{16}$/);
    }
  });
});
