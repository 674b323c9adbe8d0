// Finding the objects a wizard composes with. Only objects in the service's own namespace are considered: that
// is where the wizards write, and Istio resolves a short host against the namespace of the object holding it.
import { toFqdn } from "../hosts.js";
import type { DestinationRule, MeshObject, VirtualService } from "../objects.js";
import type { WizardTarget } from "./target.js";

function sameHost(host: string, objectNamespace: string, t: WizardTarget): boolean {
  return toFqdn(host, objectNamespace) === toFqdn(t.service, t.namespace);
}

// A VirtualService bound only to gateways does not route mesh traffic (istio.md §6 #11): not the service's VS.
function routesMeshTraffic(vs: VirtualService): boolean {
  const gateways = vs.spec.gateways;
  return gateways === undefined || gateways.length === 0 || gateways.includes("mesh");
}

// Two objects for one host is itself a mistake (one VS per host; KIA1106/IST0109); prefer the one named after
// the service, which is the one a wizard would have written.
function preferNamed<T extends MeshObject>(candidates: T[], service: string): T | undefined {
  return candidates.find((o) => o.metadata.name === service) ?? candidates[0];
}

/** The VirtualService that routes mesh traffic for the service's host, managed or not. */
export function serviceVirtualService(t: WizardTarget): VirtualService | undefined {
  const candidates = t.context.existing.filter(
    (o): o is VirtualService =>
      o.kind === "VirtualService" &&
      o.metadata.namespace === t.namespace &&
      routesMeshTraffic(o) &&
      (o.spec.hosts ?? []).some((h) => sameHost(h, o.metadata.namespace, t)),
  );
  return preferNamed(candidates, t.service);
}

/** The DestinationRule for the service's host, managed or not. */
export function serviceDestinationRule(t: WizardTarget): DestinationRule | undefined {
  const candidates = t.context.existing.filter(
    (o): o is DestinationRule =>
      o.kind === "DestinationRule" &&
      o.metadata.namespace === t.namespace &&
      sameHost(o.spec.host, o.metadata.namespace, t),
  );
  return preferNamed(candidates, t.service);
}

/** The object of that kind and name in the service's namespace, whatever it holds. */
export function objectNamed<K extends MeshObject["kind"]>(
  t: WizardTarget,
  kind: K,
  name: string,
): Extract<MeshObject, { kind: K }> | undefined {
  return t.context.existing.find(
    (o): o is Extract<MeshObject, { kind: K }> =>
      o.kind === kind && o.metadata.namespace === t.namespace && o.metadata.name === name,
  );
}
