import { Link, useParams } from "react-router";
import { PageHeader } from "../../components/PageHeader";
import { Panel } from "../../components/Panel";
import { EmptyState } from "../../components/states";
import { traceSearchPath } from "../traces/url";
import { namespaceFromSegment } from "./url";

/** `/services/:namespace/:service`: placeholder for health, RED series, versions and workloads. */
export function ServiceDetailPage() {
  const { namespace = "", service = "" } = useParams();
  const ns = namespaceFromSegment(namespace);
  return (
    <div className="page" data-testid="page-service-detail">
      <PageHeader
        title={service}
        subtitle={ns ? `Namespace ${ns}` : "No namespace"}
        actions={
          <Link className="button" to={traceSearchPath({ service })} data-testid="service-traces-link">
            Find traces
          </Link>
        }
      />
      <Panel title="Health and traffic" testId="panel-service-health">
        <EmptyState title="Service details arrive with the service graph" testId="service-detail-placeholder">
          <p>Health, request rate, errors and latency per version and workload will be shown here.</p>
        </EmptyState>
      </Panel>
    </div>
  );
}
