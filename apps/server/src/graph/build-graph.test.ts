import type { GraphResponse, GraphType } from "@meshscope/model";
import { describe, expect, it } from "vitest";
import {
  bookinfo,
  bothReporters,
  details,
  productpage,
  ratings,
  reviews,
  traffic,
  wl,
} from "../test-support/graph-traffic.js";
import { buildGraph } from "./build-graph.js";

const window = { startUs: 0, endUs: 300_000_000 };

function graph(type: GraphType, injectServiceNodes = true, edges = bookinfo()): GraphResponse {
  return buildGraph(edges, { type, injectServiceNodes, window });
}

const ids = (items: { id: string }[]) => items.map((i) => i.id).sort();
const edgeIds = (g: GraphResponse) => g.edges.map((e) => `${e.source} -> ${e.target}`).sort();
function edge(g: GraphResponse, source: string, target: string) {
  const e = g.edges.find((x) => x.source === source && x.target === target);
  if (e === undefined) throw new Error(`no edge ${source} -> ${target}`);
  return e;
}

const GW_APP = "app:istio-system/istio-ingressgateway/latest";

describe("buildGraph on Bookinfo", () => {
  it("draws the versionedApp graph with a service node in front of every called workload", () => {
    const g = graph("versionedApp");
    expect(ids(g.nodes)).toEqual(
      [
        GW_APP,
        "app:bookinfo/productpage/v1",
        "app:bookinfo/details/v1",
        "app:bookinfo/reviews/v1",
        "app:bookinfo/reviews/v2",
        "app:bookinfo/reviews/v3",
        "app:bookinfo/ratings/v1",
        "service:bookinfo/productpage",
        "service:bookinfo/details",
        "service:bookinfo/reviews",
        "service:bookinfo/ratings",
      ].sort(),
    );
    expect(edgeIds(g)).toEqual(
      [
        `${GW_APP} -> service:bookinfo/productpage`,
        "service:bookinfo/productpage -> app:bookinfo/productpage/v1",
        "app:bookinfo/productpage/v1 -> service:bookinfo/details",
        "service:bookinfo/details -> app:bookinfo/details/v1",
        "app:bookinfo/productpage/v1 -> service:bookinfo/reviews",
        "service:bookinfo/reviews -> app:bookinfo/reviews/v1",
        "service:bookinfo/reviews -> app:bookinfo/reviews/v2",
        "service:bookinfo/reviews -> app:bookinfo/reviews/v3",
        "app:bookinfo/reviews/v2 -> service:bookinfo/ratings",
        "app:bookinfo/reviews/v3 -> service:bookinfo/ratings",
        "service:bookinfo/ratings -> app:bookinfo/ratings/v1",
      ].sort(),
    );
    expect(g.nodes.filter((n) => n.kind === "service")).toHaveLength(4);
    expect(g.nodes.filter((n) => n.kind === "app")).toHaveLength(7);
  });

  it("counts each request once although both proxies report it", () => {
    const g = graph("versionedApp");
    expect(edge(g, GW_APP, "service:bookinfo/productpage").rps).toBe(10);
    expect(edge(g, "app:bookinfo/productpage/v1", "service:bookinfo/reviews").rps).toBe(10);
    expect(edge(g, "service:bookinfo/reviews", "app:bookinfo/reviews/v1").rps).toBe(4);
    const pp = g.nodes.find((n) => n.id === "app:bookinfo/productpage/v1");
    expect(pp).toMatchObject({ inboundRps: 10, outboundRps: 20, health: "healthy" });
    // The destination's report carries the security policy: all of Bookinfo runs over mTLS here.
    expect(edge(g, GW_APP, "service:bookinfo/productpage").mtls).toBe(1);
  });

  it("collapses versions into one app node in the app graph", () => {
    const g = graph("app");
    expect(ids(g.nodes)).toEqual(
      [
        "app:istio-system/istio-ingressgateway",
        "app:bookinfo/productpage",
        "app:bookinfo/details",
        "app:bookinfo/reviews",
        "app:bookinfo/ratings",
        "service:bookinfo/productpage",
        "service:bookinfo/details",
        "service:bookinfo/reviews",
        "service:bookinfo/ratings",
      ].sort(),
    );
    expect(g.edges).toHaveLength(8);
    expect(edge(g, "service:bookinfo/reviews", "app:bookinfo/reviews").rps).toBe(10);
    expect(edge(g, "app:bookinfo/reviews", "service:bookinfo/ratings").rps).toBe(6);
  });

  it("draws one node per workload in the workload graph", () => {
    const g = graph("workload");
    expect(g.nodes.filter((n) => n.kind === "workload").map((n) => n.id)).toEqual(
      [
        "workload:istio-system/istio-ingressgateway",
        "workload:bookinfo/productpage-v1",
        "workload:bookinfo/details-v1",
        "workload:bookinfo/reviews-v1",
        "workload:bookinfo/reviews-v2",
        "workload:bookinfo/reviews-v3",
        "workload:bookinfo/ratings-v1",
      ].sort(),
    );
    expect(g.nodes).toHaveLength(11);
    expect(g.edges).toHaveLength(11);
    expect(g.nodes.find((n) => n.id === "workload:bookinfo/reviews-v2")).toMatchObject({
      kind: "workload",
      app: "reviews",
      version: "v2",
      workload: "reviews-v2",
    });
  });

  it("reduces the service graph to services plus the gateway where traffic enters", () => {
    const g = graph("service");
    expect(ids(g.nodes)).toEqual(
      [
        "workload:istio-system/istio-ingressgateway",
        "service:bookinfo/productpage",
        "service:bookinfo/details",
        "service:bookinfo/reviews",
        "service:bookinfo/ratings",
      ].sort(),
    );
    expect(edgeIds(g)).toEqual(
      [
        "workload:istio-system/istio-ingressgateway -> service:bookinfo/productpage",
        "service:bookinfo/productpage -> service:bookinfo/details",
        "service:bookinfo/productpage -> service:bookinfo/reviews",
        "service:bookinfo/reviews -> service:bookinfo/ratings",
      ].sort(),
    );
    expect(edge(g, "service:bookinfo/reviews", "service:bookinfo/ratings").rps).toBe(6);
  });

  it("runs edges straight from caller to workload without service nodes", () => {
    const g = graph("versionedApp", false);
    expect(g.nodes.filter((n) => n.kind === "service")).toHaveLength(0);
    expect(g.nodes).toHaveLength(7);
    expect(g.edges).toHaveLength(7);
    expect(edge(g, "app:bookinfo/productpage/v1", "app:bookinfo/reviews/v2").rps).toBe(3);
  });

  it("keeps only traffic touching the requested namespaces", () => {
    const g = buildGraph(
      [
        ...bookinfo(),
        ...bothReporters({ from: wl("other", "a", "v1"), service: "b", to: wl("other", "b", "v1"), rps: 1 }),
      ],
      {
        type: "workload",
        injectServiceNodes: true,
        namespaces: ["bookinfo"],
        window,
      },
    );
    expect(g.nodes.some((n) => n.namespace === "other")).toBe(false);
    expect(g.nodes).toHaveLength(11);
  });
});

