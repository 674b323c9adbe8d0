import { ServiceDetailResponse, ServiceListResponse } from "@meshscope/model";
import { keepPreviousData, queryOptions, useQuery } from "@tanstack/react-query";
import { apiGet, apiPath } from "../../api/client";
import { useLiveQueryOptions } from "../../app/live-refresh";
import { type ShellState, shellApiParams } from "../../app/shell-url";

/** The part of the shell state a services request depends on. */
type WindowParams = Pick<ShellState, "windowSeconds" | "endUs">;
type ListParams = WindowParams & Pick<ShellState, "namespaces">;

export const servicesKeys = {
  all: ["services"] as const,
  list: (p: ListParams) => [...servicesKeys.all, "list", p.windowSeconds, p.endUs, p.namespaces.join(",")] as const,
  detail: (namespace: string, service: string, p: WindowParams) =>
    [...servicesKeys.all, "detail", namespace, service, p.windowSeconds, p.endUs] as const,
};

const DEFAULT_LIST: ListParams = { windowSeconds: 300, endUs: null, namespaces: [] };

/**
 * `GET /api/services?window=&end=&namespaces=`: the services of the window with health and RED numbers. The
 * trace search form uses it (no arguments) only for the names, which change rarely: hence 30 s stale time.
 */
export function servicesQueryOptions(p: ListParams = DEFAULT_LIST) {
  return queryOptions({
    queryKey: servicesKeys.list(p),
    queryFn: ({ signal }) => apiGet(apiPath("/api/services", shellApiParams(p)), ServiceListResponse, signal),
    staleTime: 30_000,
  });
}

/** The name list for the trace search form: not refreshed live (a picker must not change under the cursor). */
export function useServicesQuery() {
  return useQuery(servicesQueryOptions());
}

/**
 * The services list of the shell's window and namespaces, refreshed as the shell's `refresh` says.
 * `keepPreviousData` keeps the table on screen while a changed window loads instead of flashing a spinner.
 */
export function useServiceListQuery(shell: ShellState) {
  const live = useLiveQueryOptions();
  return useQuery({
    ...servicesQueryOptions(shell),
    ...live,
    placeholderData: keepPreviousData,
  });
}

/**
 * The namespaces that have services in the window, for the shell's namespace picker. Asked without a namespace
 * filter, so unticking a namespace does not make it disappear from the picker.
 */
export function useNamespacesQuery(shell: WindowParams) {
  return useQuery({
    ...servicesQueryOptions({ ...shell, namespaces: [] }),
    select: (data) =>
      [...new Set(data.services.map((s) => s.namespace).filter((ns): ns is string => ns !== null))].sort(),
  });
}

/**
 * `GET /api/services/{ns}/{svc}?window=&end=`: RED series by version and workload. The server picks the step
 * (window/30, never below the scrape interval), so the chart resolution follows the window.
 */
export function serviceDetailQueryOptions(namespace: string, service: string, p: WindowParams) {
  const path = `/api/services/${encodeURIComponent(namespace)}/${encodeURIComponent(service)}`;
  return queryOptions({
    queryKey: servicesKeys.detail(namespace, service, p),
    queryFn: ({ signal }) =>
      apiGet(
        apiPath(path, { window: p.windowSeconds, ...(p.endUs !== null ? { end: p.endUs } : {}) }),
        ServiceDetailResponse,
        signal,
      ),
  });
}

export function useServiceDetailQuery(namespace: string, service: string, shell: ShellState) {
  const live = useLiveQueryOptions();
  return useQuery({
    ...serviceDetailQueryOptions(namespace, service, shell),
    ...live,
    placeholderData: keepPreviousData,
  });
}
