import { EmptyState } from "../../components/states";

/**
 * The Istio objects that apply to the service (VirtualServices routing its host, DestinationRules and their
 * subsets, policies). The mesh config API is not built yet, so this says "none" rather than guessing.
 */
export function MeshConfigApplied({ service }: { service: string }) {
  return (
    <EmptyState title="None" testId="service-mesh-config-none">
      <p>
        No mesh config objects are known for <span className="mono">{service}</span>. VirtualServices, DestinationRules
        and policies that apply to it will be listed here once Meshscope reads the mesh config.
      </p>
    </EmptyState>
  );
}
