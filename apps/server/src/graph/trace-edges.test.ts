import { GraphResponse } from "@meshscope/model";
import { describe, expect, it } from "vitest";
import type { SpanEdgeSummary, SpanRed, SpanService } from "../store/span-edges.js";
import { bookinfo } from "../test-support/graph-traffic.js";
import { buildGraph } from "./build-graph.js";
import { mergeTraceEdges } from "./trace-edges.js";

/** 10 s window: n requests make n / 10 requests/s. */
const window = { startUs: 0, endUs: 10_000_000 };

function red(requests: number, errors = 0, over: Partial<SpanRed> = {}): SpanRed {
  return { protocol: "http", requests, errors, clientErrors: 0, p50Us: 5000, p95Us: 9000, p99Us: 10_000, ...over };
}
const svc = (name: string, namespace = "shop"): SpanService => ({ name, namespace });

/** Plain OTel services a → b → c, 10 requests per hop in the window, 4 of c's failing. */
function chain(): SpanEdgeSummary {
  return {
    edges: [
      { caller: svc("a"), callee: svc("b"), red: red(10) },
      { caller: svc("b"), callee: svc("c"), red: red(10, 4) },
    ],
    services: [
      { service: svc("a"), red: red(10), rootOnly: true },
      { service: svc("b"), red: red(10), rootOnly: false },
      { service: svc("c"), red: red(10, 4), rootOnly: false },
    ],
  };
}

const empty = buildGraph([], { type: "versionedApp", injectServiceNodes: true, window });

function edgeOf(g: GraphResponse, source: string, target: string) {
  const e = g.edges.find((x) => x.source === source && x.target === target);
  if (e === undefined) throw new Error(`no edge ${source} -> ${target}`);
  return e;
}

describe("mergeTraceEdges", () => {
  it("draws trace-derived app nodes and edges with rates, error ratios, quantiles and health", () => {
    const g = GraphResponse.parse(mergeTraceEdges(empty, [], chain(), { type: "versionedApp", window }));
    expect(g.nodes.map((n) => n.id)).toEqual(["app:shop/a/", "app:shop/b/", "app:shop/c/"]);
    expect(g.nodes.every((n) => n.traceDerived === true && n.kind === "app")).toBe(true);
    const ab = edgeOf(g, "app:shop/a/", "app:shop/b/");
    expect(ab).toMatchObject({ rps: 1, errorRate: 0, health: "healthy", traceDerived: true, protocol: "http" });
    const bc = edgeOf(g, "app:shop/b/", "app:shop/c/");
    expect(bc).toMatchObject({ rps: 1, errorRate: 0.4, p50Ms: 5, p95Ms: 9, p99Ms: 10, health: "failure" });
    const health = Object.fromEntries(g.nodes.map((n) => [n.app, n.health]));
    // b's outbound calls fail too: a node's health is the worse of its inbound and outbound requests.
    expect(health).toEqual({ a: "healthy", b: "failure", c: "failure" });
    expect(g.nodes.find((n) => n.app === "a")).toMatchObject({ inboundRps: 1, outboundRps: 1 });
  });

  it("judges a trace-derived edge with Kiali's thresholds: under 10% errors is degraded", () => {
    const summary: SpanEdgeSummary = {
      edges: [{ caller: svc("a"), callee: svc("b"), red: red(100, 5) }],
      services: [],
    };
    const g = mergeTraceEdges(empty, [], summary, { type: "versionedApp", window });
    expect(g.edges[0]?.health).toBe("degraded");
  });

  it("leaves services that have Istio metrics to their metric-derived edges", () => {
    const metrics = bookinfo();
    const base = buildGraph(metrics, { type: "versionedApp", injectServiceNodes: true, window });
    const spans: SpanEdgeSummary = {
      edges: [
        { caller: svc("productpage", "bookinfo"), callee: svc("reviews", "bookinfo"), red: red(50) },
        { caller: svc("productpage", "bookinfo"), callee: svc("mailer", "bookinfo"), red: red(50) },
        { caller: svc("mailer", "bookinfo"), callee: svc("smtp", "bookinfo"), red: red(20) },
      ],
      services: [{ service: svc("productpage", "bookinfo"), red: red(100), rootOnly: true }],
    };
    const g = mergeTraceEdges(
      base,
      metrics.map((t) => t.key),
      spans,
      { type: "versionedApp", window },
    );
    expect(g.edges.filter((e) => e.traceDerived).map((e) => e.id)).toEqual([
      "app:bookinfo/mailer/ -> app:bookinfo/smtp/ (http)",
    ]);
    expect(g.nodes.filter((n) => n.traceDerived).map((n) => n.id)).toEqual([
      "app:bookinfo/mailer/",
      "app:bookinfo/smtp/",
    ]);
    expect(g.edges.length).toBe(base.edges.length + 1);
    expect(g.nodes.filter((n) => n.app === "productpage")).toHaveLength(1);
  });

  it("treats Envoy's span service names (<canonical service>.<namespace>) as the proxies the metrics count", () => {
    const metrics = bookinfo();
    const base = buildGraph(metrics, { type: "versionedApp", injectServiceNodes: true, window });
    // What Istio sidecars export: service.name "reviews.bookinfo", and no k8s namespace on some resources.
    const spans: SpanEdgeSummary = {
      edges: [
        { caller: svc("productpage.bookinfo", "bookinfo"), callee: svc("reviews.bookinfo", "bookinfo"), red: red(50) },
        { caller: svc("productpage.bookinfo", ""), callee: svc("details.bookinfo", ""), red: red(50) },
      ],
      services: [{ service: svc("productpage.bookinfo", "bookinfo"), red: red(100), rootOnly: true }],
    };
    const g = mergeTraceEdges(
      base,
      metrics.map((t) => t.key),
      spans,
      { type: "versionedApp", window },
    );
    expect(g.nodes.filter((n) => n.traceDerived)).toEqual([]);
    expect(g.edges.length).toBe(base.edges.length);
  });

  it("keeps only trace services touching the requested namespaces", () => {
    const spans: SpanEdgeSummary = {
      edges: [
        { caller: svc("a", "one"), callee: svc("b", "one"), red: red(10) },
        { caller: svc("x", "two"), callee: svc("y", "two"), red: red(10) },
      ],
      services: [{ service: svc("z", "two"), red: red(10), rootOnly: true }],
    };
    const g = mergeTraceEdges(empty, [], spans, { type: "app", window, namespaces: ["one"] });
    expect(g.nodes.map((n) => n.id)).toEqual(["app:one/a", "app:one/b"]);
  });

  it("names nodes per graph type and puts services without a namespace in 'unknown'", () => {
    const spans: SpanEdgeSummary = {
      edges: [{ caller: svc("a", ""), callee: svc("b", ""), red: red(10) }],
      services: [],
    };
    const ids = (type: "workload" | "service") =>
      mergeTraceEdges(empty, [], spans, { type, window }).nodes.map((n) => n.id);
    expect(ids("workload")).toEqual(["workload:unknown/a", "workload:unknown/b"]);
    expect(ids("service")).toEqual(["service:unknown/a", "service:unknown/b"]);
  });

  it("shows a root service with only server spans as a node with health from them", () => {
    const spans: SpanEdgeSummary = { edges: [], services: [{ service: svc("cron"), red: red(10, 0), rootOnly: true }] };
    const g = mergeTraceEdges(empty, [], spans, { type: "versionedApp", window });
    expect(g.nodes).toHaveLength(1);
    expect(g.nodes[0]).toMatchObject({ id: "app:shop/cron/", inboundRps: 1, health: "healthy", traceDerived: true });
  });
});
