// The topology as the simulator walks it: services by FQDN, the workloads each service selects, pods (replicas)
// with stable names and IPs, and each workload's identity as Istio derives it from pod labels.

import { toFqdn, type VirtualService } from "@meshscope/mesh-config";
import type { AppCall, AttributeValue, ServiceSpec, Topology, WorkloadSpec } from "./contracts.js";
import type { ServiceRef } from "./labels.js";
import { fnv1a, logNormalParams } from "./prng.js";
import type { ClusterLookup } from "./upstream-cluster.js";

/** Where a request is sent, as the calling app addresses it. */
export interface Target {
  /** Host as the app wrote it (`reviews`), resolved in `hostNamespace`. */
  host: string;
  hostNamespace: string;
  fqdn: string;
  port: number;
  path: string;
  url: string;
  /** The routing answers for this target under one config (`configVersion`), memoised: they are asked per hop. */
  memo?: TargetMemo;
}

export interface TargetMemo {
  configVersion: number;
  virtualService: VirtualService | undefined;
  defaultLookup: ClusterLookup;
  defaultOperation: string;
}

export interface PodRt {
  /** `<workload>-<replicaset hash>-<pod suffix>`, as a Deployment names its pods. */
  name: string;
  ip: string;
  /** Envoy's node id: `<sidecar|router>~<ip>~<pod>.<ns>~<ns>.svc.cluster.local`. */
  nodeId: string;
  /** Unique over the mesh; keys per-pod state (rate-limit buckets, outlier detection). */
  key: number;
  /** Resource attributes of the pod's proxy spans besides service.name (shared, read-only). */
  resource: Record<string, AttributeValue>;
}

export interface CallRt {
  call: AppCall;
  fqdn: string;
  probability: number;
  failsCaller: boolean;
  /** `url` is `http://<host as the app wrote it>:<port><path>`: the `http.url` of the outbound span. */
  target: Target;
}

export interface WorkloadRt {
  index: number;
  spec: WorkloadSpec;
  name: string;
  namespace: string;
  labels: Record<string, string>;
  canonicalService: string;
  canonicalRevision: string;
  app: string;
  version: string;
  principal: string;
  /** `service.name` of this workload's proxy spans: `<canonical service>.<namespace>` (istio.md §3.3). */
  spanServiceName: string;
  pods: PodRt[];
  calls: CallRt[];
  latency: { mu: number; sigma: number };
  responseBytes: number;
  gateway: boolean;
}

export interface ServiceRt {
  index: number;
  spec: ServiceSpec;
  fqdn: string;
  name: string;
  namespace: string;
  port: number;
  workloads: WorkloadRt[];
  /** The one ServiceRef of this service (label caches key on its identity). */
  ref: ServiceRef;
}

const UNKNOWN = "unknown";

// pkg/kube/labels/labels.go (istio.md §1.3): the canonical name and revision Istio derives from pod labels.
export function canonicalService(labels: Record<string, string>, workloadName: string): string {
  return labels["service.istio.io/canonical-name"] ?? labels["app.kubernetes.io/name"] ?? labels.app ?? workloadName;
}

export function canonicalRevision(labels: Record<string, string>): string {
  return (
    labels["service.istio.io/canonical-revision"] ?? labels["app.kubernetes.io/version"] ?? labels.version ?? "latest"
  );
}

export function selects(selector: Record<string, string> | undefined, labels: Record<string, string>): boolean {
  if (!selector) return true;
  for (const [k, v] of Object.entries(selector)) if (labels[k] !== v) return false;
  return true;
}

// Kubernetes pod names end in a 10-char ReplicaSet hash and a 5-char suffix from this alphabet.
const POD_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

function suffix(seed: number, length: number): string {
  let h = seed;
  let out = "";
  for (let i = 0; i < length; i++) {
    h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> 0;
    out += POD_ALPHABET[h % POD_ALPHABET.length];
  }
  return out;
}

export class TopologyIndex {
  readonly services: ServiceRt[];
  readonly workloads: WorkloadRt[];
  readonly entry: WorkloadRt;
  readonly entryService: ServiceRt;
  private readonly byFqdn = new Map<string, ServiceRt>();

