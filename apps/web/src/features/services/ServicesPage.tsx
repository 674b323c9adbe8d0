import { useSearchParams } from "react-router";
import { currentSearchParams } from "../../app/current-search";
import { formatWindow } from "../../app/shell-url";
import { useShellState } from "../../app/useShellState";
import { PageHeader } from "../../components/PageHeader";
import { Panel } from "../../components/Panel";
import { QueryView } from "../../components/QueryView";
import { EmptyState } from "../../components/states";
import { useServiceListQuery } from "./queries";
import { ServicesTable } from "./ServicesTable";
import { naturalDescending, readSort, type SortKey, writeSort } from "./url";

/** `/services`: every service of the window (mesh metrics and spans) with health and RED numbers. */
export function ServicesPage() {
  const [shell] = useShellState();
  const [params, setParams] = useSearchParams();
  const sort = readSort(params);
  const services = useServiceListQuery(shell);

  const onSort = (key: SortKey) => {
    const descending = sort.key === key ? !sort.descending : naturalDescending(key);
    setParams(() => writeSort(currentSearchParams(), { key, descending }), { replace: true });
  };

  const count = services.data?.services.length;
  return (
    <div className="page" data-testid="page-services">
      <PageHeader
        title="Services"
        subtitle={`Health and inbound traffic over the last ${formatWindow(shell.windowSeconds)}, as the serving proxies report it.`}
      />
      <Panel
        title={count === undefined ? "Services" : `Services (${count})`}
        testId="panel-services"
        className={services.isPlaceholderData ? "is-stale" : undefined}
      >
        <QueryView
          query={services}
          loadingLabel="Loading services…"
          errorTitle="Could not load the services"
          isEmpty={(data) => data.services.length === 0}
          empty={
            <EmptyState title="No services in this window" testId="services-empty">
              <p>
                A service appears once the mesh reports traffic to it or it sends spans. Widen the time window or clear
                the namespace filter; the Overview lists the endpoints to send data to.
              </p>
            </EmptyState>
          }
        >
          {(data) => <ServicesTable services={data.services} sort={sort} onSort={onSort} shell={shell} />}
        </QueryView>
      </Panel>
    </div>
  );
}
