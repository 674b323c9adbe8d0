import { formatWindow } from "../../app/shell-url";
import { useShellState } from "../../app/useShellState";
import { PageHeader } from "../../components/PageHeader";
import { Panel } from "../../components/Panel";
import { QueryView } from "../../components/QueryView";
import { EmptyState } from "../../components/states";
import { useServiceListQuery } from "../services/queries";
import { FailingEdges } from "./FailingEdges";
import { NamespaceCard } from "./NamespaceCard";
import { namespaceSummaries, topFailingEdges } from "./overview-data";
import { useOverviewGraphQuery } from "./queries";
import { SendSpansHelp } from "./SendSpansHelp";

/** `/overview`: one card per namespace with its health and traffic, and the mesh's worst edges. */
export function OverviewPage() {
  const [shell] = useShellState();
  const services = useServiceListQuery(shell);
  const graph = useOverviewGraphQuery(shell);
  return (
    <div className="page" data-testid="page-overview">
      <PageHeader
        title="Overview"
        subtitle={`Namespaces and their health over the last ${formatWindow(shell.windowSeconds)}.`}
      />
      <Panel
        title="Namespaces"
        testId="panel-overview-namespaces"
        className={services.isPlaceholderData ? "is-stale" : undefined}
      >
        <QueryView
          query={services}
          loadingLabel="Loading namespaces…"
          errorTitle="Could not load the namespaces"
          isEmpty={(data) => namespaceSummaries(data.services).length === 0}
          empty={
            <EmptyState title="No mesh traffic in this window" testId="overview-empty">
              <SendSpansHelp host={window.location.hostname || "127.0.0.1"} consoleOrigin={window.location.origin} />
            </EmptyState>
          }
        >
          {(data) => (
            <ul className="ns-grid" aria-label="Namespaces">
              {namespaceSummaries(data.services).map((summary) => (
                <NamespaceCard
                  key={summary.namespace}
                  summary={summary}
                  shell={shell}
                  listIsCurrent={!services.isPlaceholderData}
                  listEndUs={data.window.end}
                />
              ))}
            </ul>
          )}
        </QueryView>
      </Panel>
      <Panel
        title="Top failing edges"
        testId="panel-overview-failing-edges"
        className={graph.isPlaceholderData ? "is-stale" : undefined}
      >
        <QueryView
          query={graph}
          loadingLabel="Loading the service graph…"
          errorTitle="Could not load the service graph"
          isEmpty={(data) => topFailingEdges(data).length === 0}
          empty={
            <EmptyState title="No failing edges" testId="failing-edges-none">
              <p>No request between services failed in this window.</p>
            </EmptyState>
          }
        >
          {(data) => <FailingEdges edges={topFailingEdges(data)} shell={shell} />}
        </QueryView>
      </Panel>
    </div>
  );
}
