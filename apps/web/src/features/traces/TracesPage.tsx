import type { TraceSummary } from "@meshscope/model";
import type { UseQueryResult } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { useNavigate, useSearchParams } from "react-router";
import { PageHeader } from "../../components/PageHeader";
import { Panel } from "../../components/Panel";
import { QueryView } from "../../components/QueryView";
import { EmptyState, ErrorState } from "../../components/states";
import { useServicesQuery } from "../services/queries";
import { tracePath } from "../trace/url";
import { comparePath } from "../trace-compare/url";
import { useOperationsQuery, useTraceSearchQuery } from "./queries";
import { ResultsToolbar } from "./ResultsToolbar";
import { sortTraces } from "./sort-traces";
import { COMPARE_SIZE, TraceResultsTable } from "./TraceResultsTable";
import { TraceScatter } from "./TraceScatter";
import { type OptionsState, TraceSearchForm } from "./TraceSearchForm";
import "./traces.css";
import {
  hasSubmittedSearch,
  readSearchFields,
  readSort,
  type SearchFieldErrors,
  searchFieldsToParams,
  validateSearchFields,
  withSort,
} from "./url";

/**
 * `/traces`: the search form edits a draft; "Find traces" writes the draft to the URL, and the URL (not the
 * draft) drives the query, so reloading or sharing the page repeats exactly the search on screen. The list order
 * is in the URL too (`sort=`), but it is a view of the same answer: changing it does not search again.
 */
export function TracesPage() {
  const [searchParams, setSearchParams] = useSearchParams();
  const sort = readSort(searchParams);
  const submitted = useMemo(() => readSearchFields(searchParams), [searchParams]);
  // The search itself, without the sort: what identifies the answer and seeds the draft.
  const search = searchFieldsToParams(submitted).toString();
  const isSubmitted = hasSubmittedSearch(searchParams);

  // The draft follows the URL whenever the search in it changes (back/forward, a link from another page).
  const [draft, setDraft] = useState(submitted);
  const [draftSource, setDraftSource] = useState(search);
  if (draftSource !== search) {
    setDraftSource(search);
    setDraft(submitted);
  }
  const errors = validateSearchFields(draft);

  const servicesQuery = useServicesQuery();
  const serviceNames = useMemo(
    // Istio's proxies name their spans `<service>.<namespace>`; that name, not the mesh one, finds their traces.
    () => [...new Set(servicesQuery.data?.services.map((s) => s.traceService ?? s.name) ?? [])].sort(),
    [servicesQuery.data],
  );
  // Operations are asked for a complete name only, not for every prefix typed on the way to it.
  const draftService = draft.service.trim();
  const operationsQuery = useOperationsQuery(
    serviceNames.includes(draftService) || draftService === submitted.service ? draftService : "",
  );
  // A hand-edited URL can hold fields the form would have refused; those are reported, not sent.
  const urlErrors = Object.entries(validateSearchFields(submitted)).map(([field, message]) => `${field}: ${message}`);
  // Field errors show after a submit, or at once when the URL already holds a search; a tags error as it is typed.
  const [showErrors, setShowErrors] = useState(isSubmitted);
  const searchQuery = useTraceSearchQuery(submitted, isSubmitted && urlErrors.length === 0);
  const [selected, setSelected] = useState<string[]>([]);
  const navigate = useNavigate();
  const backTo = `/traces?${searchParams.toString()}`;

  const onSubmit = () => {
    setShowErrors(true);
    if (Object.keys(errors).length > 0) return;
    const next = searchFieldsToParams(draft);
    if (next.toString() === search) void searchQuery.refetch();
    else setSearchParams(withSort(next, sort));
  };
  const toggle = (traceId: string) =>
    setSelected((current) =>
      current.includes(traceId)
        ? current.filter((id) => id !== traceId)
        : current.length < COMPARE_SIZE
          ? [...current, traceId]
          : current,
    );
  const [a, b] = selected;

  const operationNames = useMemo(
    () => [...new Set(operationsQuery.data?.operations.map((o) => o.name) ?? [])].sort(),
    [operationsQuery.data],
  );

  return (
    <div className="page" data-testid="page-traces">
      <PageHeader title="Traces" subtitle="Find traces by service, operation, tags and duration." />
      <div className="traces-layout">
        <Panel title="Search" testId="panel-trace-search" className="search-panel">
          <TraceSearchForm
            fields={draft}
            errors={visibleErrors(errors, showErrors)}
            services={optionsState(servicesQuery, serviceNames)}
            operations={optionsState(operationsQuery, operationNames)}
            onChange={setDraft}
            onSubmit={onSubmit}
            searching={searchQuery.isFetching}
          />
        </Panel>
        <Panel
          title={searchQuery.data ? `Results (${searchQuery.data.traces.length})` : "Results"}
          testId="panel-trace-results"
          className={searchQuery.isPlaceholderData ? "results-panel is-stale" : "results-panel"}
        >
          {!isSubmitted ? (
            <EmptyState title="Search for traces" testId="search-prompt">
              <p>Pick a service (or leave it empty for all services) and press Find traces.</p>
            </EmptyState>
          ) : urlErrors.length > 0 ? (
            <ErrorState
              title="This search is not valid"
              error={new Error(urlErrors.join("; "))}
              testId="search-invalid"
            />
          ) : (
            <QueryView
              query={searchQuery}
              loadingLabel="Searching traces…"
              errorTitle="The search failed"
              isEmpty={(data) => data.traces.length === 0}
              empty={
                <EmptyState title="No traces match this search" testId="search-no-results">
                  <p>Widen the lookback, remove tags or duration bounds, or check that spans are being sent.</p>
                </EmptyState>
              }
            >
              {(data) => (
                <SearchResults
                  traces={data.traces}
                  sort={sort}
                  nowMs={searchQuery.dataUpdatedAt || Date.now()}
                  backTo={backTo}
                  selected={selected}
                  onToggle={toggle}
                  onClear={() => setSelected([])}
                  onSort={(next) => setSearchParams(withSort(searchParams, next), { replace: true })}
                  onOpen={(traceId) => navigate(tracePath(traceId), { state: { backTo } })}
                  onCompare={() => a && b && navigate(comparePath(a, b))}
                />
              )}
            </QueryView>
          )}
        </Panel>
      </div>
    </div>
  );
}

