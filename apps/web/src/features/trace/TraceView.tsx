/**
 * One trace, whatever its source (the store, or a file opened on /traces/open): header with the view switcher,
 * then the timeline, graph or statistics view. Its state (view, find text, critical path, selected span) lives
 * in the query string, so every view is a link (CONVENTIONS: page state in the URL).
 */
import type { ApiSpan } from "@meshscope/model";
import { type ReactNode, useCallback, useMemo } from "react";
import { useSearchParams } from "react-router";
import { Panel } from "../../components/Panel";
import { downloadTraceJson } from "./download";
import { TRACE_MARKS } from "./queries";
import { TraceGraphView } from "./TraceGraphView";
import { TraceHeader } from "./TraceHeader";
import { TraceStatsView } from "./TraceStatsView";
import { TimelineView } from "./timeline/TimelineView";
import { buildTraceModel, summarizeTrace } from "./trace-model";
import { readTracePageState, type TracePageState, withTracePageState } from "./url";
import "./trace.css";

export interface TraceViewProps {
  traceId: string;
  spans: readonly ApiSpan[];
  /** Extra actions in the summary panel (e.g. "Open another file"). */
  actions?: ReactNode;
}

export function TraceView({ traceId, spans, actions }: TraceViewProps) {
  const model = useMemo(() => {
    const built = buildTraceModel(traceId, spans);
    performance.mark(TRACE_MARKS.model);
    return built;
  }, [traceId, spans]);
  const overview = useMemo(() => summarizeTrace(model), [model]);
  const [params, setParams] = useSearchParams();
  const state = readTracePageState(params);
  const onState = useCallback(
    (patch: Partial<TracePageState>) => setParams((prev) => withTracePageState(prev, patch), { replace: true }),
    [setParams],
  );

  return (
    <>
      <Panel
        title="Summary"
        testId="panel-trace-summary"
        actions={
          <div className="trace-actions">
            {actions}
            <button
              type="button"
              className="button"
              data-testid="download-json"
              onClick={() => downloadTraceJson(traceId, spans)}
            >
              Download JSON
            </button>
          </div>
        }
      >
        <TraceHeader traceId={traceId} overview={overview} view={state.view} onView={(view) => onState({ view })} />
      </Panel>
      <Panel
        title={state.view === "timeline" ? "Spans" : state.view === "graph" ? "Trace graph" : "Statistics"}
        testId="panel-spans"
        className="spans-panel"
      >
        {state.view === "timeline" && <TimelineView key={traceId} model={model} state={state} onState={onState} />}
        {state.view === "graph" && <TraceGraphView model={model} />}
        {state.view === "statistics" && <TraceStatsView model={model} />}
      </Panel>
    </>
  );
}
