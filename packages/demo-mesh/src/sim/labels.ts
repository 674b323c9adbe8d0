// The labels of one request as a proxy reports it (istio.md §1.3). Label sets repeat endlessly (a few per edge),
// so they are built once and shared: the recorder may keep them as series keys and must not mutate them.

import type { IstioRequestLabels } from "./contracts.js";
import type { ServiceRt, WorkloadRt } from "./topology-index.js";

const UNKNOWN = "unknown";

/** Where a request was addressed: the service of the upstream cluster (present even when no pod was reached). */
export interface ServiceRef {
  fqdn: string;
  name: string;
  namespace: string;
}

export function serviceRef(s: ServiceRt): ServiceRef {
  return { fqdn: s.fqdn, name: s.name, namespace: s.namespace };
}

export interface LabelInput {
  reporter: "source" | "destination";
  source: WorkloadRt;
  /** The workload that answered, or null when the client proxy answered itself (NC, UO, UH, FI, UF). */
  destination: WorkloadRt | null;
  service: ServiceRef;
  code: number;
  flags: string;
  /** Whether the connection was Istio mTLS (peer identities known). */
  mtls: boolean;
}

export class LabelFactory {
  // service → (source, destination, reporter, mTLS) as one number → code and flags → labels. Numeric and
  // identity keys: this runs twice per simulated hop.
  private readonly cache = new Map<ServiceRef, Map<number, Map<number | string, IstioRequestLabels>>>();

  /** `workloads`: how many workloads the topology has (sizes the numeric key). */
  constructor(
    private readonly cluster: string,
    private readonly workloads: number,
  ) {}

  labels(x: LabelInput): IstioRequestLabels {
    let perService = this.cache.get(x.service);
    if (!perService) {
      perService = new Map();
      this.cache.set(x.service, perService);
    }
    const edge =
      (x.source.index * (this.workloads + 1) + (x.destination ? x.destination.index + 1 : 0)) * 4 +
      (x.reporter === "source" ? 2 : 0) +
      (x.mtls ? 1 : 0);
    let perEdge = perService.get(edge);
    if (!perEdge) {
      perEdge = new Map();
      perService.set(edge, perEdge);
    }
    const outcome = x.flags === "-" ? x.code : `${x.code} ${x.flags}`;
    let labels = perEdge.get(outcome);
    if (!labels) {
      labels = this.build(x);
      perEdge.set(outcome, labels);
    }
    return labels;
  }

  private build(x: LabelInput): IstioRequestLabels {
    const { source: s, destination: d, reporter } = x;
    // Each side knows its own identity; the peer's only through the mTLS handshake.
    const sourcePrincipal = reporter === "source" || x.mtls ? s.principal : UNKNOWN;
    const destinationPrincipal = d && x.mtls ? d.principal : UNKNOWN;
    return {
      reporter,
      source_workload: s.name,
      source_canonical_service: s.canonicalService,
      source_canonical_revision: s.canonicalRevision,
      source_workload_namespace: s.namespace,
      source_principal: sourcePrincipal,
      source_app: s.app,
      source_version: s.version,
      source_cluster: this.cluster,
      destination_workload: d?.name ?? UNKNOWN,
      destination_workload_namespace: d?.namespace ?? UNKNOWN,
      destination_principal: destinationPrincipal,
      destination_app: d?.app ?? UNKNOWN,
      destination_version: d?.version ?? UNKNOWN,
      destination_service: x.service.fqdn,
      destination_canonical_service: d?.canonicalService ?? UNKNOWN,
      // istio_stats.cc defaults an unknown revision to "latest" (the UO sample in istio.md §1.6).
      destination_canonical_revision: d?.canonicalRevision ?? "latest",
      destination_service_name: x.service.name,
      destination_service_namespace: x.service.namespace,
      destination_cluster: d ? this.cluster : UNKNOWN,
      request_protocol: "http",
      response_code: String(x.code),
      grpc_response_status: "",
      response_flags: x.flags,
      // The client side never sets it (istio_stats.cc L962-968, L1065).
      connection_security_policy: reporter === "source" ? UNKNOWN : x.mtls ? "mutual_tls" : "none",
    };
  }
}

// Envoy prints flags in the order of its ResponseFlag enum (stream_info/utility.h), joined by commas.
const FLAG_ORDER = [
  "LH",
  "UH",
  "UT",
  "LR",
  "UR",
  "UF",
  "UC",
  "UO",
  "NR",
  "DI",
  "FI",
  "RL",
  "UAEX",
  "RLSE",
  "DC",
  "URX",
  "NC",
];

export function joinFlags(flags: readonly string[]): string {
  if (flags.length === 0) return "-";
  if (flags.length === 1) return flags[0] ?? "-";
  return [...new Set(flags)].sort((a, b) => FLAG_ORDER.indexOf(a) - FLAG_ORDER.indexOf(b)).join(",");
}
