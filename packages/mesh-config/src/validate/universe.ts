// The objects a check can see: the checked set plus what the target already holds, where a checked object
// replaces the existing one with the same kind/namespace/name (it is about to be written over it).
import type { ObjectRef } from "@meshscope/model";
import { CLUSTER_DOMAIN, hostMatches, toFqdn } from "../hosts.js";
import type { DestinationRule, MeshObject, OtherIstioObject, PeerAuthentication, VirtualService } from "../objects.js";
import type { ValidationContext } from "./types.js";

export interface Universe {
  virtualServices: VirtualService[];
  destinationRules: DestinationRule[];
  gateways: OtherIstioObject[];
  serviceEntries: OtherIstioObject[];
  peerAuthentications: PeerAuthentication[];
  context: ValidationContext;
}

export function refOf(object: MeshObject): ObjectRef {
  return { kind: object.kind, namespace: object.metadata.namespace, name: object.metadata.name };
}

export function sameRef(a: MeshObject, b: MeshObject): boolean {
  return a.kind === b.kind && a.metadata.namespace === b.metadata.namespace && a.metadata.name === b.metadata.name;
}

export function buildUniverse(checked: readonly MeshObject[], context: ValidationContext): Universe {
  const kept = (context.existing ?? []).filter((e) => !checked.some((c) => sameRef(c, e)));
  const all = [...checked, ...kept];
  const universe: Universe = {
    virtualServices: [],
    destinationRules: [],
    gateways: [],
    serviceEntries: [],
    peerAuthentications: [],
    context,
  };
  for (const o of all) {
    if (o.kind === "VirtualService") universe.virtualServices.push(o);
    else if (o.kind === "DestinationRule") universe.destinationRules.push(o);
    else if (o.kind === "Gateway") universe.gateways.push(o);
    else if (o.kind === "ServiceEntry") universe.serviceEntries.push(o);
    else if (o.kind === "PeerAuthentication") universe.peerAuthentications.push(o);
  }
  return universe;
}

const SVC_SUFFIX = `.svc.${CLUSTER_DOMAIN}`;

/** `{name, namespace}` of an in-cluster service FQDN (`reviews.bookinfo.svc.cluster.local`), else undefined. */
export function clusterService(fqdn: string): { name: string; namespace: string } | undefined {
  if (!fqdn.endsWith(SVC_SUFFIX)) return undefined;
  const labels = fqdn.slice(0, -SVC_SUFFIX.length).split(".");
  const [name, namespace] = labels;
  return labels.length === 2 && name && namespace ? { name, namespace } : undefined;
}

/** Whether a ServiceEntry in the universe declares `fqdn`. */
function declaredByServiceEntry(fqdn: string, universe: Universe): boolean {
  return universe.serviceEntries.some((se) => {
    const hosts = Array.isArray(se.spec.hosts) ? se.spec.hosts : [];
    return hosts.some((h) => typeof h === "string" && hostMatches(toFqdn(h, se.metadata.namespace), fqdn));
  });
}

/**
 * Whether `host` (as written in an object of `namespace`) names a known service: one of context.services, or a
 * ServiceEntry host. Undefined when the service inventory is unknown; wildcards always count as known.
 */
export function hostIsKnown(host: string, namespace: string, universe: Universe): boolean | undefined {
  const services = universe.context.services;
  if (services === undefined) return undefined;
  const fqdn = toFqdn(host, namespace);
  if (fqdn.startsWith("*")) return true;
  const svc = clusterService(fqdn);
  if (svc && services.some((s) => s.name === svc.name && s.namespace === svc.namespace)) return true;
  return declaredByServiceEntry(fqdn, universe);
}

/** DestinationRules whose host covers `host` written in an object of `namespace`. */
export function destinationRulesFor(host: string, namespace: string, universe: Universe): DestinationRule[] {
  const fqdn = toFqdn(host, namespace);
  return universe.destinationRules.filter((dr) => hostMatches(toFqdn(dr.spec.host, dr.metadata.namespace), fqdn));
}
