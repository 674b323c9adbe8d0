/**
 * Find in trace, with Jaeger's semantics (`utils/filter-spans.ts`, reference jaeger.md §1.4): the query is
 * space-separated, case-insensitive terms (`"a quoted phrase"` is one term); a span matches when ANY term is a
 * substring of its service, its name, or a key, a value or `key=value` of its attributes, resource or events, or
 * equals its span id. A term `-key` excludes spans that have an attribute with that key.
 */
import type { ApiSpan } from "@meshscope/model";

export interface FindQuery {
  include: string[];
  exclude: string[];
}

export function parseFindQuery(text: string): FindQuery {
  const include: string[] = [];
  const exclude: string[] = [];
  for (const match of text.matchAll(/"([^"]*)"|(\S+)/g)) {
    const quoted = match[1];
    const term = (quoted ?? match[2] ?? "").toLowerCase();
    if (term === "") continue;
    if (quoted === undefined && term.startsWith("-") && term.length > 1) exclude.push(term.slice(1));
    else include.push(term);
  }
  return { include, exclude };
}

function valueText(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

function keyValuesMatch(attributes: Record<string, unknown>, terms: readonly string[]): boolean {
  for (const key of Object.keys(attributes)) {
    const k = key.toLowerCase();
    const v = valueText(attributes[key]).toLowerCase();
    const kv = `${k}=${v}`;
    if (terms.some((t) => kv.includes(t))) return true;
  }
  return false;
}

function hasExcludedKey(span: ApiSpan, exclude: readonly string[]): boolean {
  if (exclude.length === 0) return false;
  return Object.keys(span.attributes).some((key) => exclude.includes(key.toLowerCase()));
}

export function spanMatches(span: ApiSpan, query: FindQuery): boolean {
  if (hasExcludedKey(span, query.exclude)) return false;
  const terms = query.include;
  if (terms.length === 0) return false;
  const service = span.service.toLowerCase();
  const name = span.name.toLowerCase();
  // `key=value` contains both the key and the value, so one substring test covers all three of Jaeger's checks.
  return (
    terms.some((t) => service.includes(t) || name.includes(t) || t === span.spanId.toLowerCase()) ||
    keyValuesMatch(span.attributes, terms) ||
    keyValuesMatch(span.resource, terms) ||
    span.events.some((e) => terms.some((t) => e.name.toLowerCase().includes(t)) || keyValuesMatch(e.attributes, terms))
  );
}

/**
 * Positions of the matching spans in `spans`, in order. Empty for an empty query. A stored trace is searched by
 * the server with the same rules (apps/server/src/api/trace-outline.ts: keep the two in step); this runs on the
 * spans of a file opened in the browser.
 */
export function findInTrace(spans: readonly ApiSpan[], text: string): Int32Array {
  const query = parseFindQuery(text);
  if (query.include.length === 0) return new Int32Array(0);
  const out: number[] = [];
  spans.forEach((span, i) => {
    if (spanMatches(span, query)) out.push(i);
  });
  return Int32Array.from(out);
}
