import {
  type ApiSpan,
  decodeTraceOutline,
  ErrorEnvelope,
  type OutlineSpan,
  TraceFindResponse,
  TraceOutlineWire,
  TraceResponse,
} from "@meshscope/model";
import { queryOptions, useQuery } from "@tanstack/react-query";
import { ApiError, apiGet, apiPath } from "../../api/client";
import { tracesKeys } from "../traces/queries";
import type { TraceDetails } from "./trace-details";
import { parseTraceBody } from "./trace-json-stream";
import { checkTraceResponse } from "./trace-response-check";

/** User Timing marks of a trace's way to the screen, read by bench/ui-trace.ts. */
export const TRACE_MARKS = { validated: "meshscope:trace-validated", model: "meshscope:trace-model" } as const;

function describe(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}

/** An error answer as apiGet reports it: the server's envelope when it sent one, else the status. */
async function errorOf(response: Response): Promise<ApiError> {
  let body: unknown;
  try {
    body = JSON.parse(await response.text());
  } catch {
    body = undefined;
  }
  const envelope = ErrorEnvelope.safeParse(body);
  if (envelope.success) return new ApiError(response.status, envelope.data.error.code, envelope.data.error.message);
  const statusText = response.statusText ? ` ${response.statusText}` : "";
  return new ApiError(
    response.status,
    `http_${response.status}`,
    `The server answered ${response.status}${statusText}`,
  );
}

/**
 * `GET /api/traces/{traceId}` with apiGet's contract (ApiError only, aborts passed through), but the body is
 * parsed while it downloads (trace-json-stream.ts) and checked by hand (trace-response-check.ts) instead of by the
 * zod schema: a 100,000-span answer then reaches the page about a second and a half sooner (issue #6 scope 5).
 */
export async function fetchTrace(traceId: string, signal?: AbortSignal): Promise<TraceResponse> {
  const path = `/api/traces/${encodeURIComponent(traceId)}`;
  let response: Response;
  try {
    response = await fetch(path, { headers: { Accept: "application/json" }, signal: signal ?? null });
  } catch (cause) {
    if (signal?.aborted) throw cause;
    throw new ApiError(0, "network_error", `Cannot reach the meshscope server (${describe(cause)})`);
  }
  if (!response.ok) throw await errorOf(response);
  if (response.body === null) {
    throw new ApiError(response.status, "bad_response", `${path} answered ${response.status} without a JSON body`);
  }
  let body: unknown;
  try {
    body = await parseTraceBody(response.body);
  } catch (cause) {
    if (signal?.aborted) throw cause;
    throw new ApiError(response.status, "bad_response", `Unexpected response from ${path}: ${describe(cause)}`);
  }
  try {
    return checkTraceResponse(body);
  } catch (cause) {
    throw new ApiError(response.status, "bad_response", `Unexpected response from ${path}: ${describe(cause)}`);
  }
}

/** A stored trace as the trace page draws it: the outline's spans, in start order. */
export interface TraceOutlineData {
  traceId: string;
  spans: OutlineSpan[];
  /** Each span's parent position in `spans` (-1: none in the trace), so the model needs no id lookups. */
  parents: readonly number[];
}

/**
 * `GET /api/traces/{traceId}?view=outline`: a few MB where the full answer of a 100,000-span trace is ~50 MB, so
 * the waterfall shows in a fraction of the time (issue #6); the rest comes per span (serverTraceDetails).
 */
export async function fetchTraceOutline(traceId: string, signal?: AbortSignal): Promise<TraceOutlineData> {
  const path = apiPath(`/api/traces/${encodeURIComponent(traceId)}`, { view: "outline" });
  const outline = await apiGet(path, TraceOutlineWire, signal);
  try {
    return { traceId: outline.traceId, ...decodeTraceOutline(outline) };
  } catch (cause) {
    throw new ApiError(200, "bad_response", `Unexpected response from ${path}: ${describe(cause)}`);
  }
}

/** The details of a stored trace, from the server: spans in full by id, find there, the full answer. */
export function serverTraceDetails(traceId: string): TraceDetails {
  const base = `/api/traces/${encodeURIComponent(traceId)}`;
  return {
    key: [...tracesKeys.all, "byId", traceId],
    spans: async (ids, signal) => {
      if (ids.length === 0) return [];
      const trace = await apiGet(apiPath(`${base}/spans`, { ids: ids.join(",") }), TraceResponse, signal);
      return trace.spans;
    },
    find: async (text, signal) =>
      (await apiGet(apiPath(`${base}/find`, { q: text }), TraceFindResponse, signal)).spanIds,
    all: async (signal): Promise<readonly ApiSpan[]> => (await fetchTrace(traceId, signal)).spans,
  };
}

/** One span in full, for the detail panel; null while none is selected or when the trace no longer holds it. */
export function useSpanDetailQuery(details: TraceDetails, spanId: string | null) {
  return useQuery({
    queryKey: [...details.key, "span", spanId] as const,
    queryFn: async ({ signal }) => (await details.spans(spanId === null ? [] : [spanId], signal))[0] ?? null,
    enabled: spanId !== null,
    staleTime: 60_000,
  });
}

/** Ids of the spans find-in-trace matches; empty for an empty query. Keeps the last answer while typing on. */
export function useFindInTraceQuery(details: TraceDetails, text: string) {
  const query = text.trim();
  return useQuery({
    queryKey: [...details.key, "find", query] as const,
    queryFn: ({ signal }) => details.find(query, signal),
    enabled: query !== "",
    staleTime: 60_000,
    placeholderData: (previous) => previous,
  });
}

/**
 * The query of one trace. Under the `traces` key prefix so invalidating "traces" refreshes both searches and
 * open traces. A trace changes only while late spans arrive, so one minute of staleness is fine; the page's
 * Refresh button refetches on demand.
 */
export function traceQueryOptions(traceId: string) {
  return queryOptions({
    queryKey: [...tracesKeys.all, "byId", traceId, "outline"] as const,
    queryFn: async ({ signal }) => {
      const trace = await fetchTraceOutline(traceId, signal);
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
