/**
 * Query parameters of Jaeger's v1 API, parsed as Jaeger's `query_parser.go` does, with messages that name the
 * parameter (`unable to parse param 'minDuration': …`). Parameters are read from URLSearchParams, so a repeated
 * parameter (`traceID`, `tag`, `tags`) keeps every value and nothing is merged into objects.
 */
import { MAX_SEARCH_TAGS } from "../traces/tag-filter.js";
import { JaegerParamError } from "./jaeger-errors.js";

/** Go's time.ParseDuration units, in µs (µ is U+00B5, μ U+03BC; Go accepts both). */
const GO_UNITS_US: Readonly<Record<string, number>> = {
  ns: 0.001,
  us: 1,
  µs: 1,
  μs: 1,
  ms: 1_000,
  s: 1_000_000,
  m: 60_000_000,
  h: 3_600_000_000,
};
/** Lookback presets of Jaeger UI go up to weeks (`2d`, `3w`): days and weeks on top of Go's units. */
const LOOKBACK_UNITS_US: Readonly<Record<string, number>> = {
  ...GO_UNITS_US,
  d: 86_400_000_000,
  w: 604_800_000_000,
};

/**
 * A Go duration (`1.2s`, `100ms`, `1h30m`, `500us`, `0`) in µs, or null when the text is not one. Negative
 * durations parse in Go but mean nothing for a span filter, so they are refused here.
 */
export function parseGoDurationUs(text: string, units = GO_UNITS_US): number | null {
  if (text === "0") return 0;
  const part = /(\d+(?:\.\d*)?|\.\d+)([a-zµμ]+)/y;
  let total = 0;
  let pos = 0;
  while (pos < text.length) {
    part.lastIndex = pos;
    const m = part.exec(text);
    const factor = m?.[2] === undefined ? undefined : units[m[2]];
    if (!m || factor === undefined) return null;
    total += Number(m[1]) * factor;
    pos = part.lastIndex;
  }
  return pos === 0 ? null : total;
}

export function parseLookbackUs(text: string): number | null {
  return parseGoDurationUs(text, LOOKBACK_UNITS_US);
}

/** The last value of a parameter, or undefined when absent or empty (Go's FormValue treats both alike). */
export function param(params: URLSearchParams, name: string): string | undefined {
  const all = params.getAll(name);
  const value = all[all.length - 1];
  return value === undefined || value === "" ? undefined : value;
}

/** A non-negative integer (µs or ms since the epoch, or a count), or a 400 naming the parameter. */
export function integerParam(params: URLSearchParams, name: string): number | undefined {
  const text = param(params, name);
  if (text === undefined) return undefined;
  if (!/^\d{1,16}$/.test(text)) throw new JaegerParamError(name, `expected a non-negative integer, got ${quote(text)}`);
  return Number(text);
}

export function durationParam(params: URLSearchParams, name: string): number | undefined {
  const text = param(params, name);
  if (text === undefined) return undefined;
  const us = parseGoDurationUs(text);
  if (us === null) {
    throw new JaegerParamError(name, `invalid duration ${quote(text)} (use a Go duration such as 1.2s, 100ms, 500us)`);
  }
  return us;
}

/**
 * `tag=key:value` (repeatable; the value may hold further colons) and `tags=<JSON object>` (repeatable), merged
 * as Jaeger merges them. Jaeger unmarshals `tags` into map[string]string; numbers and booleans are accepted here
 * too and compared by their text, as the search compares every tag value.
 */
export function tagParams(params: URLSearchParams): Record<string, string> {
  const tags: Record<string, string> = Object.create(null);
  for (const tag of params.getAll("tag")) {
    const colon = tag.indexOf(":");
    if (colon < 0) throw new JaegerParamError("tag", `malformed tag ${quote(tag)}, expecting key:value`);
    tags[tag.slice(0, colon)] = tag.slice(colon + 1);
  }
  for (const text of params.getAll("tags")) {
    if (text === "") continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new JaegerParamError("tags", `cannot unmarshal JSON: ${error instanceof Error ? error.message : error}`);
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      throw new JaegerParamError("tags", "expected a JSON object of tag key to value");
    }
    for (const [key, v] of Object.entries(value)) {
      if (typeof v !== "string" && typeof v !== "number" && typeof v !== "boolean") {
        throw new JaegerParamError("tags", `the value of ${quote(key)} must be a string`);
      }
      tags[key] = String(v);
    }
  }
  const count = Object.keys(tags).length;
  if (count > MAX_SEARCH_TAGS) throw new JaegerParamError("tags", `${count} tags, at most ${MAX_SEARCH_TAGS}`);
  return tags;
}

/** Quotes untrusted text for a message, shortened: the message goes back to the client as JSON data. */
export function quote(text: string): string {
  return JSON.stringify(text.length > 200 ? `${text.slice(0, 200)}…` : text);
}
