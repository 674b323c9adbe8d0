/**
 * Deep links of the trace page: `/traces/{traceId}` (DESIGN §5), with the selected span in `?span=`, so a link
 * can point at the one span that matters.
 */
export const SELECTED_SPAN_PARAM = "span";

export function tracePath(traceId: string, spanId?: string): string {
  const base = `/traces/${encodeURIComponent(traceId)}`;
  return spanId ? `${base}?${SELECTED_SPAN_PARAM}=${encodeURIComponent(spanId)}` : base;
}

export function readSelectedSpan(params: URLSearchParams): string | null {
  return params.get(SELECTED_SPAN_PARAM);
}

/** The query string with `spanId` selected (or the selection removed), other parameters kept. */
export function withSelectedSpan(params: URLSearchParams, spanId: string | null): URLSearchParams {
  const next = new URLSearchParams(params);
  if (spanId === null) next.delete(SELECTED_SPAN_PARAM);
  else next.set(SELECTED_SPAN_PARAM, spanId);
  return next;
}

/**
 * Links into a trace carry the search they came from in the history state (`{ backTo: "/traces?…" }`), so
 * "Back to search" restores it. History state is whatever an earlier page stored: check it before use.
 */
export function readBackTo(state: unknown): string | null {
  if (typeof state !== "object" || state === null || !("backTo" in state)) return null;
  const { backTo } = state;
  // Only same-app paths: never navigate to an absolute or protocol-relative URL taken from state.
  return typeof backTo === "string" && backTo.startsWith("/") && !backTo.startsWith("//") ? backTo : null;
}

/** The trace page's views (Jaeger's alternate views), in `?view=`; the timeline is the default and not written. */
export const TRACE_VIEWS = ["timeline", "graph", "statistics"] as const;
export type TraceViewName = (typeof TRACE_VIEWS)[number];

export interface TracePageState {
  view: TraceViewName;
  /** Find-in-trace text, `?find=` (Jaeger's `uiFind`). */
  find: string;
  /** Critical path drawn on the bars, `?cp=1`. */
  criticalPath: boolean;
  selectedSpanId: string | null;
}

function isView(value: string | null): value is TraceViewName {
  return value !== null && (TRACE_VIEWS as readonly string[]).includes(value);
}

export function readTracePageState(params: URLSearchParams): TracePageState {
  const view = params.get("view");
  return {
    view: isView(view) ? view : "timeline",
    find: params.get("find") ?? "",
    criticalPath: params.get("cp") === "1",
    selectedSpanId: readSelectedSpan(params),
  };
}

/** The query string with `patch` applied; defaults are removed so links stay short. Other parameters are kept. */
export function withTracePageState(params: URLSearchParams, patch: Partial<TracePageState>): URLSearchParams {
  let next = new URLSearchParams(params);
  if (patch.view !== undefined) {
    if (patch.view === "timeline") next.delete("view");
    else next.set("view", patch.view);
  }
  if (patch.find !== undefined) {
    if (patch.find === "") next.delete("find");
    else next.set("find", patch.find);
  }
  if (patch.criticalPath !== undefined) {
    if (patch.criticalPath) next.set("cp", "1");
    else next.delete("cp");
  }
  if (patch.selectedSpanId !== undefined) next = withSelectedSpan(next, patch.selectedSpanId);
  return next;
}

/** `/traces/open`: a trace read from a local file, shown with the same view and never stored. */
export const OPEN_TRACE_PATH = "/traces/open";
