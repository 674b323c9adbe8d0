import { Link } from "react-router";
import { PageHeader } from "../../components/PageHeader";
import { Panel } from "../../components/Panel";
import { EmptyState } from "../../components/states";

/** `/graph`: placeholder until the service graph (DESIGN §4 "Service graph") lands. */
export function GraphPage() {
  return (
    <div className="page" data-testid="page-graph">
      <PageHeader title="Graph" subtitle="The live service graph of the mesh." />
      <Panel title="Service graph" testId="panel-graph">
        <EmptyState title="The service graph arrives with the service graph release" testId="graph-placeholder">
          <p>
            Nodes per app and version, edges with request rate, error ratio and latency, health colours and traffic
            badges will be drawn here from mesh metrics and spans. Until then, <Link to="/traces">search traces</Link>.
          </p>
        </EmptyState>
      </Panel>
    </div>
  );
}
