import type { GraphEdge, GraphNode, GraphResponse, RedPoint, ServiceSummary } from "@meshscope/model";
import { describe, expect, it } from "vitest";
import { busiestServices, namespaceSummaries, nodeLabel, sumRates, topFailingEdges } from "./overview-data";

function svc(name: string, namespace: string | null, patch: Partial<ServiceSummary> = {}): ServiceSummary {
  return {
    name,
    namespace,
    source: "mesh",
    health: "healthy",
    inboundRps: 1,
    errorRate: 0,
    p95Ms: null,
    versions: [],
    workloads: [],
    ...patch,
  };
}

function node(id: string, patch: Partial<GraphNode> = {}): GraphNode {
  return {
    id,
    kind: "app",
    namespace: "bookinfo",
    app: id,
    version: null,
    workload: null,
    service: null,
    health: "healthy",
    badges: [],
    inboundRps: 0,
    outboundRps: 0,
    tcpInboundBytesPerSec: 0,
    tcpOutboundBytesPerSec: 0,
    ...patch,
  };
}

function edge(source: string, target: string, rps: number, errorRate: number): GraphEdge {
  return {
    id: `${source} -> ${target} (http)`,
    source,
    target,
    protocol: "http",
    rps,
    errorRate,
    responses: {},
    flags: {},
    p50Ms: null,
    p95Ms: null,
    p99Ms: null,
    mtls: null,
    tcpSentBytesPerSec: 0,
    tcpReceivedBytesPerSec: 0,
    health: errorRate > 0 ? "failure" : "healthy",
  };
}

const point = (rps: number): RedPoint => ({ t: 0, rps, errorRate: 0, p50Ms: null, p95Ms: null, p99Ms: null });

describe("namespace summaries", () => {
  it("counts services by health per namespace and keeps the worst", () => {
    const list = namespaceSummaries([
      svc("a", "ns1"),
      svc("b", "ns1", { health: "degraded", inboundRps: 2 }),
      svc("c", "ns2", { health: "idle", inboundRps: 0 }),
      svc("d", null),
    ]);
    expect(list.map((n) => n.namespace)).toEqual(["ns1", "ns2"]);
    expect(list[0]?.counts).toMatchObject({ healthy: 1, degraded: 1, failure: 0, idle: 0 });
    expect(list[0]?.worst).toBe("degraded");
    expect(list[0]?.inboundRps).toBe(3);
    expect(list[1]?.worst).toBe("idle");
  });

  it("sums rate series aligned at their ends", () => {
    expect(
      sumRates([
        [point(1), point(2), point(3)],
        [point(10), point(20)],
      ]),
    ).toEqual([1, 12, 23]);
    expect(sumRates([])).toEqual([]);
  });

  it("sums the sparkline from the busiest mesh services only", () => {
    const list = [
      svc("a", "n", { inboundRps: 1 }),
      svc("b", "n", { inboundRps: 5 }),
      svc("t", "n", { source: "traces" }),
    ];
    expect(busiestServices(list, 1).map((s) => s.name)).toEqual(["b"]);
  });
});

describe("top failing edges", () => {
  it("ranks edges with errors by error ratio, then by rate, and names their ends", () => {
    const graph: GraphResponse = {
      window: { start: 0, end: 1 },
      type: "versionedApp",
      nodes: [node("p", { app: "productpage", version: "v1" }), node("r", { app: "ratings", version: "v1" })],
      edges: [edge("p", "r", 10, 0.1), edge("r", "p", 1, 0.5), edge("p", "x", 5, 0), edge("x", "r", 20, 0.1)],
    };
    const top = topFailingEdges(graph, 2);
    expect(top.map((e) => e.edge.id)).toEqual(["r -> p (http)", "x -> r (http)"]);
    expect(top[0]).toMatchObject({
      source: { label: "ratings v1", isService: false },
      target: { label: "productpage v1", isService: false },
    });
    expect(top[1]?.source.label).toBe("x");
  });

  it("labels service and workload nodes by their own names", () => {
    expect(nodeLabel(node("s", { kind: "service", service: "reviews" }), "s")).toBe("reviews");
    expect(nodeLabel(node("w", { kind: "workload", workload: "reviews-v1" }), "w")).toBe("reviews-v1");
  });
});
