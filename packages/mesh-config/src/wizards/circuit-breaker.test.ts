import { describe, expect, it } from "vitest";
import type { DestinationRule } from "../objects.js";
import { bookinfo, build, MANAGED, problems, target } from "./bookinfo.testing.js";

// The limits of Istio's circuit-breaking task (httpbin), applied to reviews.
const breaker = {
  ...target,
  connectionPool: { tcp: { maxConnections: 1 }, http: { http1MaxPendingRequests: 1, maxRequestsPerConnection: 1 } },
  outlierDetection: { consecutive5xxErrors: 1, interval: "1s", baseEjectionTime: "3m", maxEjectionPercent: 100 },
};

describe("the circuit-breaker wizard", () => {
  it("writes the limits as the host-level traffic policy of a DestinationRule", () => {
    expect(build("circuit-breaker", breaker)).toEqual([
      {
        apiVersion: "networking.istio.io/v1",
        kind: "DestinationRule",
        metadata: { name: "reviews", namespace: "bookinfo", labels: MANAGED("circuit-breaker") },
        spec: {
          host: "reviews",
          trafficPolicy: {
            connectionPool: {
              tcp: { maxConnections: 1 },
              http: { http1MaxPendingRequests: 1, maxRequestsPerConnection: 1 },
            },
            outlierDetection: {
              consecutive5xxErrors: 1,
              interval: "1s",
              baseEjectionTime: "3m",
              maxEjectionPercent: 100,
            },
          },
        },
      },
    ]);
  });

  it("keeps the subsets, TLS mode and metadata of an existing DestinationRule", () => {
    const existing: DestinationRule = {
      apiVersion: "networking.istio.io/v1",
      kind: "DestinationRule",
      metadata: { name: "reviews", namespace: "bookinfo", resourceVersion: "41", annotations: { team: "books" } },
      spec: {
        host: "reviews",
        trafficPolicy: { tls: { mode: "ISTIO_MUTUAL" }, outlierDetection: { consecutive5xxErrors: 7 } },
        subsets: [{ name: "v1", labels: { version: "v1" } }],
      },
    };
    const [dr] = build(
      "circuit-breaker",
      { ...target, connectionPool: { http: { http2MaxRequests: 10 } } },
      bookinfo([existing]),
    );
    expect(dr).toEqual({
      ...existing,
      metadata: { ...existing.metadata, labels: MANAGED("circuit-breaker") },
      spec: {
        host: "reviews",
        // The body describes the whole breaker: the old outlier detection goes, TLS stays.
        trafficPolicy: { tls: { mode: "ISTIO_MUTUAL" }, connectionPool: { http: { http2MaxRequests: 10 } } },
        subsets: [{ name: "v1", labels: { version: "v1" } }],
      },
    });
  });

  it("refuses an empty connection pool and an ejection percentage above 100", () => {
    const body = { ...target, connectionPool: {}, outlierDetection: { maxEjectionPercent: 150 } };
    expect(problems("circuit-breaker", body)).toEqual([
      { path: "connectionPool", message: "set tcp or http limits" },
      { path: "outlierDetection.maxEjectionPercent", message: "must be a percentage from 0 to 100" },
    ]);
  });
});