  constructor(readonly topology: Topology) {
    let podKey = 0;
    this.workloads = topology.workloads.map((spec, index) => {
      const pods = Array.from({ length: Math.max(1, spec.replicas) }, (_, r) => makePod(spec, r, podKey++));
      return workloadRt(spec, index, pods, topology.trustDomain);
    });
    this.services = topology.services.map((spec, index) => {
      const fqdn = toFqdn(spec.name, spec.namespace);
      const workloads = this.workloads.filter(
        (w) => !w.gateway && w.namespace === spec.namespace && selects(spec.selector, w.labels),
      );
      const rt: ServiceRt = {
        index,
        spec,
        fqdn,
        name: spec.name,
        namespace: spec.namespace,
        port: spec.port,
        workloads,
        ref: { fqdn, name: spec.name, namespace: spec.namespace },
      };
      this.byFqdn.set(fqdn, rt);
      return rt;
    });
    const entry = this.workloads.find(
      (w) => w.name === topology.entry.workload && w.namespace === topology.entry.namespace,
    );
    if (!entry)
      throw new Error(`entry workload ${topology.entry.namespace}/${topology.entry.workload} is not in the topology`);
    this.entry = entry;
    const entryService = this.byFqdn.get(toFqdn(topology.entry.host, topology.entry.namespace));
    if (!entryService) throw new Error(`entry host ${topology.entry.host} is not a service of the topology`);
    this.entryService = entryService;
    for (const w of this.workloads) {
      for (const c of w.calls) {
        if (!this.byFqdn.has(c.fqdn))
          throw new Error(`${w.namespace}/${w.name} calls ${c.call.host}, which is not a service`);
      }
    }
  }

  service(fqdn: string): ServiceRt | undefined {
    return this.byFqdn.get(fqdn);
  }
}

function makePod(spec: WorkloadSpec, replica: number, key: number): PodRt {
  const h = fnv1a(`${spec.namespace}/${spec.name}`);
  const name = `${spec.name}-${suffix(h, 10)}-${suffix(Math.imul(h ^ (replica + 1), 0x9e3779b9) >>> 0, 5)}`;
  // Pod CIDR 10.244.0.0/16 (kind's default); distinct per pod key, stable per topology.
  const ip = `10.244.${Math.floor(key / 250) % 256}.${(key % 250) + 2}`;
  const kind = spec.gateway ? "router" : "sidecar";
  return {
    name,
    ip,
    key,
    nodeId: `${kind}~${ip}~${name}.${spec.namespace}~${spec.namespace}.svc.cluster.local`,
    resource: {
      "k8s.namespace.name": spec.namespace,
      "k8s.pod.name": name,
      "istio.canonical_service": canonicalService(spec.labels, spec.name),
    },
  };
}

function workloadRt(spec: WorkloadSpec, index: number, pods: PodRt[], trustDomain: string): WorkloadRt {
  const canonical = canonicalService(spec.labels, spec.name);
  return {
    index,
    spec,
    name: spec.name,
    namespace: spec.namespace,
    labels: spec.labels,
    canonicalService: canonical,
    canonicalRevision: canonicalRevision(spec.labels),
    app: spec.labels.app ?? UNKNOWN,
    version: spec.labels.version ?? UNKNOWN,
    principal: `spiffe://${trustDomain}/ns/${spec.namespace}/sa/${spec.serviceAccount}`,
    spanServiceName: `${canonical}.${spec.namespace}`,
    pods,
    calls: spec.calls.map((call) => {
      const fqdn = toFqdn(call.host, spec.namespace);
      return {
        call,
        fqdn,
        probability: call.probability ?? 1,
        failsCaller: call.onFailure === "fail",
        target: {
          host: call.host,
          hostNamespace: spec.namespace,
          fqdn,
          port: call.port,
          path: call.path,
          url: `http://${call.host}:${call.port}${call.path}`,
        },
      };
    }),
    latency: logNormalParams(spec.latency.medianMs, spec.latency.p99Ms),
    responseBytes: spec.responseBytes ?? 300,
    gateway: spec.gateway === true,
  };
}
