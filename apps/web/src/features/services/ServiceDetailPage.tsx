import type { ServiceDetailResponse } from "@meshscope/model";
import type { UseQueryResult } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { Link, useParams } from "react-router";
import { ApiError } from "../../api/client";
import { formatWindow, pathWithShell } from "../../app/shell-url";
import { useShellState } from "../../app/useShellState";
import { PageHeader } from "../../components/PageHeader";
import { Panel } from "../../components/Panel";
import { QueryView } from "../../components/QueryView";
import { EmptyState } from "../../components/states";
import { traceSearchPath } from "../traces/url";
import { MeshConfigApplied } from "./MeshConfigApplied";
import { useServiceDetailQuery } from "./queries";
import { RedCharts } from "./RedCharts";
import { ServiceFacts } from "./ServiceFacts";
import { namespaceFromSegment } from "./url";
import { VersionComparison } from "./VersionComparison";

/** `/services/:namespace/:service`: health, versions and workloads, RED charts in and out, per-version traffic. */
export function ServiceDetailPage() {
  const { namespace = "", service = "" } = useParams();
  const ns = namespaceFromSegment(namespace);
  const [shell] = useShellState();
  return (
    <div className="page" data-testid="page-service-detail">
      <PageHeader
        title={service}
        subtitle={ns ? `Service in namespace ${ns}` : "Service without a namespace (known from spans only)"}
        actions={
          <>
            {ns && (
              <Link
                className="button"
                to={pathWithShell("/graph", { ...shell, namespaces: [ns] })}
                data-testid="service-graph-link"
              >
                Show in graph
              </Link>
            )}
            {ns ? (
              <MeshServiceTracesLink namespace={ns} service={service} />
            ) : (
              <Link className="button" to={traceSearchPath({ service })} data-testid="service-traces-link">
                Find traces
              </Link>
            )}
          </>
        }
      />
      {ns === null ? (
        <Panel title="Traffic" testId="panel-service-traffic">
          <EmptyState title="No mesh metrics for a service without a namespace" testId="service-no-namespace">
            <p>Istio reports traffic per namespace; this service only sent spans. Its traces are still searchable.</p>
          </EmptyState>
        </Panel>
      ) : (
        <ServiceDetailBody namespace={ns} service={service} />
      )}
    </div>
  );
}

/** Traces of a mesh service: under the name its spans carry (Istio sidecars: `<service>.<namespace>`). */
function MeshServiceTracesLink({ namespace, service }: { namespace: string; service: string }) {
  const [shell] = useShellState();
  const query = useServiceDetailQuery(namespace, service, shell);
  return (
    <Link
      className="button"
      to={traceSearchPath({ service: query.data?.traceService ?? service })}
      data-testid="service-traces-link"
    >
      Find traces
    </Link>
  );
}

function ServiceDetailBody({ namespace, service }: { namespace: string; service: string }) {
  const [shell] = useShellState();
  const query = useServiceDetailQuery(namespace, service, shell);
  const stale = query.isPlaceholderData ? "is-stale" : undefined;
  const notFound = (
    <EmptyState title="No traffic or spans for this service in the window" testId="service-not-found">
      <p>
        Widen the time window (now {formatWindow(shell.windowSeconds)}) or check the name. See{" "}
        <Link to={pathWithShell("/services", shell)}>all services</Link>.
      </p>
    </EmptyState>
  );
  return (
    <>
      <div className="grid-2">
        <Panel title="Service" testId="panel-service-facts" className={stale}>
          <DetailView query={query} notFound={notFound}>
            {(d) => <ServiceFacts detail={d} />}
          </DetailView>
        </Panel>
        <Panel title="Mesh config" testId="panel-service-mesh-config">
          <MeshConfigApplied namespace={namespace} service={service} />
        </Panel>
      </div>
      <Panel title="Inbound traffic" testId="panel-service-inbound" className={stale}>
        <DetailView query={query} notFound={notFound}>
          {(d) => <RedCharts red={d.inbound} direction="inbound" />}
        </DetailView>
      </Panel>
      <Panel title="Inbound by version" testId="panel-service-versions" className={stale}>
        <DetailView query={query} notFound={notFound}>
          {(d) => <VersionComparison byVersion={d.inbound.byVersion} />}
        </DetailView>
      </Panel>
      <Panel title="Outbound traffic" testId="panel-service-outbound" className={stale}>
        <DetailView query={query} notFound={notFound}>
          {(d) => <RedCharts red={d.outbound} direction="outbound" />}
        </DetailView>
      </Panel>
    </>
  );
}

/** A panel's query states, with the API's 404 (no such service in the window) shown as an empty state. */
function DetailView({
  query,
  notFound,
  children,
}: {
  query: UseQueryResult<ServiceDetailResponse>;
  notFound: ReactNode;
  children: (detail: ServiceDetailResponse) => ReactNode;
}) {
  if (query.isError && query.error instanceof ApiError && query.error.status === 404) return <>{notFound}</>;
  return (
    <QueryView query={query} loadingLabel="Loading service metrics…" errorTitle="Could not load this service">
      {children}
    </QueryView>
  );
}
