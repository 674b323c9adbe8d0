/**
 * A seeded synthetic Istio mesh for the graph benchmark: services spread over namespaces, each with one workload
 * calling a few others (mostly in its own namespace), every call reported by both proxies as Istio does, with a
 * success and an error response code, and the destination proxy's request-duration histogram per call.
 *
 * Counters lie on straight lines through time (value = rate × seconds since `baseMs`), so any window's rate is the
 * edge's configured rate and the output can be checked against PromQL.
 */

/** Envoy's default histogram buckets for istio_request_duration_milliseconds (ms); +Inf is added. */
export const ENVOY_BUCKETS_MS = [
  0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000, 3600000,
] as const;

export interface MeshOptions {
  services: number;
  namespaces: number;
  callsPerService: number;
  /** Share of calls that cross into another namespace. */
  crossNamespaceShare: number;
  seed: number;
}

export interface MeshSeries {
  labels: Record<string, string>;
  /** Increase per second. */
  ratePerS: number;
}

/** mulberry32: a tiny seeded PRNG, so every run builds the same mesh. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Service {
  name: string;
  namespace: string;
}

function edgeLabels(reporter: string, from: Service, to: Service, code: string): Record<string, string> {
  return {
    reporter,
    source_workload: `${from.name}-v1`,
    source_workload_namespace: from.namespace,
    source_app: from.name,
    source_version: "v1",
    source_canonical_service: from.name,
    source_canonical_revision: "v1",
    source_principal: `spiffe://cluster.local/ns/${from.namespace}/sa/${from.name}`,
    destination_service: `${to.name}.${to.namespace}.svc.cluster.local`,
    destination_service_name: to.name,
    destination_service_namespace: to.namespace,
    destination_workload: `${to.name}-v1`,
    destination_workload_namespace: to.namespace,
    destination_app: to.name,
    destination_version: "v1",
    destination_canonical_service: to.name,
    destination_canonical_revision: "v1",
    destination_principal: `spiffe://cluster.local/ns/${to.namespace}/sa/${to.name}`,
    destination_cluster: "Kubernetes",
    source_cluster: "Kubernetes",
    request_protocol: "http",
    response_code: code,
    grpc_response_status: "",
    response_flags: "-",
    connection_security_policy: reporter === "destination" ? "mutual_tls" : "unknown",
  };
}

export interface SyntheticMesh {
  requests: MeshSeries[];
  /** Bucket, _sum and _count series of istio_request_duration_milliseconds. */
  durations: MeshSeries[];
  edges: number;
}

export function buildMesh(opts: MeshOptions): SyntheticMesh {
  const rnd = seededRandom(opts.seed);
  const services: Service[] = Array.from({ length: opts.services }, (_, i) => ({
    name: `svc-${String(i).padStart(4, "0")}`,
    namespace: `ns-${String(i % opts.namespaces).padStart(2, "0")}`,
  }));
  const byNamespace = new Map<string, Service[]>();
  for (const s of services) byNamespace.set(s.namespace, [...(byNamespace.get(s.namespace) ?? []), s]);
  const pick = <T>(list: readonly T[]): T => {
    const item = list[Math.floor(rnd() * list.length)];
    if (item === undefined) throw new Error("pick from an empty list");
    return item;
  };

  const requests: MeshSeries[] = [];
  const durations: MeshSeries[] = [];
  let edges = 0;
  for (const from of services) {
    const callees = new Set<Service>();
    const local = byNamespace.get(from.namespace) ?? [];
    while (callees.size < opts.callsPerService) {
      const to = rnd() < opts.crossNamespaceShare ? pick(services) : pick(local);
      if (to !== from) callees.add(to);
    }
    for (const to of callees) {
      edges++;
      const rps = 0.1 + rnd() * 20;
      const errorShare = rnd() * 0.05;
      const scaleMs = 1 + rnd() * 200;
      for (const reporter of ["source", "destination"]) {
        requests.push({ labels: edgeLabels(reporter, from, to, "200"), ratePerS: rps * (1 - errorShare) });
        requests.push({ labels: edgeLabels(reporter, from, to, "503"), ratePerS: rps * errorShare });
      }
      // One histogram per call, from the serving proxy (the one the graph reads latency from).
      const labels = edgeLabels("destination", from, to, "200");
      const ok = rps * (1 - errorShare);
      for (const le of ENVOY_BUCKETS_MS) {
        const share = 1 - Math.exp(-le / scaleMs);
        durations.push({
          labels: { __name__: "istio_request_duration_milliseconds_bucket", ...labels, le: String(le) },
          ratePerS: ok * share,
        });
      }
      durations.push({
        labels: { __name__: "istio_request_duration_milliseconds_bucket", ...labels, le: "+Inf" },
        ratePerS: ok,
      });
      durations.push({
        labels: { __name__: "istio_request_duration_milliseconds_sum", ...labels },
        ratePerS: ok * scaleMs,
      });
      durations.push({ labels: { __name__: "istio_request_duration_milliseconds_count", ...labels }, ratePerS: ok });
    }
  }
  for (const s of requests) s.labels = { __name__: "istio_requests_total", ...s.labels };
  return { requests, durations, edges };
}
