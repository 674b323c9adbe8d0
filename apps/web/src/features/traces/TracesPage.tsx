import type { UseQueryResult } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { useSearchParams } from "react-router";
import { PageHeader } from "../../components/PageHeader";
import { Panel } from "../../components/Panel";
import { QueryView } from "../../components/QueryView";
import { EmptyState, ErrorState } from "../../components/states";
import { useServicesQuery } from "../services/queries";
import { useOperationsQuery, useTraceSearchQuery } from "./queries";
import { TraceResultsTable } from "./TraceResultsTable";
import { type OptionsState, TraceSearchForm } from "./TraceSearchForm";
import { hasSubmittedSearch, readSearchFields, searchFieldsToParams, validateSearchFields } from "./url";

/**
 * `/traces`: the search form edits a draft; "Find traces" writes the draft to the URL, and the URL (not the
 * draft) drives the query, so reloading or sharing the page repeats exactly the search on screen.
 */
export function TracesPage() {
  const [searchParams, setSearchParams] = useSearchParams();
  const search = searchParams.toString();
  const submitted = useMemo(() => readSearchFields(new URLSearchParams(search)), [search]);
  const isSubmitted = hasSubmittedSearch(searchParams);

  // The draft follows the URL whenever the URL changes (back/forward, a link from another page).
  const [draft, setDraft] = useState(submitted);
  const [draftSource, setDraftSource] = useState(search);
  if (draftSource !== search) {
    setDraftSource(search);
    setDraft(submitted);
  }
  const errors = validateSearchFields(draft);

  const servicesQuery = useServicesQuery();
  const operationsQuery = useOperationsQuery(draft.service);
  // A hand-edited URL can hold fields the form would have refused; those are reported, not sent.
  const urlErrors = Object.entries(validateSearchFields(submitted)).map(([field, message]) => `${field}: ${message}`);
  // Field errors show after a submit, or at once when the URL already holds a search.
  const [showErrors, setShowErrors] = useState(isSubmitted);
  const searchQuery = useTraceSearchQuery(submitted, isSubmitted && urlErrors.length === 0);

  const onSubmit = () => {
    setShowErrors(true);
    if (Object.keys(errors).length > 0) return;
    const next = searchFieldsToParams(draft);
    if (next.toString() === search) void searchQuery.refetch();
    else setSearchParams(next);
  };

  const serviceNames = useMemo(
    () => [...new Set(servicesQuery.data?.services.map((s) => s.name) ?? [])].sort(),
    [servicesQuery.data],
  );
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
            errors={showErrors ? errors : {}}
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
              <p>Pick a service (or keep “All services”) and press Find traces.</p>
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
                <TraceResultsTable
                  traces={data.traces}
                  nowMs={searchQuery.dataUpdatedAt || Date.now()}
                  backTo={`/traces?${search}`}
                />
              )}
            </QueryView>
          )}
        </Panel>
      </div>
    </div>
  );
}

function optionsState(query: UseQueryResult<unknown>, options: string[]): OptionsState {
  if (query.isError) return { status: "error", options, error: query.error.message };
  if (query.isLoading) return { status: "loading", options };
  return { status: query.isSuccess ? "ready" : "idle", options };
}
