/**
 * Which mesh config objects apply to one service, for its page: VirtualServices routing its host,
 * DestinationRules for its host, and policies whose selector picks its workloads (`app: <service>`), as well as
 * namespace-wide policies (no selector). Hosts are matched as Istio resolves short names: relative to the
 * object's namespace (istio.md §6).
 */
import type { MeshObjectEntry } from "@meshscope/model";

function record(value: unknown): Record<string, unknown> | null {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? Object.fromEntries(Object.entries(value))
    : null;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

/** True when `host`, written in an object of `objectNs`, names `service` in `namespace`. */
export function hostNames(host: string, objectNs: string, namespace: string, service: string): boolean {
  const fqdn = `${service}.${namespace}.svc.cluster.local`;
  if (host === fqdn || host === `${service}.${namespace}` || host === `${service}.${namespace}.svc`) return true;
  return host === service && objectNs === namespace;
}

function selectsApp(
  spec: Record<string, unknown>,
  key: "selector" | "workloadSelector",
  service: string,
): boolean | null {
  const selector = record(spec[key]);
  if (!selector) return null;
  const labels = record(selector.matchLabels) ?? record(selector.labels);
  return labels?.app === service;
}

export function objectsForService(
  objects: readonly MeshObjectEntry[],
  namespace: string,
  service: string,
): MeshObjectEntry[] {
  return objects.filter((entry) => {
    if (entry.ref.namespace !== namespace && entry.ref.kind !== "VirtualService") return false;
    const spec = record(entry.object.spec) ?? {};
    switch (entry.ref.kind) {
      case "VirtualService":
        return strings(spec.hosts).some((h) => hostNames(h, entry.ref.namespace, namespace, service));
      case "DestinationRule":
        return typeof spec.host === "string" && hostNames(spec.host, entry.ref.namespace, namespace, service);
      case "PeerAuthentication":
      case "AuthorizationPolicy":
        return selectsApp(spec, "selector", service) ?? true;
      case "EnvoyFilter":
        return selectsApp(spec, "workloadSelector", service) ?? true;
      default:
        return entry.ref.name === service;
    }
  });
}
