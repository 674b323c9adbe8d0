import { PageHeader } from "../../components/PageHeader";
import { Panel } from "../../components/Panel";
import { EmptyState } from "../../components/states";

/** `/mesh-config`: placeholder until Istio objects, wizards and revisions (DESIGN §4 "Mesh config") land. */
export function MeshConfigPage() {
  return (
    <div className="page" data-testid="page-mesh-config">
      <PageHeader title="Mesh config" subtitle="Istio traffic and security objects, with revisions." />
      <Panel title="Objects" testId="panel-mesh-objects">
        <EmptyState title="Mesh configuration arrives with the service graph" testId="mesh-config-placeholder">
          <p>
            VirtualServices, DestinationRules and policies, the traffic wizards (canary weights, faults, timeouts,
            circuit breakers) and the revision history will live here.
          </p>
        </EmptyState>
      </Panel>
    </div>
  );
}
