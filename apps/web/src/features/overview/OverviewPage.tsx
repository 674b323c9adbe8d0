import { Link } from "react-router";
import { PageHeader } from "../../components/PageHeader";
import { Panel } from "../../components/Panel";
import { QueryView } from "../../components/QueryView";
import { EmptyState } from "../../components/states";
import { useServicesQuery } from "../services/queries";
import { OverviewStats } from "./OverviewStats";
import { SendSpansHelp } from "./SendSpansHelp";

/** `/overview`: what the console knows about so far, or how to send it something. */
export function OverviewPage() {
  const services = useServicesQuery();
  return (
    <div className="page" data-testid="page-overview">
      <PageHeader title="Overview" subtitle="Services reporting to this Meshscope." />
      <div className="grid-2">
        <Panel title="Services" testId="panel-overview-services">
          <QueryView
            query={services}
            loadingLabel="Loading services…"
            isEmpty={(data) => data.services.length === 0}
            empty={
              <EmptyState title="No spans received yet" testId="overview-empty">
                <SendSpansHelp host={window.location.hostname || "127.0.0.1"} />
              </EmptyState>
            }
          >
            {(data) => <OverviewStats services={data.services} />}
          </QueryView>
        </Panel>
        <Panel title="Mesh health" testId="panel-overview-health">
          <EmptyState title="Health arrives with the service graph">
            <p>
              Request rates, error ratios and health per service come from mesh metrics, added in a later release.
              Meanwhile, <Link to="/traces">search traces</Link>.
            </p>
          </EmptyState>
        </Panel>
      </div>
    </div>
  );
}