function SearchResults({
  traces,
  sort,
  nowMs,
  backTo,
  selected,
  onToggle,
  onClear,
  onSort,
  onOpen,
  onCompare,
}: {
  traces: readonly TraceSummary[];
  sort: ReturnType<typeof readSort>;
  nowMs: number;
  backTo: string;
  selected: readonly string[];
  onToggle: (traceId: string) => void;
  onClear: () => void;
  onSort: (sort: ReturnType<typeof readSort>) => void;
  onOpen: (traceId: string) => void;
  onCompare: () => void;
}) {
  const sorted = useMemo(() => sortTraces(traces, sort), [traces, sort]);
  return (
    <>
      <TraceScatter traces={traces} onOpen={onOpen} />
      <ResultsToolbar
        sort={sort}
        onSort={onSort}
        selectedCount={selected.length}
        onCompare={onCompare}
        onClear={onClear}
      />
      <TraceResultsTable traces={sorted} nowMs={nowMs} backTo={backTo} selected={selected} onToggle={onToggle} />
    </>
  );
}

/** Tags are checked as they are typed (a quote left open is easy to miss); the other fields after a submit. */
function visibleErrors(errors: SearchFieldErrors, afterSubmit: boolean): SearchFieldErrors {
  if (afterSubmit) return errors;
  return errors.tags ? { tags: errors.tags } : {};
}

function optionsState(query: UseQueryResult<unknown>, options: string[]): OptionsState {
  if (query.isError) return { status: "error", options, error: query.error.message };
  if (query.isLoading) return { status: "loading", options };
  return { status: query.isSuccess ? "ready" : "idle", options };
}
