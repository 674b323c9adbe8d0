// One VirtualService per host (Kiali KIA1106, Istio IST0109): with two, which one a sidecar uses is undefined.
import type { ValidationMessage } from "@meshscope/model";
import { toFqdn } from "../hosts.js";
import type { VirtualService } from "../objects.js";
import { validationMessage } from "./codes.js";
import { sameRef, type Universe } from "./universe.js";
import { gatewayKey } from "./virtual-service.js";

/** The gateways a VirtualService applies to, as `<namespace>/<name>` or `mesh` (no `gateways` = sidecars only). */
function gatewaysOf(vs: VirtualService): Set<string> {
  const listed = vs.spec.gateways ?? [];
  return new Set((listed.length === 0 ? ["mesh"] : listed).map((g) => gatewayKey(g, vs.metadata.namespace)));
}

export function checkDuplicateHosts(vs: VirtualService, universe: Universe): ValidationMessage[] {
  const gateways = gatewaysOf(vs);
  const others = universe.virtualServices.filter((o) => !sameRef(o, vs));
  return (vs.spec.hosts ?? []).flatMap((host, i) => {
    const fqdn = toFqdn(host, vs.metadata.namespace);
    const clashes = others.filter(
      (o) =>
        (o.spec.hosts ?? []).some((h) => toFqdn(h, o.metadata.namespace) === fqdn) &&
        [...gatewaysOf(o)].some((g) => gateways.has(g)),
    );
    if (clashes.length === 0) return [];
    const names = clashes.map((o) => `${o.metadata.namespace}/${o.metadata.name}`).join(", ");
    const message = `host "${host}" is also routed by VirtualService ${names} on the same gateway; which one applies is undefined`;
    return [validationMessage("MS0104", `spec.hosts[${i}]`, message)];
  });
}
