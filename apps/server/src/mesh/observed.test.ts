import type { MeshObject } from "@meshscope/mesh-config";
import { ConfiguredVsObserved } from "@meshscope/model";
import { describe, expect, it } from "vitest";
import { bothReporters, productpage, ratings, reviews, traffic, wl } from "../test-support/graph-traffic.js";
import { configuredVsObserved } from "./observed.js";

const [r1, r2, r3] = reviews;
const q = { namespace: "bookinfo", service: "reviews", startUs: 0, endUs: 60_000_000 };

const vs: MeshObject = {
  apiVersion: "networking.istio.io/v1",
  kind: "VirtualService",
  metadata: { name: "reviews", namespace: "bookinfo" },
  spec: {
    hosts: ["reviews"],
    http: [
      {
        match: [{ headers: { "end-user": { exact: "jason" } } }],
        route: [{ destination: { host: "reviews", subset: "v2" } }],
      },
      {
        route: [
          { destination: { host: "reviews", subset: "stable" }, weight: 40 },
          { destination: { host: "reviews", subset: "canary" }, weight: 10 },
        ],
        fault: { abort: { percentage: { value: 20 }, httpStatus: 503 }, delay: { fixedDelay: "1s" } },
      },
    ],
  },
};

const dr: MeshObject = {
  apiVersion: "networking.istio.io/v1",
  kind: "DestinationRule",
  metadata: { name: "reviews", namespace: "bookinfo" },
  spec: {
    host: "reviews.bookinfo.svc.cluster.local",
    trafficPolicy: { connectionPool: { tcp: { maxConnections: 5 } }, outlierDetection: { consecutive5xxErrors: 2 } },
    subsets: [
      { name: "stable", labels: { version: "v1" } },
      { name: "canary", labels: { version: "v3" } },
    ],
  },
};

describe("configured vs observed", () => {
  it("puts the default route's normalised weights, by subset version, beside the observed split", () => {
    const edges = [
      ...bothReporters({ from: productpage, service: "reviews", to: r1, rps: 6 }),
      ...bothReporters({ from: productpage, service: "reviews", to: r3, rps: 2 }),
    ];
    const answer = ConfiguredVsObserved.parse(configuredVsObserved([vs, dr], edges, q));
    expect(answer.rps).toBeCloseTo(8);
    expect(answer.versions).toEqual([
      { version: "v1", configuredWeight: 80, observedShare: 75, rps: 6 },
      { version: "v3", configuredWeight: 20, observedShare: 25, rps: 2 },
    ]);
  });

  it("reports fault percentages beside the share of requests the client proxy flagged FI and DI", () => {
    const edges = [
      ...bothReporters({ from: productpage, service: "reviews", to: r2, rps: 6, flags: "-" }),
      traffic({
        reporter: "source",
        from: productpage,
        service: "reviews",
        serviceNamespace: "bookinfo",
        to: "unknown",
        rps: 3,
        code: "503",
        flags: "FI",
      }),
      ...bothReporters({ from: productpage, service: "reviews", to: r2, rps: 1, flags: "DI" }),
    ];
    const { fault } = configuredVsObserved([vs, dr], edges, q);
    expect(fault.configuredAbortPercent).toBe(20);
    // A delay without a percentage applies to every request (Istio's default).
    expect(fault.configuredDelayPercent).toBe(100);
    expect(fault.observedAbortShare).toBeCloseTo(30);
    expect(fault.observedDelayShare).toBeCloseTo(10);
  });

  it("shows the circuit breaker's limits beside the UO and UH rates", () => {
    const edges = [
      ...bothReporters({ from: productpage, service: "reviews", to: r1, rps: 5 }),
      traffic({
        reporter: "source",
        from: productpage,
        service: "reviews",
        serviceNamespace: "bookinfo",
        to: "unknown",
        rps: 1.5,
        code: "503",
        flags: "UO",
      }),
      traffic({
        reporter: "source",
        from: productpage,
        service: "reviews",
        serviceNamespace: "bookinfo",
        to: "unknown",
        rps: 0.5,
        code: "503",
        flags: "UH",
      }),
    ];
    const { circuitBreaker } = configuredVsObserved([vs, dr], edges, q);
    expect(circuitBreaker).toEqual({
      configured: true,
      maxConnections: 5,
      http1MaxPendingRequests: null,
      consecutive5xxErrors: 2,
      observedUoRps: 1.5,
      observedUhRps: 0.5,
    });
  });

  it("has no configured values for a service without config, and ignores traffic to other services", () => {
    const edges = [
      ...bothReporters({ from: r2, service: "ratings", to: ratings, rps: 4 }),
      ...bothReporters({ from: productpage, service: "reviews", to: wl("bookinfo", "reviews", "v2"), rps: 2 }),
    ];
    const answer = configuredVsObserved([], edges, q);
    expect(answer.rps).toBe(2);
    expect(answer.versions).toEqual([{ version: "v2", configuredWeight: null, observedShare: 100, rps: 2 }]);
    expect(answer.fault.configuredAbortPercent).toBeNull();
    expect(answer.circuitBreaker.configured).toBe(false);
  });
});
