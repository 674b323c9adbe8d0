// Envoy upstream clusters as Istio builds them: `outbound|<port>|<subset>|<fqdn>`, one per service port and per
// DestinationRule subset, whose hosts are the pods of the workloads the service (and the subset's labels) select.
// A route to a subset no DestinationRule defines points at a cluster that does not exist: 503 NC (istio.md §6 #1).

import { shortServiceName, type TrafficPolicy, toFqdn } from "@meshscope/mesh-config";
import { type ConfigIndex, effectiveTrafficPolicy } from "./config-index.js";
import type { ServiceRef } from "./labels.js";
import { type PodRt, type ServiceRt, selects, type TopologyIndex, type WorkloadRt } from "./topology-index.js";

export interface UpstreamHost {
  pod: PodRt;
  workload: WorkloadRt;
}

export interface UpstreamCluster {
  name: string;
  service: ServiceRt;
  ref: ServiceRef;
  port: number;
  hosts: UpstreamHost[];
  hostKeys: number[];
  policy: TrafficPolicy;
}

export type ClusterLookup = { found: true; cluster: UpstreamCluster } | { found: false; ref: ServiceRef; name: string };

export function clusterName(port: number, subset: string | undefined, fqdn: string): string {
  return `outbound|${port}|${subset ?? ""}|${fqdn}`;
}

function refForHost(fqdn: string): ServiceRef {
  const labels = fqdn.split(".");
  return { fqdn, name: shortServiceName(fqdn), namespace: labels.length >= 2 ? (labels[1] ?? "unknown") : "unknown" };
}

export class ClusterCache {
  private readonly cache = new Map<string, ClusterLookup>();

  constructor(
    private readonly config: ConfigIndex,
    private readonly topo: TopologyIndex,
  ) {}

  /** The cluster a client in `clientNamespace` sends to for `host` (resolved in `hostNamespace`) and `subset`. */
  lookup(
    clientNamespace: string,
    host: string,
    hostNamespace: string,
    subset: string | undefined,
    port: number | undefined,
  ): ClusterLookup {
    const key = `${clientNamespace}|${host}|${hostNamespace}|${subset ?? ""}|${port ?? 0}`;
    let found = this.cache.get(key);
    if (!found) {
      found = this.resolve(clientNamespace, toFqdn(host, hostNamespace), subset, port);
      this.cache.set(key, found);
    }
    return found;
  }

  private resolve(
    clientNamespace: string,
    fqdn: string,
    subset: string | undefined,
    port: number | undefined,
  ): ClusterLookup {
    const service = this.topo.service(fqdn);
    const p = port ?? service?.port ?? 80;
    const name = clusterName(p, subset, fqdn);
    if (!service) return { found: false, ref: refForHost(fqdn), name };
    const ref = service.ref;
    const dr = this.config.destinationRule(clientNamespace, fqdn, service.namespace);
    let workloads = service.workloads;
    const subsetSpec = subset === undefined ? undefined : dr?.spec.subsets?.find((s) => s.name === subset);
    if (subset !== undefined) {
      if (!subsetSpec) return { found: false, ref, name };
      workloads = workloads.filter((w) => selects(subsetSpec.labels, w.labels));
    }
    const hosts = workloads.flatMap((workload) => workload.pods.map((pod) => ({ pod, workload })));
    return {
      found: true,
      cluster: {
        name,
        service,
        ref,
        port: p,
        hosts,
        hostKeys: hosts.map((h) => h.pod.key),
        policy: effectiveTrafficPolicy(dr, subsetSpec),
      },
    };
  }
}
