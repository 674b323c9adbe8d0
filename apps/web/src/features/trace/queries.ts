import { TraceResponse } from "@meshscope/model";
import { queryOptions, useQuery } from "@tanstack/react-query";
import { apiGet } from "../../api/client";
import { tracesKeys } from "../traces/queries";

/**
 * `GET /api/traces/{traceId}`. Under the `traces` key prefix so invalidating "traces" refreshes both searches and
 * open traces. A trace changes only while late spans arrive, so one minute of staleness is fine; the page's
 * Refresh button refetches on demand.
 */
export function traceQueryOptions(traceId: string) {
  return queryOptions({
    queryKey: [...tracesKeys.all, "byId", traceId] as const,
    queryFn: ({ signal }) => apiGet(`/api/traces/${encodeURIComponent(traceId)}`, TraceResponse, signal),
    staleTime: 60_000,
  });
}

export function useTraceQuery(traceId: string) {
  return useQuery(traceQueryOptions(traceId));
}
