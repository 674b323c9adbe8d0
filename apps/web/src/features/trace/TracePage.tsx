import { useMemo } from "react";
import { Link, useLocation, useParams, useSearchParams } from "react-router";
import { ApiError } from "../../api/client";
import { PageHeader } from "../../components/PageHeader";
import { Panel } from "../../components/Panel";
import { QueryView } from "../../components/QueryView";
import { EmptyState } from "../../components/states";
import { useTraceQuery } from "./queries";
import { SpanDetail } from "./SpanDetail";
import { SpanTree } from "./SpanTree";
import { summarizeTrace } from "./span-tree";
import { TraceHeader } from "./TraceHeader";
import { readBackTo, readSelectedSpan, withSelectedSpan } from "./url";

/** `/traces/:traceId`: header, span tree and the selected span's details (selection in `?span=`). */
export function TracePage() {
  const { traceId = "" } = useParams();
  const query = useTraceQuery(traceId);
  const [searchParams, setSearchParams] = useSearchParams();
  const backTo = readBackTo(useLocation().state) ?? "/traces";
  const selectedSpanId = readSelectedSpan(searchParams);
  const select = (spanId: string | null) => setSearchParams(withSelectedSpan(searchParams, spanId), { replace: true });

  const spans = query.data?.spans;
  const overview = useMemo(() => (spans ? summarizeTrace(spans) : null), [spans]);
  const selected = spans?.find((s) => s.spanId === selectedSpanId) ?? null;

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
          {(data) =>
            overview && (
              <>
                <Panel title="Summary" testId="panel-trace-summary">
                  <TraceHeader traceId={data.traceId} overview={overview} />
                </Panel>
                <div className={selected ? "trace-body has-detail" : "trace-body"}>
                  <Panel title="Spans" testId="panel-spans" className="spans-panel">
                    <SpanTree
                      spans={data.spans}
                      traceStartUs={overview.startUs}
                      traceDurationUs={overview.durationUs}
                      selectedSpanId={selectedSpanId}
                      onSelect={(id) => select(id === selectedSpanId ? null : id)}
                    />
                  </Panel>
                  {selected && (
                    <Panel title="Span details" testId="panel-span-detail" className="detail-panel">
                      <SpanDetail span={selected} traceStartUs={overview.startUs} onClose={() => select(null)} />
                    </Panel>
                  )}
                </div>
              </>
            )
          }
        </QueryView>
      )}
    </div>
  );
}
