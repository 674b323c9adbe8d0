/**
 * The Jaeger v1 endpoints' work, over the same TraceReader and SpanEdgeReader as /api (search semantics are
 * already Jaeger's: one span must satisfy every span filter, see store/trace-store.ts). Routes stay thin.
 */
import type { SpanKind } from "@meshscope/model";
import type { SpanEdgeReader } from "../store/span-edges.js";
import type { TraceQuery, TraceReader } from "../store/trace-store.js";
import { JaegerHttpError, JaegerParamError } from "./jaeger-errors.js";
import type { JaegerDependencyLink, JaegerError, JaegerOperation, JaegerTrace } from "./jaeger-model.js";
import { durationParam, integerParam, param, parseLookbackUs, quote, tagParams } from "./jaeger-params.js";
import { toJaegerTrace } from "./to-jaeger.js";

/** Jaeger's query service: without `start`, search the last 2 days (defaultTraceQueryLookbackDuration). */
export const DEFAULT_SEARCH_LOOKBACK_US = 2 * 86_400_000_000;
/** Jaeger's server-side default number of traces (the UI sends 20). */
export const DEFAULT_SEARCH_LIMIT = 100;
/**
 * Whole traces go back, not summaries: Jaeger UI never asks for more than 1,500 (search.maxLimit), and more
 * would only build a response of hundreds of MB, so larger limits are clamped to it.
 */
export const MAX_SEARCH_LIMIT = 1500;
/** /dependencies without `lookback` covers a day, as Jaeger's defaultDependencyLookbackDuration. */
export const DEFAULT_DEPENDENCY_LOOKBACK_MS = 86_400_000;

/**
 * A trace id as Jaeger's TraceIDFromString reads it: 1 to 32 hex digits, left-padded to our 32 (so a 64-bit id
 * finds the trace a 128-bit sender stored with a zero high half). null for anything else.
 */
export function parseJaegerTraceId(text: string): string | null {
  return /^[0-9a-fA-F]{1,32}$/.test(text) ? text.toLowerCase().padStart(32, "0") : null;
}

export function getJaegerTrace(reader: TraceReader, traceId: string): JaegerTrace | null {
  const spans = reader.getTrace(traceId);
  return spans.length === 0 ? null : toJaegerTrace(traceId, spans);
}

export interface SearchResult {
  traces: JaegerTrace[];
  /** One entry per requested trace id that is not stored (`traceID=` searches only), else null. */
  errors: JaegerError[] | null;
}

/** GET /traces: by repeated `traceID` when present (other filters ignored, as in Jaeger), else a search. */
export function searchJaegerTraces(reader: TraceReader, params: URLSearchParams, nowUs: number): SearchResult {
  const ids = params.getAll("traceID");
  if (ids.length > 0) return tracesByIds(reader, ids);
  const query = toTraceQuery(params, nowUs);
  const traces: JaegerTrace[] = [];
  for (const summary of reader.searchTraces(query)) {
    const trace = getJaegerTrace(reader, summary.traceId);
    // Retention may delete a trace between the search and the read: it is then simply not returned.
    if (trace !== null) traces.push(trace);
  }
  return { traces, errors: null };
}

function tracesByIds(reader: TraceReader, ids: readonly string[]): SearchResult {
  const traces: JaegerTrace[] = [];
  const errors: JaegerError[] = [];
  for (const id of ids) {
    const traceId = parseJaegerTraceId(id);
    if (traceId === null) throw new JaegerParamError("traceID", `${quote(id)} is not a hex trace id (1–32 digits)`);
    const trace = getJaegerTrace(reader, traceId);
    if (trace === null) errors.push({ msg: "trace not found", traceID: id });
    else traces.push(trace);
  }
  return { traces, errors: errors.length > 0 ? errors : null };
}

