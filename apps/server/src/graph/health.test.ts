import type { GraphResponse } from "@meshscope/model";
import { describe, expect, it } from "vitest";
import { productpage, reviews, traffic } from "../test-support/graph-traffic.js";
import { buildGraph } from "./build-graph.js";
import { DEFAULT_HEALTH_THRESHOLDS, emptyTally, type HealthThresholds, nodeHealth } from "./health.js";

const REVIEWS = "workload:bookinfo/reviews-v1";

/** productpage → reviews-v1 (destination-reported), `bad` rps of `code` out of 1000 rps. */
function reviewsHealth(
  bad: number,
  code: string,
  opts: { grpc?: boolean; thresholds?: HealthThresholds } = {},
): GraphResponse["nodes"][number]["health"] {
  const protocol: "http" | "grpc" = opts.grpc ? "grpc" : "http";
  const base = { reporter: "destination" as const, from: productpage, service: "reviews", to: reviews[0], protocol };
  const edges = [
    traffic({ ...base, rps: 1000 - bad }),
    ...(bad > 0 ? [traffic({ ...base, rps: bad, ...(opts.grpc ? { grpcStatus: code } : { code }) })] : []),
  ];
  const g = buildGraph(edges, {
    type: "workload",
    injectServiceNodes: false,
    window: { startUs: 0, endUs: 1 },
    ...(opts.thresholds ? { thresholds: opts.thresholds } : {}),
  });
  const node = g.nodes.find((n) => n.id === REVIEWS);
  if (node === undefined) throw new Error("no reviews node");
  return node.health;
}

describe("node health with Kiali's default thresholds", () => {
  it("is healthy with 0% 5xx", () => expect(reviewsHealth(0, "500")).toBe("healthy"));
  it("is degraded just above 0% 5xx", () => expect(reviewsHealth(0.001, "503")).toBe("degraded"));
  it("is degraded at 9.9% 5xx", () => expect(reviewsHealth(99, "500")).toBe("degraded"));
  it("fails at 10% 5xx", () => expect(reviewsHealth(100, "500")).toBe("failure"));
  it("is degraded by any request without a response", () => expect(reviewsHealth(1, "0")).toBe("degraded"));
  it("stays healthy at 9.9% 4xx", () => expect(reviewsHealth(99, "404")).toBe("healthy"));
  it("is degraded at 10% 4xx", () => expect(reviewsHealth(100, "404")).toBe("degraded"));
  it("fails at 20% 4xx", () => expect(reviewsHealth(200, "403")).toBe("failure"));
  it("is degraded by any non-OK gRPC status", () => expect(reviewsHealth(1, "14", { grpc: true })).toBe("degraded"));
  it("fails at 10% non-OK gRPC", () => expect(reviewsHealth(100, "2", { grpc: true })).toBe("failure"));
  it("takes configured thresholds", () => {
    const lenient = { ...DEFAULT_HEALTH_THRESHOLDS, http5xx: { degraded: 5, failure: 50 } };
    expect(reviewsHealth(10, "500", { thresholds: lenient })).toBe("healthy");
    expect(reviewsHealth(100, "500", { thresholds: lenient })).toBe("degraded");
  });
  it("marks the caller by its outbound errors too", () => {
    const edges = [
      traffic({ reporter: "destination", from: productpage, service: "reviews", to: reviews[0], rps: 1, code: "500" }),
    ];
    const g = buildGraph(edges, { type: "workload", injectServiceNodes: false, window: { startUs: 0, endUs: 1 } });
    expect(g.nodes.find((n) => n.workload === "productpage-v1")?.health).toBe("failure");
    expect(g.edges[0]?.health).toBe("failure");
  });
  it("is idle without traffic, and unknown with TCP traffic only", () => {
    expect(nodeHealth(emptyTally(), emptyTally(), false, DEFAULT_HEALTH_THRESHOLDS)).toBe("idle");
    expect(nodeHealth(emptyTally(), emptyTally(), true, DEFAULT_HEALTH_THRESHOLDS)).toBe("unknown");
  });
  it("draws no edge for a key without traffic in the window, as PromQL's `> 0` drops it", () => {
    const edges = [traffic({ reporter: "destination", from: productpage, service: "reviews", to: reviews[0], rps: 0 })];
    const g = buildGraph(edges, { type: "workload", injectServiceNodes: false, window: { startUs: 0, endUs: 1 } });
    expect(g.edges).toHaveLength(0);
  });
});
