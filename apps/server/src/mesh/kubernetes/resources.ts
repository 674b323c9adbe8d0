// The Istio custom resources the Kubernetes target reads and writes, with the REST coordinates the API server
// serves them under (`/apis/{group}/{version}/namespaces/{ns}/{plural}`). Plurals come from Istio's CRDs
// (`spec.names.plural` in crd-all.gen.yaml); they are fixed, so no discovery round-trip is needed.
import type { MeshObjectKind } from "@meshscope/mesh-config";

export interface IstioResource {
  kind: MeshObjectKind;
  group: string;
  /** The served version Meshscope talks (all of Istio's served versions share one schema). */
  version: string;
  plural: string;
  /** Read for reference checks (a VirtualService's `gateways`), never written by Meshscope. */
  readOnly: boolean;
}

export const ISTIO_RESOURCES: readonly IstioResource[] = [
  // DestinationRules first: list order is the order a fresh cluster is read, and mirrors apply order.
  {
    kind: "DestinationRule",
    group: "networking.istio.io",
    version: "v1",
    plural: "destinationrules",
    readOnly: false,
  },
  { kind: "VirtualService", group: "networking.istio.io", version: "v1", plural: "virtualservices", readOnly: false },
  {
    kind: "PeerAuthentication",
    group: "security.istio.io",
    version: "v1",
    plural: "peerauthentications",
    readOnly: false,
  },
  {
    kind: "AuthorizationPolicy",
    group: "security.istio.io",
    version: "v1",
    plural: "authorizationpolicies",
    readOnly: false,
  },
  // EnvoyFilter was never promoted past v1alpha3.
  { kind: "EnvoyFilter", group: "networking.istio.io", version: "v1alpha3", plural: "envoyfilters", readOnly: false },
  { kind: "Gateway", group: "networking.istio.io", version: "v1", plural: "gateways", readOnly: true },
];

export function resourceForKind(kind: string): IstioResource | undefined {
  return ISTIO_RESOURCES.find((r) => r.kind === kind);
}

/** `virtualservices.networking.istio.io`, as the API server names a resource in its messages. */
export function qualifiedResource(resource: IstioResource): string {
  return `${resource.plural}.${resource.group}`;
}
