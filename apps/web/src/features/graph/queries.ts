import { type GraphType, ServiceDetailResponse } from "@meshscope/model";
import { keepPreviousData, queryOptions, useQuery } from "@tanstack/react-query";
import { apiGet, apiPath } from "../../api/client";
import { LIVE_QUERY_META } from "../../app/live-refresh";
import { FastGraphResponse } from "./graph-response";

export interface GraphQueryParams {
  type: GraphType;
  namespaces: string[];
  windowSeconds: number;
  /** µs since the epoch; null = now. */
  end: number | null;
}

export const graphKeys = {
  all: ["graph"] as const,
  graph: (p: GraphQueryParams) => [...graphKeys.all, p] as const,
  serviceSeries: (namespace: string, service: string, windowSeconds: number, end: number | null) =>
    [...graphKeys.all, "service", namespace, service, windowSeconds, end] as const,
};

/**
 * `GET /api/graph`. Live graphs refetch on the page's refresh period (`refetchInterval`, set by the caller), so
 * they are stale at once; a replayed window (`end` set) never changes, so it stays fresh for good.
 * `keepPreviousData` keeps the drawn graph while the next one loads: a refresh must not blank the canvas.
 */
export function graphQueryOptions(p: GraphQueryParams) {
  return queryOptions({
    queryKey: graphKeys.graph(p),
    queryFn: ({ signal }) =>
      apiGet(
        apiPath("/api/graph", {
          type: p.type,
          namespaces: p.namespaces.join(","),
          window: p.windowSeconds,
          end: p.end ?? undefined,
        }),
        // The schema's checks by hand: zod took a good part of a refresh on big graphs (graph-response.ts).
        FastGraphResponse,
        signal,
      ),
    placeholderData: keepPreviousData,
    staleTime: p.end === null ? 0 : Number.POSITIVE_INFINITY,
  });
}

export function useGraphQuery(p: GraphQueryParams, refetchInterval: number | false) {
  // meta.live: with `refresh=live` the shell refetches this query when new data is announced (app/LiveEvents).
  return useQuery({ ...graphQueryOptions(p), refetchInterval, meta: LIVE_QUERY_META });
}

/**
 * `GET /api/services/{ns}/{svc}`: the RED series behind the side panel's charts, over the same window as the
 * graph. Refetched with the graph's period so the charts and the graph tell the same story.
 */
export function useServiceSeriesQuery(
  ref: { namespace: string; service: string } | null,
  windowSeconds: number,
  end: number | null,
  refetchInterval: number | false,
) {
  return useQuery({
    queryKey: graphKeys.serviceSeries(ref?.namespace ?? "", ref?.service ?? "", windowSeconds, end),
    queryFn: ({ signal }) =>
      apiGet(
        apiPath(`/api/services/${encodeURIComponent(ref?.namespace ?? "")}/${encodeURIComponent(ref?.service ?? "")}`, {
          window: windowSeconds,
          end: end ?? undefined,
        }),
        ServiceDetailResponse,
        signal,
      ),
    enabled: ref !== null,
    refetchInterval,
    meta: LIVE_QUERY_META,
    placeholderData: keepPreviousData,
  });
}
