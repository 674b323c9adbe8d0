import { OperationsResponse, TraceSearchResponse } from "@meshscope/model";
import { keepPreviousData, queryOptions, useQuery } from "@tanstack/react-query";
import { apiGet, apiPath } from "../../api/client";
import { searchApiParams, type TraceSearchFields } from "./url";

export const tracesKeys = {
  all: ["traces"] as const,
  search: (fields: TraceSearchFields) => [...tracesKeys.all, "search", fields] as const,
  operations: (service: string) => ["operations", service] as const,
};

/**
 * `GET /api/traces?…`. The lookback is relative to "now", so the same key means a later window each time it
 * runs: the default 15 s stale time lets the back button from a trace show the same list again, and the
 * "Find traces" button refetches explicitly when the fields did not change. `keepPreviousData` keeps the old
 * rows on screen (dimmed) while a changed search runs, instead of flashing a spinner.
 */
export function traceSearchQueryOptions(fields: TraceSearchFields) {
  const params = searchApiParams(fields);
  return queryOptions({
    queryKey: tracesKeys.search(fields),
    queryFn: ({ signal }) => apiGet(apiPath("/api/traces", params), TraceSearchResponse, signal),
    placeholderData: keepPreviousData,
  });
}

export function useTraceSearchQuery(fields: TraceSearchFields, enabled: boolean) {
  return useQuery({ ...traceSearchQueryOptions(fields), enabled });
}

/**
 * `GET /api/operations?service=`: the span names a service has reported. Like the service list it grows
 * slowly, hence the same 30 s stale time.
 */
export function operationsQueryOptions(service: string) {
  return queryOptions({
    queryKey: tracesKeys.operations(service),
    queryFn: ({ signal }) => apiGet(apiPath("/api/operations", { service }), OperationsResponse, signal),
    staleTime: 30_000,
  });
}

/** Disabled until a service is picked: operations are listed per service. */
export function useOperationsQuery(service: string) {
  return useQuery({ ...operationsQueryOptions(service), enabled: service !== "" });
}