describe("buildGraph edge cases", () => {
  it("counts a client-side circuit-breaker rejection (UO) once, from the source, ending at the service node", () => {
    const [r1] = reviews;
    const edges = [
      ...bothReporters({ from: productpage, service: "reviews", to: r1, rps: 9 }),
      traffic({
        reporter: "source",
        from: productpage,
        service: "reviews",
        serviceNamespace: "bookinfo",
        to: "unknown",
        rps: 1,
        code: "503",
        flags: "UO",
      }),
    ];
    for (const inject of [true, false]) {
      const g = graph("versionedApp", inject, edges);
      const e = edge(g, "app:bookinfo/productpage/v1", "service:bookinfo/reviews");
      expect(e.rps).toBe(inject ? 10 : 1);
      expect(e.flags.UO).toBe(1);
      expect(e.responses["503"]).toBe(1);
    }
    const g = graph("versionedApp", true, edges);
    expect(edge(g, "app:bookinfo/productpage/v1", "service:bookinfo/reviews").errorRate).toBeCloseTo(0.1);
    expect(edge(g, "service:bookinfo/reviews", "app:bookinfo/reviews/v1").rps).toBe(9);
  });

  it("counts injected fault aborts (FI) from the source only", () => {
    const edges = [
      ...bothReporters({ from: reviews[1], service: "ratings", to: ratings, rps: 5 }),
      traffic({
        reporter: "source",
        from: reviews[1],
        service: "ratings",
        serviceNamespace: "bookinfo",
        to: "unknown",
        rps: 5,
        code: "500",
        flags: "FI",
      }),
    ];
    const e = edge(graph("versionedApp", true, edges), "app:bookinfo/reviews/v2", "service:bookinfo/ratings");
    expect(e.rps).toBe(10);
    expect(e.errorRate).toBeCloseTo(0.5);
    expect(e.flags).toEqual({ "-": 5, FI: 5 });
  });

  it("makes PassthroughCluster an external node without a service node after it", () => {
    const edges = [
      traffic({
        reporter: "source",
        from: productpage,
        service: "PassthroughCluster",
        serviceNamespace: "unknown",
        to: "unknown",
        rps: 2,
        protocol: "tcp",
        tcpBytes: 100,
      }),
    ];
    const g = graph("versionedApp", true, edges);
    expect(g.nodes.find((n) => n.id === "external:PassthroughCluster")).toMatchObject({ kind: "external" });
    const e = edge(g, "app:bookinfo/productpage/v1", "external:PassthroughCluster");
    expect(e).toMatchObject({
      protocol: "tcp",
      rps: 0,
      tcpSentBytesPerSec: 100,
      tcpReceivedBytesPerSec: 100,
      mtls: null,
    });
  });

  it("draws callers without telemetry labels as the unknown node", () => {
    const edges = [
      traffic({ reporter: "destination", from: "unknown", service: "productpage", to: productpage, rps: 2 }),
    ];
    const g = graph("versionedApp", true, edges);
    expect(g.nodes.find((n) => n.id === "unknown")).toMatchObject({ kind: "unknown", health: "unknown" });
    expect(edge(g, "unknown", "service:bookinfo/productpage").rps).toBe(2);
  });

  it("uses the source's report for a destination without a proxy", () => {
    const ext = wl("bookinfo", "legacy", "v1");
    const g = graph("workload", false, [
      traffic({ reporter: "source", from: productpage, service: "legacy", to: ext, rps: 4 }),
    ]);
    expect(edge(g, "workload:bookinfo/productpage-v1", "workload:bookinfo/legacy-v1").rps).toBe(4);
  });

  it("computes latency quantiles from the summed buckets of the counted reports", () => {
    const buckets = [
      { le: 10, count: 5 },
      { le: 100, count: 10 },
      { le: Number.POSITIVE_INFINITY, count: 10 },
    ];
    const g = graph(
      "workload",
      false,
      bothReporters({ from: productpage, service: "details", to: details, rps: 10, buckets }),
    );
    const e = edge(g, "workload:bookinfo/productpage-v1", "workload:bookinfo/details-v1");
    expect(e.p50Ms).toBeCloseTo(10);
    expect(e.p95Ms).toBeCloseTo(91);
    expect(edge(graph("workload"), "workload:bookinfo/productpage-v1", "service:bookinfo/details").p95Ms).toBeNull();
  });

  it("keeps node and edge ids stable across builds", () => {
    expect(ids(graph("versionedApp").edges)).toEqual(ids(graph("versionedApp").edges));
    expect(graph("workload").edges[0]?.id).toMatch(/^.+ -> .+ \(http\)$/);
  });
});
