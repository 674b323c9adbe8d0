/**
 * Where a trace view gets what its outline leaves out (attributes, resource, scope, event attributes, links):
 * a stored trace asks the server per span and searches there (find matches attribute values); a trace opened
 * from a file has every span in memory already. The views see one interface either way.
 */
import type { ApiSpan } from "@meshscope/model";
import { findInTrace } from "./find-in-trace";

export interface TraceDetails {
  /** Tells sources apart in react-query keys (the trace id alone could name a stored trace and a file). */
  key: readonly string[];
  /** The spans with these ids in full; ids the trace does not hold are left out. */
  spans(spanIds: readonly string[], signal?: AbortSignal): Promise<ApiSpan[]>;
  /** Ids of the spans that find-in-trace matches (find-in-trace.ts semantics). */
  find(text: string, signal?: AbortSignal): Promise<string[]>;
  /** Every span in full (Download JSON). */
  all(signal?: AbortSignal): Promise<readonly ApiSpan[]>;
}

let fileSeq = 0;

/** Details of a trace whose spans are all in memory (a file opened on /traces/open). */
export function localTraceDetails(traceId: string, spans: readonly ApiSpan[]): TraceDetails {
  const byId = new Map<string, ApiSpan>();
  for (const s of spans) if (!byId.has(s.spanId)) byId.set(s.spanId, s);
  fileSeq += 1;
  return {
    key: ["file", traceId, String(fileSeq)],
    spans: async (ids) => ids.flatMap((id) => byId.get(id) ?? []),
    find: async (text) => {
      const found = findInTrace(spans, text);
      return Array.from(found, (i) => (spans[i] as ApiSpan).spanId);
    },
    all: async () => spans,
  };
}
