/**
 * Find in trace on the spans of a file opened in the browser, with the rules a stored trace is searched by on the
 * server (both use @meshscope/model's find-in-trace.ts: Jaeger's semantics).
 */
import { type ApiSpan, parseFindQuery, spanMatches } from "@meshscope/model";

export { parseFindQuery };

/** Positions of the matching spans in `spans`, in order. Empty for an empty query. */
export function findInTrace(spans: readonly ApiSpan[], text: string): Int32Array {
  const query = parseFindQuery(text);
  if (query.include.length === 0) return new Int32Array(0);
  const out: number[] = [];
  spans.forEach((span, i) => {
    if (spanMatches(span, query)) out.push(i);
  });
  return Int32Array.from(out);
}
