import { PageHeader } from "../../components/PageHeader";
import { Panel } from "../../components/Panel";
import { QueryView } from "../../components/QueryView";
import { EmptyState } from "../../components/states";
import { useServicesQuery } from "./queries";
import { ServicesTable } from "./ServicesTable";

/** `/services`: the services seen in spans. Health and RED metrics arrive with the service graph. */
export function ServicesPage() {
  const services = useServicesQuery();
  return (
    <div className="page" data-testid="page-services">
      <PageHeader
        title="Services"
        subtitle="Services seen in spans. Health, rates and versions arrive with the service graph."
      />
      <Panel title="Services" testId="panel-services">
        <QueryView
          query={services}
          loadingLabel="Loading services…"
          isEmpty={(data) => data.services.length === 0}
          empty={
            <EmptyState title="No services yet" testId="services-empty">
              <p>A service appears here once it sends its first span. See the Overview for the endpoints.</p>
            </EmptyState>
          }
        >
          {(data) => <ServicesTable services={data.services} />}
        </QueryView>
      </Panel>
    </div>
  );
}
