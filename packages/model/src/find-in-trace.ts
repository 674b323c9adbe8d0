/**
 * Find in trace, with Jaeger's semantics (`utils/filter-spans.ts`, reference jaeger.md §1.4), shared by the server
 * (which searches a stored trace for the trace page) and the console (which searches a trace opened from a file):
 * the query is space-separated, case-insensitive terms (`"a quoted phrase"` is one term); a span matches when ANY
 * term is a substring of its service, its name, or a key, a value or `key=value` of its attributes, resource or
 * events (or an event's name), or equals its span id. A term `-key` excludes spans that have an attribute with
 * that key.
 */
import type { ApiSpan } from "./api.js";

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

function keyValuesMatch(attributes: Readonly<Record<string, unknown>>, terms: readonly string[]): boolean {
  for (const key of Object.keys(attributes)) {
    // `key=value` contains both the key and the value, so one substring test covers all three of Jaeger's checks.
    const kv = `${key}=${valueText(attributes[key])}`.toLowerCase();
    if (terms.some((t) => kv.includes(t))) return true;
  }
  return false;
}

export function spanMatches(span: ApiSpan, { include, exclude }: FindQuery): boolean {
  if (exclude.length > 0 && Object.keys(span.attributes).some((k) => exclude.includes(k.toLowerCase()))) return false;
  if (include.length === 0) return false;
  const service = span.service.toLowerCase();
  const name = span.name.toLowerCase();
  const id = span.spanId.toLowerCase();
  return (
    include.some((t) => service.includes(t) || name.includes(t) || t === id) ||
    keyValuesMatch(span.attributes, include) ||
    keyValuesMatch(span.resource, include) ||
    span.events.some(
      (e) => include.some((t) => e.name.toLowerCase().includes(t)) || keyValuesMatch(e.attributes, include),
    )
  );
}
