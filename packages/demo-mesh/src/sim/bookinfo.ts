// Bookinfo as Istio ships it (samples/bookinfo/platform/kube/bookinfo.yaml; reference istio.md §5.1), with the
// ingress gateway in front as samples/bookinfo/networking/bookinfo-gateway.yaml sets it up.
//
// Latencies are service times of the app itself (its outbound calls come on top): productpage renders a page from
// two backends and is the slowest; details (Ruby) and ratings (Node.js) answer from memory in a few ms; reviews
// (Java/Liberty) sits in between. Baseline error rates are small (0.1–0.5 %), as in a healthy mesh.

import type { AppCall, Topology, WorkloadSpec } from "./contracts.js";

const PORT = 9080;

export interface BookinfoOptions {
  /** Namespace of the Bookinfo services (default "bookinfo"). */
  namespace?: string;
}

// productpage.py: `requests.get(..., timeout=3.0)` for details and reviews, and reviews is tried twice
// (the fault-injection task: "3s + 1 retry for 6s total").
const PRODUCTPAGE_CALLS: AppCall[] = [
  { host: "details", port: PORT, path: "/details/0", appTimeoutMs: 3000 },
  { host: "reviews", port: PORT, path: "/reviews/0", appTimeoutMs: 3000, appRetries: 1 },
];

// LibertyRestEndpoint.java L147: `star_color.equals("black") ? 10000 : 2500` (v2 black stars, v3 red stars).
const ratingsCall = (appTimeoutMs: number): AppCall => ({
  host: "ratings",
  port: PORT,
  path: "/ratings/0",
  appTimeoutMs,
});

function workload(
  namespace: string,
  app: string,
  version: string,
  rest: Pick<WorkloadSpec, "latency" | "errorRate" | "calls" | "responseBytes">,
): WorkloadSpec {
  return {
    name: `${app}-${version}`,
    namespace,
    labels: { app, version },
    serviceAccount: `bookinfo-${app}`,
    replicas: 1,
    ...rest,
  };
}

/** The Bookinfo mesh: istio-ingressgateway → productpage-v1 → details-v1, reviews-v1/v2/v3 → ratings-v1. */
export function bookinfoTopology(options: BookinfoOptions = {}): Topology {
  const ns = options.namespace ?? "bookinfo";
  const gateway: WorkloadSpec = {
    name: "istio-ingressgateway",
    namespace: "istio-system",
    labels: { app: "istio-ingressgateway", istio: "ingressgateway" },
    serviceAccount: "istio-ingressgateway-service-account",
    latency: { medianMs: 0.3, p99Ms: 1.5 },
    errorRate: 0,
    calls: [],
    replicas: 1,
    gateway: true,
  };
  const workloads: WorkloadSpec[] = [
    gateway,
    workload(ns, "productpage", "v1", {
      latency: { medianMs: 9, p99Ms: 60 },
      errorRate: 0.002,
      calls: PRODUCTPAGE_CALLS,
      responseBytes: 5200,
    }),
    workload(ns, "details", "v1", {
      latency: { medianMs: 1.8, p99Ms: 9 },
      errorRate: 0.001,
      calls: [],
      responseBytes: 178,
    }),
    workload(ns, "reviews", "v1", {
      latency: { medianMs: 4, p99Ms: 25 },
      errorRate: 0.003,
      calls: [],
      responseBytes: 358,
    }),
    workload(ns, "reviews", "v2", {
      latency: { medianMs: 5, p99Ms: 30 },
      errorRate: 0.003,
      calls: [ratingsCall(10_000)],
      responseBytes: 441,
    }),
    workload(ns, "reviews", "v3", {
      latency: { medianMs: 5, p99Ms: 30 },
      errorRate: 0.003,
      calls: [ratingsCall(2500)],
      responseBytes: 437,
    }),
    workload(ns, "ratings", "v1", {
      latency: { medianMs: 1.2, p99Ms: 7 },
      errorRate: 0.005,
      calls: [],
      responseBytes: 48,
    }),
  ];
  const service = (name: string) => ({
    name,
    namespace: ns,
    port: PORT,
    protocol: "http" as const,
    selector: { app: name },
  });
  return {
    services: [service("productpage"), service("details"), service("reviews"), service("ratings")],
    workloads,
    entry: {
      workload: gateway.name,
      namespace: gateway.namespace,
      host: `productpage.${ns}.svc.cluster.local`,
      port: PORT,
      // Page views, which is what people do with the sample and what makes productpage call details and reviews.
      // (The API paths of the gateway VirtualService call only one backend each; the app model here has one call
      // list per workload, so they are left out rather than simulated wrongly.)
      paths: ["/productpage", "/productpage", "/productpage?u=normal", "/productpage?u=test"],
    },
    cluster: "Kubernetes",
    trustDomain: "cluster.local",
  };
}
