/**
 * `/traces/compare?a=<traceId>&b=<traceId>`: the two traces of a comparison, A the baseline and B the one
 * compared to it, so a comparison is a link too.
 */

export function comparePath(a: string, b: string): string {
  return `/traces/compare?${new URLSearchParams({ a, b }).toString()}`;
}

/** Trace ids are hex (32 hex digits, or 16 for 64-bit ids, as the API accepts them). Anything else in the URL is not fetched. */
const TRACE_ID = /^(?:[0-9a-f]{16}|[0-9a-f]{32})$/i;

export interface CompareIds {
  a: string | null;
  b: string | null;
}

export function readCompareIds(params: URLSearchParams): CompareIds {
  const read = (name: string) => {
    const value = params.get(name)?.trim() ?? "";
    return TRACE_ID.test(value) ? value.toLowerCase() : null;
  };
  return { a: read("a"), b: read("b") };
}
