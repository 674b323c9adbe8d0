import { describe, expect, it } from "vitest";
import { bookinfoTopology } from "./bookinfo.js";
import { LOCAL_RATE_LIMIT_ENVOYFILTER } from "./bookinfo-samples.testing.js";
import { run, share } from "./capture.testing.js";

const reviewsDr = (trafficPolicy: string) => `
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: reviews}
spec:
  host: reviews
  trafficPolicy:
${trafficPolicy}`;

describe("circuit breaking", () => {
  it("rejects requests beyond maxConnections 1 and one pending with 503 UO, seen only by the client", () => {
    const yaml = reviewsDr(`
    connectionPool:
      tcp: {maxConnections: 1}
      http: {http1MaxPendingRequests: 1}`);
    const c = run({ yaml, rps: 200, seconds: 10 });
    const source = c.edge("source", "productpage-v1", "reviews");
    const overflow = source.filter((r) => r.labels.response_flags === "UO");
    expect(overflow.length / source.length).toBeGreaterThan(0.05);
    for (const r of overflow) {
      expect(r.labels.response_code).toBe("503");
      expect(r.labels.destination_workload).toBe("unknown");
    }
    const dest = c.edge("destination", "productpage-v1", "reviews");
    expect(dest.some((r) => r.labels.response_flags === "UO")).toBe(false);
    expect(dest.length).toBe(source.length - overflow.length);
  });

  it("lets everything through when the pool is large enough for the offered concurrency", () => {
    const yaml = reviewsDr(`
    connectionPool:
      tcp: {maxConnections: 100}`);
    const source = run({ yaml, rps: 200, seconds: 5 }).edge("source", "productpage-v1", "reviews");
    expect(source.some((r) => r.labels.response_flags === "UO")).toBe(false);
  });

  it("ejects failing hosts and answers 503 UH once every host of the cluster is ejected", () => {
    const t = bookinfoTopology();
    const topology = {
      ...t,
      workloads: t.workloads.map((w) => (w.name === "ratings-v1" ? { ...w, errorRate: 0.3 } : w)),
    };
    const yaml = `
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: ratings}
spec:
  host: ratings
  trafficPolicy:
    outlierDetection: {consecutive5xxErrors: 2, interval: 1s, baseEjectionTime: 500ms, maxEjectionPercent: 100}`;
    const c = run({ yaml, topology, seconds: 30 });
    const source = [...c.edge("source", "reviews-v2", "ratings"), ...c.edge("source", "reviews-v3", "ratings")];
    const noHealthy = source.filter((r) => r.labels.response_flags === "UH");
    expect(noHealthy.length).toBeGreaterThan(50);
    expect(
      noHealthy.every((r) => r.labels.response_code === "503" && r.labels.destination_workload === "unknown"),
    ).toBe(true);
    // Ejection is temporary: requests still reach ratings between ejections.
    expect(source.length - noHealthy.length).toBeGreaterThan(50);
  });
});

describe("security", () => {
  const peerAuth = (namespace: string, mode: string) => `
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: default, namespace: ${namespace}}
spec:
  mtls: {mode: ${mode}}`;

  it("reports mutual_tls and SPIFFE principals under a mesh-wide STRICT PeerAuthentication", () => {
    const c = run({ yaml: peerAuth("istio-system", "STRICT"), seconds: 5 });
    const dest = c.requests.filter((r) => r.labels.reporter === "destination");
    expect(dest.length).toBeGreaterThan(100);
    for (const r of dest) {
      expect(r.labels.connection_security_policy).toBe("mutual_tls");
      expect(r.labels.source_principal).toMatch(/^spiffe:\/\/cluster\.local\/ns\/[a-z-]+\/sa\/[a-z-]+$/);
      expect(r.labels.destination_principal).toMatch(/^spiffe:\/\/cluster\.local\/ns\/bookinfo\/sa\/bookinfo-/);
    }
    expect(
      c.requests
        .filter((r) => r.labels.reporter === "source")
        .every((r) => r.labels.connection_security_policy === "unknown"),
    ).toBe(true);
  });

  it("reports plaintext as none with unknown peer principals when the namespace disables mTLS", () => {
    const dest = run({ yaml: peerAuth("bookinfo", "DISABLE"), seconds: 5 }).requests.filter(
      (r) => r.labels.reporter === "destination",
    );
    expect(
      dest.every((r) => r.labels.connection_security_policy === "none" && r.labels.source_principal === "unknown"),
    ).toBe(true);
  });

  it("fails with UF when a DestinationRule turns TLS off toward a STRICT workload", () => {
    const yaml = [peerAuth("bookinfo", "STRICT"), reviewsDr("    tls: {mode: DISABLE}")];
    const source = run({ yaml, seconds: 5 }).edge("source", "productpage-v1", "reviews");
    // Connect failures are retried by Istio's default policy, then given up on.
    expect(source.every((r) => r.labels.response_code === "503" && r.labels.response_flags === "UF,URX")).toBe(true);
  });

  it("denies requests matching a DENY AuthorizationPolicy with 403 on both reporters", () => {
    const yaml = `
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: deny-reviews-v3, namespace: bookinfo}
spec:
  selector: {matchLabels: {app: ratings}}
  action: DENY
  rules:
  - from: [{source: {principals: [cluster.local/ns/bookinfo/sa/bookinfo-reviews]}}]
    to: [{operation: {methods: [GET], paths: [/ratings/*]}}]`;
    const c = run({ yaml, seconds: 10 });
    for (const reporter of ["source", "destination"] as const) {
      const edge = c.edge(reporter, "reviews-v2", "ratings");
      expect(edge.length).toBeGreaterThan(50);
      expect(edge.every((r) => r.labels.response_code === "403" && r.labels.response_flags === "-")).toBe(true);
    }
    expect(c.edge("destination", "productpage-v1", "details").every((r) => r.labels.response_code !== "403")).toBe(
      true,
    );
  });

  it("denies callers that match no rule of an ALLOW policy and lets the listed ones through", () => {
    const yaml = `
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: details-from-productpage, namespace: bookinfo}
spec:
  selector: {matchLabels: {app: details}}
  action: ALLOW
  rules:
  - from: [{source: {principals: [cluster.local/ns/bookinfo/sa/bookinfo-productpage]}}]
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: ratings-allow-nothing, namespace: bookinfo}
spec:
  selector: {matchLabels: {app: ratings}}`;
    const c = run({ yaml, seconds: 10 });
    expect(share(c.edge("destination", "productpage-v1", "details"), (r) => r.labels.response_code === "403")).toBe(0);
    expect(share(c.edge("destination", "reviews-v3", "ratings"), (r) => r.labels.response_code === "403")).toBe(1);
  });

  it("rate-limits productpage with the documented local rate limit EnvoyFilter: 429 RL from the destination", () => {
    const c = run({ yaml: LOCAL_RATE_LIMIT_ENVOYFILTER, rps: 20, seconds: 30 });
    const dest = c.edge("destination", "istio-ingressgateway", "productpage");
    const limited = dest.filter((r) => r.labels.response_code === "429");
    expect(limited.every((r) => r.labels.response_flags === "RL")).toBe(true);
    // 4 tokens per 60 s: at most two fills within 30 s.
    expect(dest.length - limited.length).toBeLessThanOrEqual(8);
    expect(limited.length).toBeGreaterThan(500);
    const source = c
      .edge("source", "istio-ingressgateway", "productpage")
      .filter((r) => r.labels.response_code === "429");
    expect(source.length).toBe(limited.length);
    expect(source.every((r) => r.labels.response_flags === "-")).toBe(true);
  });
});
