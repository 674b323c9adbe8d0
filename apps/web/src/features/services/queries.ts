import { ServicesResponse } from "@meshscope/model";
import { queryOptions, useQuery } from "@tanstack/react-query";
import { apiGet } from "../../api/client";

export const servicesKeys = {
  all: ["services"] as const,
  list: () => [...servicesKeys.all, "list"] as const,
};

/**
 * `GET /api/services`. The set of services changes when a new service first reports, which is rare next to
 * span traffic: 30 s stale time keeps the service picker and the overview from refetching on every page change.
 */
export function servicesQueryOptions() {
  return queryOptions({
    queryKey: servicesKeys.list(),
    queryFn: ({ signal }) => apiGet("/api/services", ServicesResponse, signal),
    staleTime: 30_000,
  });
}

export function useServicesQuery() {
  return useQuery(servicesQueryOptions());
}
