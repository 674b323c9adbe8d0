import type { MeshObjectEntry, MeshObjectsResponse } from "@meshscope/model";
import { useSearchParams } from "react-router";
import { PageHeader } from "../../components/PageHeader";
import { Panel } from "../../components/Panel";
import { QueryView } from "../../components/QueryView";
import { EmptyState } from "../../components/states";
import { ObjectEditor } from "./ObjectEditor";
import { ObjectsTable } from "./ObjectsTable";
import { useMeshObjectsQuery } from "./queries";
import { RevisionsView } from "./RevisionsView";
import { type MeshConfigUrlState, readMeshConfigUrl, TABS, writeMeshConfigUrl } from "./url";
import "./mesh-config.css";

function useMeshConfigUrl(): [MeshConfigUrlState, (patch: Partial<MeshConfigUrlState>) => void] {
  const [params, setParams] = useSearchParams();
  const state = readMeshConfigUrl(params);
  return [state, (patch) => setParams((prev) => writeMeshConfigUrl(prev, { ...readMeshConfigUrl(prev), ...patch }))];
}

const TAB_LABEL = { objects: "Objects", revisions: "Revisions" } as const;

/** `/mesh-config`: the Istio objects of the target with validation, a YAML editor, and the revision history. */
export function MeshConfigPage() {
  const [url, setUrl] = useMeshConfigUrl();
  return (
    <div className="page" data-testid="page-mesh-config">
      <PageHeader title="Mesh config" subtitle="Istio traffic and security objects, with validation and revisions." />
      <div className="tabs" role="tablist" aria-label="Mesh config views">
        {TABS.map((tab) => (
          <button
            key={tab}
            type="button"
            role="tab"
            id={`mesh-tab-${tab}`}
            aria-selected={url.tab === tab}
            aria-controls={`mesh-tabpanel-${tab}`}
            className={url.tab === tab ? "tab is-active" : "tab"}
            onClick={() => setUrl({ tab })}
            data-testid={`mesh-tab-${tab}`}
          >
            {TAB_LABEL[tab]}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`mesh-tabpanel-${url.tab}`} aria-labelledby={`mesh-tab-${url.tab}`}>
        {url.tab === "objects" ? (
          <ObjectsTab url={url} setUrl={setUrl} />
        ) : (
          <Panel title="Revisions" testId="panel-mesh-revisions">
            <RevisionsView open={url.revision} onOpen={(revision) => setUrl({ revision })} />
          </Panel>
        )}
      </div>
    </div>
  );
}

function ObjectsTab({ url, setUrl }: { url: MeshConfigUrlState; setUrl(patch: Partial<MeshConfigUrlState>): void }) {
  const query = useMeshObjectsQuery();
  return (
    <QueryView query={query} loadingLabel="Loading mesh config…" errorTitle="Could not load the mesh config">
      {(data) => <ObjectsView data={data} url={url} setUrl={setUrl} />}
    </QueryView>
  );
}

function distinct(values: string[]): string[] {
  return [...new Set(values)].sort();
}

function ObjectsView({
  data,
  url,
  setUrl,
}: {
  data: MeshObjectsResponse;
  url: MeshConfigUrlState;
  setUrl(patch: Partial<MeshConfigUrlState>): void;
}) {
  const namespaces = distinct(data.objects.map((o) => o.ref.namespace));
  const kinds = distinct(data.objects.map((o) => o.ref.kind));
  const shown = data.objects.filter(
    (o) => (url.namespace === "" || o.ref.namespace === url.namespace) && (url.kind === "" || o.ref.kind === url.kind),
  );
  const open: MeshObjectEntry | undefined = url.object
    ? data.objects.find(
        (o) =>
          o.ref.kind === url.object?.kind && o.ref.namespace === url.object.namespace && o.ref.name === url.object.name,
      )
    : undefined;
  return (
    <>
      {data.fileErrors.length > 0 && (
        <div className="banner banner-error" role="alert" data-testid="mesh-file-errors">
          <p className="banner-title">
            {data.fileErrors.length} file{data.fileErrors.length === 1 ? "" : "s"} could not be read (ignored until
            fixed)
          </p>
          <ul>
            {data.fileErrors.map((e) => (
              <li key={`${e.source}:${e.line ?? ""}`}>
                <span className="mono">
                  {e.source}
                  {e.line !== null && `:${e.line}`}
                </span>{" "}
                {e.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      <div className={open ? "mesh-layout has-detail" : "mesh-layout"}>
        <Panel
          title={`Objects (${shown.length})`}
          testId="panel-mesh-objects"
          actions={<span className="muted">target: {data.target}</span>}
        >
          <MeshFilters namespaces={namespaces} kinds={kinds} url={url} setUrl={setUrl} />
          {shown.length === 0 ? (
            <EmptyState
              title={data.objects.length === 0 ? "No mesh config objects" : "No objects match the filters"}
              testId="mesh-objects-empty"
            >
              {data.objects.length === 0 && (
                <p>
                  Open a service on the graph or its service page and use a traffic wizard, or add YAML files to the
                  config directory.
                </p>
              )}
            </EmptyState>
          ) : (
            <ObjectsTable objects={shown} selected={url.object} onOpen={(object) => setUrl({ object })} />
          )}
        </Panel>
        {open && (
          <Panel title="Object" testId="panel-mesh-object">
            <ObjectEditor
              key={`${open.ref.kind}/${open.ref.namespace}/${open.ref.name}`}
              entry={open}
              onClose={() => setUrl({ object: null })}
            />
          </Panel>
        )}
        {url.object && !open && (
          <Panel title="Object" testId="panel-mesh-object">
            <EmptyState title="This object no longer exists" testId="mesh-object-gone" />
          </Panel>
        )}
      </div>
    </>
  );
}

function MeshFilters({
  namespaces,
  kinds,
  url,
  setUrl,
}: {
  namespaces: string[];
  kinds: string[];
  url: MeshConfigUrlState;
  setUrl(patch: Partial<MeshConfigUrlState>): void;
}) {
  return (
    <div className="mesh-filters">
      <label className="shell-control">
        <span className="shell-label">Namespace</span>
        <select
          value={url.namespace}
          onChange={(e) => setUrl({ namespace: e.target.value })}
          data-testid="filter-namespace"
        >
          <option value="">All</option>
          {namespaces.map((ns) => (
            <option key={ns} value={ns}>
              {ns}
            </option>
          ))}
        </select>
      </label>
      <label className="shell-control">
        <span className="shell-label">Kind</span>
        <select value={url.kind} onChange={(e) => setUrl({ kind: e.target.value })} data-testid="filter-kind">
          <option value="">All</option>
          {kinds.map((k) => (
            <option key={k} value={k}>
              {k}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}
