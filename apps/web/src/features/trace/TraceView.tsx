/**
 * One trace, whatever its source (the store, or a file opened on /traces/open): header with the view switcher,
 * then the timeline, graph or statistics view. Its state (view, find text, critical path, selected span) lives
 * in the query string, so every view is a link (CONVENTIONS: page state in the URL).
 */
import type { OutlineSpan } from "@meshscope/model";
import { type ReactNode, useCallback, useMemo, useState } from "react";
import { useSearchParams } from "react-router";
import { Panel } from "../../components/Panel";
import { downloadTraceJson } from "./download";
import { TRACE_MARKS } from "./queries";
import { TraceGraphView } from "./TraceGraphView";
import { TraceHeader } from "./TraceHeader";
import { TraceStatsView } from "./TraceStatsView";
import { TimelineView } from "./timeline/TimelineView";
import type { TraceDetails } from "./trace-details";
import { buildTraceModel, summarizeTrace } from "./trace-model";
import { readTracePageState, type TracePageState, withTracePageState } from "./url";
import "./trace.css";

export interface TraceViewProps {
  traceId: string;
  /** The outline of each span (a stored trace), or the spans in full (a file: ApiSpan is an OutlineSpan too). */
  spans: readonly OutlineSpan[];
  /** Attributes, resource, events and links, which the outline leaves out; and find-in-trace. */
  details: TraceDetails;
  /** Each span's parent position in `spans` when the source knows it (the outline), sparing the model id lookups. */
  parents?: ArrayLike<number>;
  /** Extra actions in the summary panel (e.g. "Open another file"). */
  actions?: ReactNode;
}

/** Download JSON: the full spans first (a stored trace's outline lacks the details), then the OTLP file. */
function useDownload(traceId: string, details: TraceDetails) {
  const [state, setState] = useState<"idle" | "loading" | "failed">("idle");
  const download = useCallback(() => {
    setState("loading");
    details.all().then(
      (spans) => {
        downloadTraceJson(traceId, spans);
        setState("idle");
      },
      () => setState("failed"),
    );
  }, [traceId, details]);
  return { state, download };
}

export function TraceView({ traceId, spans, details, parents, actions }: TraceViewProps) {
  const model = useMemo(() => {
    const built = buildTraceModel(traceId, spans, parents);
    performance.mark(TRACE_MARKS.model);
    return built;
  }, [traceId, spans, parents]);
  const overview = useMemo(() => summarizeTrace(model), [model]);
  const download = useDownload(traceId, details);
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
              disabled={download.state === "loading"}
              onClick={download.download}
            >
              {download.state === "loading"
                ? "Preparing JSON…"
                : download.state === "failed"
                  ? "Download failed, retry"
                  : "Download JSON"}
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
        {state.view === "timeline" && (
          <TimelineView key={traceId} model={model} details={details} state={state} onState={onState} />
        )}
        {state.view === "graph" && <TraceGraphView model={model} />}
        {state.view === "statistics" && <TraceStatsView model={model} />}
      </Panel>
    </>
  );
}
