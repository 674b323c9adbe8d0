import { GraphResponse, type ServiceSummary } from "@meshscope/model";
import { keepPreviousData, queryOptions, useQueries, useQuery } from "@tanstack/react-query";
import { apiGet, apiPath } from "../../api/client";
import { useLiveQueryOptions } from "../../app/live-refresh";
import { type ShellState, shellApiParams } from "../../app/shell-url";
import { serviceDetailQueryOptions } from "../services/queries";

/**
 * `GET /api/graph` in the API's default graph type (versionedApp), whose edge ids the graph page resolves
 * without a `type` in the link. Keyed apart from the graph page's own query ("overview"), so the two never share a
 * cache entry whose options they do not agree on.
 */
export function overviewGraphQueryOptions(shell: ShellState) {
  const params = shellApiParams(shell);
  return queryOptions({
    queryKey: ["overview", "graph", params] as const,
    queryFn: ({ signal }) => apiGet(apiPath("/api/graph", params), GraphResponse, signal),
  });
}

export function useOverviewGraphQuery(shell: ShellState) {
  const live = useLiveQueryOptions();
  return useQuery({ ...overviewGraphQueryOptions(shell), ...live, placeholderData: keepPreviousData });
}

/**
 * The RED series of the given services (the namespace card's sparkline sums their request rates). The list is
 * capped by the caller, so a namespace of a thousand services costs a bounded number of requests; they share
 * cache entries with the service pages.
 */
export function useServiceRateSeries(services: readonly ServiceSummary[], shell: ShellState, listIsCurrent: boolean) {
  const live = useLiveQueryOptions();
  return useQueries({
    queries: services.map((s) => ({
      ...serviceDetailQueryOptions(s.namespace ?? "", s.name, shell),
      ...live,
      // While the service list still shows the previous window (placeholder data), its services may have no
      // traffic in the new one (the API answers 404): wait for the list of this window.
      enabled: listIsCurrent,
      placeholderData: keepPreviousData,
    })),
  });
}
