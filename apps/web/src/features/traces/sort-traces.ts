import type { TraceSummary } from "@meshscope/model";
import type { TraceSort } from "./url";

type Compare = (a: TraceSummary, b: TraceSummary) => number;

/** Ties fall back to newest first, then trace id, so the order never depends on the API's row order. */
const newestFirst: Compare = (a, b) =>
  b.start - a.start || (a.traceId < b.traceId ? -1 : a.traceId > b.traceId ? 1 : 0);

const ORDERS: Record<TraceSort, Compare> = {
  recent: newestFirst,
  longest: (a, b) => b.duration - a.duration || newestFirst(a, b),
  shortest: (a, b) => a.duration - b.duration || newestFirst(a, b),
  spans: (a, b) => b.spanCount - a.spanCount || newestFirst(a, b),
  errors: (a, b) => b.errorCount - a.errorCount || newestFirst(a, b),
};

/** The search results in the chosen order (a new array; the query's data stays as the API sent it). */
export function sortTraces(traces: readonly TraceSummary[], sort: TraceSort): TraceSummary[] {
  return [...traces].sort(ORDERS[sort]);
}
