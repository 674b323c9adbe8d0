import type { MeshObject } from "@meshscope/mesh-config";
import type { GraphNode, GraphResponse } from "@meshscope/model";
import { describe, expect, it } from "vitest";
import { applyBadges, badgeIndex } from "./badges.js";

const meta = (name: string) => ({ name, namespace: "bookinfo" });

const reviewsVs: MeshObject = {
  apiVersion: "networking.istio.io/v1",
  kind: "VirtualService",
  metadata: meta("reviews"),
  spec: {
    hosts: ["reviews"],
    http: [
      {
        match: [{ headers: { "end-user": { exact: "jason" } } }],
        route: [{ destination: { host: "reviews", subset: "v2" } }],
      },
      {
        route: [
          { destination: { host: "reviews", subset: "v1" }, weight: 80 },
          { destination: { host: "reviews", subset: "v3" }, weight: 20 },
        ],
        timeout: "2s",
      },
    ],
  },
};

const ratingsVs: MeshObject = {
  apiVersion: "networking.istio.io/v1",
  kind: "VirtualService",
  metadata: meta("ratings"),
  spec: {
    hosts: ["ratings.bookinfo.svc.cluster.local"],
    http: [
      {
        fault: { abort: { percentage: { value: 50 }, httpStatus: 500 } },
        route: [{ destination: { host: "ratings", subset: "v1" } }],
        mirror: { host: "ratings", subset: "v2" },
      },
    ],
  },
};

const gatewayVs: MeshObject = {
  apiVersion: "networking.istio.io/v1",
  kind: "VirtualService",
  metadata: meta("bookinfo"),
  spec: { hosts: ["*"], gateways: ["bookinfo-gateway"], http: [{ route: [{ destination: { host: "productpage" } }] }] },
};

const detailsDr: MeshObject = {
  apiVersion: "networking.istio.io/v1",
  kind: "DestinationRule",
  metadata: meta("details"),
  spec: {
    host: "details",
    subsets: [
      { name: "v1", labels: { version: "v1" }, trafficPolicy: { connectionPool: { tcp: { maxConnections: 1 } } } },
    ],
  },
};

function node(id: string, kind: GraphNode["kind"], fields: Partial<GraphNode>): GraphNode {
  return {
    id,
    kind,
    namespace: "bookinfo",
    app: null,
    version: null,
    workload: null,
    service: null,
    health: "healthy",
    badges: [],
    inboundRps: 1,
    outboundRps: 0,
    tcpInboundBytesPerSec: 0,
    tcpOutboundBytesPerSec: 0,
    ...fields,
  };
}

function graph(nodes: GraphNode[], edges: [string, string][]): GraphResponse {
  return {
    window: { start: 0, end: 1 },
    type: "versionedApp",
    nodes,
    edges: edges.map(([source, target]) => ({
      id: `${source} -> ${target} (http)`,
      source,
      target,
      protocol: "http",
      rps: 1,
      errorRate: 0,
      responses: {},
      flags: {},
      p50Ms: null,
      p95Ms: null,
      p99Ms: null,
      mtls: null,
      tcpSentBytesPerSec: 0,
      tcpReceivedBytesPerSec: 0,
      health: "healthy",
    })),
  };
}

describe("graph badges from mesh config", () => {
  const index = badgeIndex([reviewsVs, ratingsVs, gatewayVs, detailsDr]);

  it("derives each service's badges from the routes of its VirtualService and its DestinationRule", () => {
    expect([...(index.get("bookinfo/reviews") ?? [])].sort()).toEqual(
      ["requestRouting", "requestTimeout", "trafficShifting", "virtualService"].sort(),
    );
    expect([...(index.get("bookinfo/ratings") ?? [])].sort()).toEqual(
      ["faultInjection", "mirroring", "virtualService"].sort(),
    );
    expect([...(index.get("bookinfo/details") ?? [])]).toEqual(["circuitBreaker"]);
  });

  it("ignores wildcard hosts, which would badge every service", () => {
    expect(index.has("bookinfo/productpage")).toBe(false);
  });

  it("puts the badges on the service node and on the app nodes of that service, in the model's order", () => {
    const g = graph(
      [
        node("svc-reviews", "service", { service: "reviews" }),
        node("app-reviews-v1", "app", { app: "reviews", version: "v1" }),
        node("wl-legacy", "workload", { workload: "reviews-legacy", app: null }),
        node("app-productpage", "app", { app: "productpage", version: "v1" }),
      ],
      [
        ["app-productpage", "svc-reviews"],
        ["svc-reviews", "app-reviews-v1"],
        ["svc-reviews", "wl-legacy"],
      ],
    );
    const byId = new Map(applyBadges(g, index).nodes.map((n) => [n.id, n.badges]));
    const expected = ["virtualService", "requestRouting", "trafficShifting", "requestTimeout"];
    expect(byId.get("svc-reviews")).toEqual(expected);
    expect(byId.get("app-reviews-v1")).toEqual(expected);
    // A workload without an app label belongs to the service whose node feeds it.
    expect(byId.get("wl-legacy")).toEqual(expected);
    expect(byId.get("app-productpage")).toEqual([]);
  });

  it("badges a shared (frozen) graph once per badge index, and freezes the copy", () => {
    const build = () =>
      graph(
        [node("svc-reviews", "service", { service: "reviews" }), node("app-reviews-v1", "app", { app: "reviews" })],
        [["svc-reviews", "app-reviews-v1"]],
      );
    const shared = build();
    for (const n of shared.nodes) Object.freeze(n);
    Object.freeze(shared.nodes);
    Object.freeze(shared);
    const first = applyBadges(shared, index);
    expect(applyBadges(shared, index)).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(Object.isFrozen(first.nodes[0]?.badges)).toBe(true);
    // The same badges as an unshared graph gets.
    expect(first).toEqual(applyBadges(build(), index));
    // A new index (the mesh config changed) badges again.
    const other = badgeIndex([]);
    expect(applyBadges(shared, other)).toBe(shared);
    const again = applyBadges(shared, badgeIndex([reviewsVs, ratingsVs, gatewayVs, detailsDr]));
    expect(again).not.toBe(first);
    expect(again).toEqual(first);
  });
});
