// Synthetic meshes for benchmarks: N services in M namespaces as a seeded layered DAG. Layer 0 is one frontend
// behind the ingress gateway; every service calls only services in later layers (so the graph is acyclic), and
// every service of layer k+1 is called by at least one of layer k (so all of them see traffic). Some services run
// 2–3 versions. Call probabilities keep a request's expected size bounded (about 15 hops) whatever N is.

import type { AppCall, ServiceSpec, Topology, WorkloadSpec } from "./contracts.js";
import { Prng } from "./prng.js";

export interface SyntheticMeshOptions {
  services: number;
  namespaces: number;
  seed: number;
  /** Most versions a service runs (default 3). */
  versionsMax?: number;
  /** Outbound call sites per service, before coverage edges are added (default 3). */
  fanout?: number;
}

const PORT = 8080;
// Expected outbound calls made per request: the frontend fans out a little, deeper services a bit less than one
// call each, so trees stay small while reaching the last layers.
const FRONTEND_CALLS = 2;
const INNER_CALLS = 0.9;

const pad = (n: number, width: number) => String(n).padStart(width, "0");

interface Svc {
  name: string;
  namespace: string;
  layer: number;
  targets: number[];
}

function layerCount(services: number): number {
  return Math.max(2, Math.min(services, Math.round(Math.log2(services))));
}

/** Layer 0 is the frontend alone; the rest are spread evenly over the other layers in index order. */
function layerOf(i: number, services: number, layers: number): number {
  if (i === 0) return 0;
  return 1 + Math.floor(((i - 1) * (layers - 1)) / Math.max(1, services - 1));
}

function buildCallGraph(prng: Prng, svcs: Svc[], layers: number, fanout: number): void {
  const byLayer: number[][] = Array.from({ length: layers }, () => []);
  for (const [i, s] of svcs.entries()) byLayer[s.layer]?.push(i);
  // Coverage: each service of layer k+1 gets a caller from layer k.
  for (let k = 0; k + 1 < layers; k++) {
    const callers = byLayer[k] ?? [];
    for (const callee of byLayer[k + 1] ?? []) svcs[prng.pick(callers)]?.targets.push(callee);
  }
  // Extra call sites anywhere later, preferring the next layer.
  for (const s of svcs) {
    if (s.layer + 1 >= layers) continue;
    while (s.targets.length < fanout) {
      const layer = prng.chance(0.7) ? s.layer + 1 : s.layer + 1 + prng.int(layers - s.layer - 1);
      const callee = prng.pick(byLayer[layer] ?? byLayer[s.layer + 1] ?? []);
      if (!s.targets.includes(callee)) s.targets.push(callee);
      else if ((byLayer[layer]?.length ?? 0) <= s.targets.length) break;
    }
  }
}

function callsOf(prng: Prng, s: Svc, svcs: Svc[]): AppCall[] {
  const expected = s.layer === 0 ? FRONTEND_CALLS : INNER_CALLS;
  const probability = Math.min(1, expected / Math.max(1, s.targets.length));
  return s.targets.flatMap((t) => {
    const callee = svcs[t];
    if (!callee) return [];
    const host = callee.namespace === s.namespace ? callee.name : `${callee.name}.${callee.namespace}`;
    return [
      {
        host,
        port: PORT,
        path: `/api/${callee.name}/items`,
        appTimeoutMs: prng.chance(0.5) ? 1000 + 1000 * prng.int(10) : undefined,
        probability,
        onFailure: prng.chance(0.3) ? ("fail" as const) : ("degrade" as const),
      },
    ];
  });
}

function workloadsOf(prng: Prng, s: Svc, calls: AppCall[], versionsMax: number): WorkloadSpec[] {
  const versions = versionsMax > 1 && prng.chance(0.35) ? 2 + prng.int(versionsMax - 1) : 1;
  const medianMs = Math.exp(Math.log(0.8) + prng.next() * Math.log(25));
  const p99Ms = medianMs * (3 + 5 * prng.next());
  const flaky = prng.chance(0.05);
  const responseBytes = 200 + prng.int(3800);
  const replicas = 1 + prng.int(3);
  return Array.from({ length: versions }, (_, v) => ({
    name: `${s.name}-v${v + 1}`,
    namespace: s.namespace,
    labels: { app: s.name, version: `v${v + 1}` },
    serviceAccount: s.name,
    latency: { medianMs, p99Ms },
    errorRate: flaky ? 0.05 : 0.001 + 0.004 * prng.next(),
    calls,
    replicas,
    responseBytes,
  }));
}

/** A seeded layered DAG of `services` services in `namespaces` namespaces, behind an ingress gateway. */
export function syntheticTopology(options: SyntheticMeshOptions): Topology {
  const n = Math.max(1, Math.floor(options.services));
  const m = Math.max(1, Math.floor(options.namespaces));
  const prng = new Prng(options.seed ^ 0x2545f491);
  const layers = layerCount(n);
  const svcs: Svc[] = Array.from({ length: n }, (_, i) => ({
    name: `svc-${pad(i, 4)}`,
    namespace: `ns-${pad(i % m, 2)}`,
    layer: layerOf(i, n, layers),
    targets: [],
  }));
  buildCallGraph(prng, svcs, layers, options.fanout ?? 3);
  const versionsMax = Math.max(1, options.versionsMax ?? 3);
  const workloads: WorkloadSpec[] = [
    {
      name: "istio-ingressgateway",
      namespace: "istio-system",
      labels: { app: "istio-ingressgateway", istio: "ingressgateway" },
      serviceAccount: "istio-ingressgateway-service-account",
      latency: { medianMs: 0.3, p99Ms: 1.5 },
      errorRate: 0,
      calls: [],
      replicas: 2,
      gateway: true,
    },
  ];
  for (const s of svcs) workloads.push(...workloadsOf(prng, s, callsOf(prng, s, svcs), versionsMax));
  const services: ServiceSpec[] = svcs.map((s) => ({
    name: s.name,
    namespace: s.namespace,
    port: PORT,
    protocol: "http",
    selector: { app: s.name },
  }));
  const frontend = svcs[0] ?? { name: "svc-0000", namespace: "ns-00" };
  return {
    services,
    workloads,
    entry: {
      workload: "istio-ingressgateway",
      namespace: "istio-system",
      host: `${frontend.name}.${frontend.namespace}.svc.cluster.local`,
      port: PORT,
      paths: ["/", "/api/orders", "/api/catalog", "/api/cart"],
    },
    cluster: "Kubernetes",
    trustDomain: "cluster.local",
  };
}