export function toTraceQuery(params: URLSearchParams, nowUs: number): TraceQuery {
  const service = param(params, "service");
  if (service === undefined) throw new JaegerHttpError(400, "parameter 'service' is required");
  const endUs = integerParam(params, "end") ?? nowUs;
  const startUs = integerParam(params, "start") ?? endUs - lookbackUs(params);
  if (startUs > endUs) throw new JaegerParamError("start", `start (${startUs}) is after end (${endUs})`);
  const limit = integerParam(params, "limit") ?? DEFAULT_SEARCH_LIMIT;
  const query: TraceQuery = {
    service,
    startUs,
    endUs,
    // Jaeger's stores read a limit of 0 as "the default".
    limit: Math.min(limit === 0 ? DEFAULT_SEARCH_LIMIT : limit, MAX_SEARCH_LIMIT),
  };
  const operation = param(params, "operation");
  if (operation !== undefined) query.operation = operation;
  const min = durationParam(params, "minDuration");
  const max = durationParam(params, "maxDuration");
  // Jaeger treats 0 as "no bound" for both.
  if (min !== undefined && min > 0) query.minDurationUs = min;
  if (max !== undefined && max > 0) query.maxDurationUs = max;
  if (query.minDurationUs !== undefined && query.maxDurationUs !== undefined) {
    if (query.maxDurationUs < query.minDurationUs) {
      throw new JaegerHttpError(400, "'maxDuration' should be greater than 'minDuration'");
    }
  }
  const tags = tagParams(params);
  if (Object.keys(tags).length > 0) query.tags = tags;
  return query;
}

/**
 * `lookback` (`1h`, `2d`, `custom`…) as Jaeger UI and Grafana send it. Jaeger's server ignores it because the
 * UI always sends `start` too; here it also serves a hand-written `?lookback=15m` without `start`. `custom`
 * means the UI's explicit range, so it falls back to the default like an absent lookback.
 */
function lookbackUs(params: URLSearchParams): number {
  const text = param(params, "lookback");
  if (text === undefined || text === "custom") return DEFAULT_SEARCH_LOOKBACK_US;
  const us = parseLookbackUs(text);
  if (us === null) throw new JaegerParamError("lookback", `invalid lookback ${quote(text)} (use 1h, 2d or custom)`);
  return us;
}

/** The `spanKind` values Jaeger accepts, as our kinds (a Map: the key is untrusted text). */
const SPAN_KIND_PARAMS: ReadonlyMap<string, SpanKind> = new Map(
  (["server", "client", "producer", "consumer", "internal"] as const).map((k) => [k, k]),
);

/** /operations: `{name, spanKind}` of one service; `spanKind` empty or absent means every kind. */
export function listJaegerOperations(reader: TraceReader, params: URLSearchParams): JaegerOperation[] {
  const service = param(params, "service");
  if (service === undefined) throw new JaegerHttpError(400, "parameter 'service' is required");
  const kind = param(params, "spanKind");
  const spanKind = kind === undefined ? undefined : SPAN_KIND_PARAMS.get(kind);
  if (kind !== undefined && spanKind === undefined) {
    throw new JaegerParamError(
      "spanKind",
      `unsupported span kind ${quote(kind)} (server, client, producer, consumer, internal)`,
    );
  }
  return reader.listOperations(service, spanKind).map((o) => ({
    name: o.name,
    spanKind: o.spanKind === "unspecified" ? "" : o.spanKind,
  }));
}

/** /services/{service}/operations (legacy): the distinct operation names of every kind. */
export function listJaegerOperationNames(reader: TraceReader, service: string): string[] {
  return [...new Set(reader.listOperations(service).map((o) => o.name))];
}

/** /services: distinct service names (the store keeps a name once per namespace), sorted. */
export function listJaegerServices(reader: TraceReader): string[] {
  return [...new Set(reader.listServices().map((s) => s.name))].sort();
}

/**
 * /dependencies: service pairs from client → server span pairs (a server or consumer span whose parent span
 * belongs to another service) over [endTs − lookback, endTs], both in ms as in Jaeger; `service` keeps the links
 * it takes part in. Links are per service name, summed over namespaces, as Jaeger knows only names.
 */
export function listJaegerDependencies(
  spanEdges: SpanEdgeReader | undefined,
  params: URLSearchParams,
  nowUs: number,
): JaegerDependencyLink[] {
  const endMs = integerParam(params, "endTs") ?? Math.floor(nowUs / 1000);
  const lookbackMs = integerParam(params, "lookback") ?? DEFAULT_DEPENDENCY_LOOKBACK_MS;
  const service = param(params, "service");
  if (spanEdges === undefined) return [];
  const { edges } = spanEdges.spanEdges({ startUs: (endMs - lookbackMs) * 1000, endUs: endMs * 1000 });
  const counts = new Map<string, JaegerDependencyLink>();
  for (const edge of edges) {
    const parent = edge.caller.name;
    const child = edge.callee.name;
    if (service !== undefined && parent !== service && child !== service) continue;
    const key = JSON.stringify([parent, child]);
    const link = counts.get(key);
    if (link) link.callCount += edge.red.requests;
    else counts.set(key, { parent, child, callCount: edge.red.requests });
  }
  return [...counts.values()].filter((l) => l.callCount > 0);
}
