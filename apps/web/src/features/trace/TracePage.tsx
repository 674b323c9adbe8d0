import { useMemo } from "react";
import { Link, useLocation, useParams } from "react-router";
import { ApiError } from "../../api/client";
import { PageHeader } from "../../components/PageHeader";
import { QueryView } from "../../components/QueryView";
import { EmptyState } from "../../components/states";
import { serverTraceDetails, useTraceQuery } from "./queries";
import { TraceView } from "./TraceView";
import { OPEN_TRACE_PATH, readBackTo } from "./url";

/** `/traces/:traceId`: a stored trace in the trace view. */
export function TracePage() {
  const { traceId = "" } = useParams();
  const query = useTraceQuery(traceId);
  const details = useMemo(() => serverTraceDetails(traceId), [traceId]);
  const backTo = readBackTo(useLocation().state) ?? "/traces";

  return (
    <div className="page" data-testid="page-trace">
      <PageHeader
        title="Trace"
        subtitle={<span className="mono">{traceId}</span>}
        actions={
          <>
            <Link className="button" to={backTo} data-testid="back-to-search">
              ← Back to search
            </Link>
            <Link className="button" to={OPEN_TRACE_PATH} data-testid="open-trace-file-link">
              Open a file…
            </Link>
            <button type="button" className="button" onClick={() => void query.refetch()} disabled={query.isFetching}>
              {query.isFetching ? "Refreshing…" : "Refresh"}
            </button>
          </>
        }
      />
      {query.error instanceof ApiError && query.error.status === 404 ? (
        <EmptyState title="Trace not found" testId="trace-not-found">
          <p>
            No spans with this trace id are stored. It may be older than the retention period, or its spans have not
            arrived yet.
          </p>
        </EmptyState>
      ) : (
        <QueryView
          query={query}
          loadingLabel="Loading trace…"
          errorTitle="Could not load this trace"
          isEmpty={(data) => data.spans.length === 0}
          empty={
            <EmptyState title="This trace has no spans" testId="trace-empty">
              <p>Its spans may not have arrived yet. Refresh in a moment.</p>
            </EmptyState>
          }
        >
          {(data) => <TraceView traceId={data.traceId} spans={data.spans} parents={data.parents} details={details} />}
        </QueryView>
      )}
    </div>
  );
}
