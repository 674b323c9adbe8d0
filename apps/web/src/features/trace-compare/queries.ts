import { TraceResponse } from "@meshscope/model";
import { queryOptions, useQuery } from "@tanstack/react-query";
import { apiGet } from "../../api/client";
import { tracesKeys } from "../traces/queries";

/**
 * `GET /api/traces/{traceId}` for one side of a comparison. Under the `traces` prefix, so invalidating traces
 * refreshes it too; a key of its own (not the trace page's) so the two pages never disagree on the cached shape.
 * A finished trace rarely changes: five minutes of staleness keeps switching between pages free.
 */
export function compareTraceQueryOptions(traceId: string) {
  return queryOptions({
    queryKey: [...tracesKeys.all, "compare", traceId] as const,
    queryFn: ({ signal }) => apiGet(`/api/traces/${encodeURIComponent(traceId)}`, TraceResponse, signal),
    staleTime: 300_000,
  });
}

export function useCompareTraceQuery(traceId: string | null) {
  return useQuery({ ...compareTraceQueryOptions(traceId ?? ""), enabled: traceId !== null });
}
