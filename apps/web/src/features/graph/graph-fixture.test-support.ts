/** Bookinfo as `/api/graph` answers it (versionedApp, service nodes injected), for the graph unit tests. */
import type { GraphEdge, GraphNode, GraphResponse } from "@meshscope/model";

type NodeSpec = Partial<GraphNode> & Pick<GraphNode, "id" | "kind">;

export function node(spec: NodeSpec): GraphNode {
  return {
    namespace: "bookinfo",
    app: null,
    version: null,
    workload: null,
    service: null,
    health: "healthy",
    badges: [],
    inboundRps: 0,
    outboundRps: 0,
    tcpInboundBytesPerSec: 0,
    tcpOutboundBytesPerSec: 0,
    ...spec,
  };
}

export function edge(source: string, target: string, rps: number, extra: Partial<GraphEdge> = {}): GraphEdge {
  const protocol = extra.protocol ?? "http";
  return {
    id: `${source} -> ${target} (${protocol})`,
    source,
    target,
    protocol,
    rps,
    errorRate: 0,
    responses: { "200": rps },
    flags: { "-": rps },
    p50Ms: 5,
    p95Ms: 20,
    p99Ms: 40,
    mtls: 1,
    tcpSentBytesPerSec: 0,
    tcpReceivedBytesPerSec: 0,
    health: "healthy",
    ...extra,
  };
}

const app = (name: string, version: string, extra: Partial<GraphNode> = {}) =>
  node({
    id: `app:bookinfo/${name}/${version}`,
    kind: "app",
    app: name,
    version,
    workload: `${name}-${version}`,
    ...extra,
  });
const svc = (name: string, extra: Partial<GraphNode> = {}) =>
  node({ id: `service:bookinfo/${name}`, kind: "service", service: name, ...extra });

export function bookinfoGraph(): GraphResponse {
  const gateway = node({
    id: "app:istio-system/istio-ingressgateway/latest",
    kind: "app",
    namespace: "istio-system",
    app: "istio-ingressgateway",
    version: "latest",
    outboundRps: 10,
  });
  const nodes = [
    gateway,
    svc("productpage", { inboundRps: 10, outboundRps: 10 }),
    app("productpage", "v1", { inboundRps: 10, outboundRps: 20 }),
    svc("details", { inboundRps: 10, outboundRps: 10 }),
    app("details", "v1", { inboundRps: 10 }),
    svc("reviews", { inboundRps: 10, outboundRps: 10 }),
    app("reviews", "v1", { inboundRps: 4 }),
    app("reviews", "v2", { inboundRps: 3, outboundRps: 3 }),
    app("reviews", "v3", { inboundRps: 3, outboundRps: 3 }),
    svc("ratings", { inboundRps: 6, outboundRps: 6, health: "failure" }),
    app("ratings", "v1", { inboundRps: 6, health: "failure" }),
  ];
  const failing = { errorRate: 0.5, health: "failure" as const, responses: { "200": 3, "500": 3 } };
  const edges = [
    edge(gateway.id, "service:bookinfo/productpage", 10),
    edge("service:bookinfo/productpage", "app:bookinfo/productpage/v1", 10),
    edge("app:bookinfo/productpage/v1", "service:bookinfo/details", 10),
    edge("service:bookinfo/details", "app:bookinfo/details/v1", 10),
    edge("app:bookinfo/productpage/v1", "service:bookinfo/reviews", 10),
    edge("service:bookinfo/reviews", "app:bookinfo/reviews/v1", 4),
    edge("service:bookinfo/reviews", "app:bookinfo/reviews/v2", 3),
    edge("service:bookinfo/reviews", "app:bookinfo/reviews/v3", 3),
    edge("app:bookinfo/reviews/v2", "service:bookinfo/ratings", 3, { ...failing, protocol: "grpc" }),
    edge("app:bookinfo/reviews/v3", "service:bookinfo/ratings", 3, failing),
    edge("service:bookinfo/ratings", "app:bookinfo/ratings/v1", 6, failing),
  ];
  return { window: { start: 0, end: 300_000_000 }, type: "versionedApp", nodes, edges };
}
