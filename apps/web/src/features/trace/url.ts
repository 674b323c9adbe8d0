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
