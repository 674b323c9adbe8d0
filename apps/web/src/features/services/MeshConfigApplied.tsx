import { ServiceMeshConfig } from "../wizards/ServiceMeshConfig";

/**
 * The Istio objects that apply to the service (VirtualServices routing its host, DestinationRules, policies
 * selecting it) and the traffic wizards for it (features/wizards).
 */
export function MeshConfigApplied({ namespace, service }: { namespace: string; service: string }) {
  return <ServiceMeshConfig namespace={namespace} service={service} />;
}
