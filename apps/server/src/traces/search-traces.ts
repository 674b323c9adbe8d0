/**
 * Trace search (Jaeger semantics, DESIGN §4 "Traces"): turns the validated query string into a TraceQuery for
 * the store, filling Jaeger's defaults, and returns the summaries.
 */
import type { TraceSearchQuery, TraceSearchResponse } from "@meshscope/model";
import type { TraceQuery, TraceReader } from "../store/trace-store.js";
import { InvalidQueryError } from "./errors.js";
import { parseTags } from "./tag-filter.js";

/** When neither start nor lookback is given, search the last hour (Jaeger UI's default lookback). */
export const DEFAULT_LOOKBACK_US = 3_600_000_000;
/** Jaeger UI asks for 20 traces by default. */
export const DEFAULT_LIMIT = 20;

export function toTraceQuery(params: TraceSearchQuery, nowUs: number): TraceQuery {
  const endUs = params.end ?? nowUs;
  const startUs = params.start ?? endUs - (params.lookback ?? DEFAULT_LOOKBACK_US);
  if (startUs > endUs) throw new InvalidQueryError(`start (${startUs}) is after end (${endUs})`);
  if (params.minDuration !== undefined && params.maxDuration !== undefined && params.minDuration > params.maxDuration) {
    throw new InvalidQueryError("minDuration must not exceed maxDuration");
  }
  const query: TraceQuery = { startUs, endUs, limit: params.limit ?? DEFAULT_LIMIT };
  if (params.service !== undefined) query.service = params.service;
  if (params.operation !== undefined) query.operation = params.operation;
  if (params.minDuration !== undefined) query.minDurationUs = params.minDuration;
  if (params.maxDuration !== undefined) query.maxDurationUs = params.maxDuration;
  if (params.tags !== undefined) {
    const tags = parseTags(params.tags);
    if (Object.keys(tags).length > 0) query.tags = tags;
  }
  return query;
}

export function searchTraces(reader: TraceReader, params: TraceSearchQuery, nowUs: number): TraceSearchResponse {
  return { traces: reader.searchTraces(toTraceQuery(params, nowUs)) };
}
