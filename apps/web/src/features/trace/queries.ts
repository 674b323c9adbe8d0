import { TraceResponse } from "@meshscope/model";
import { queryOptions, useQuery } from "@tanstack/react-query";
import { apiGet } from "../../api/client";
import { tracesKeys } from "../traces/queries";

/** User Timing marks of a trace's way to the screen, read by bench/ui-trace.ts. */
export const TRACE_MARKS = { validated: "meshscope:trace-validated", model: "meshscope:trace-model" } as const;

/**
 * `GET /api/traces/{traceId}`. Under the `traces` key prefix so invalidating "traces" refreshes both searches and
 * open traces. A trace changes only while late spans arrive, so one minute of staleness is fine; the page's
 * Refresh button refetches on demand.
 */
export function traceQueryOptions(traceId: string) {
  return queryOptions({
    queryKey: [...tracesKeys.all, "byId", traceId] as const,
    queryFn: async ({ signal }) => {
      const trace = await apiGet(`/api/traces/${encodeURIComponent(traceId)}`, TraceResponse, signal);
      // A User Timing mark: bench/ui-trace.ts splits "time to first rows" into fetch + check, and render.
      performance.mark(TRACE_MARKS.validated);
      return trace;
    },
    staleTime: 60_000,
    // The page rebuilds its model from a new answer anyway; comparing 100,000 old and new spans deeply (react-query's
    // default structural sharing) would only cost time and memory on every refresh.
    structuralSharing: false,
  });
}

export function useTraceQuery(traceId: string) {
  return useQuery(traceQueryOptions(traceId));
}
