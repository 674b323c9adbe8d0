/**
 * The trace search lives in the query string (`/traces?service=cart&lookback=1h&limit=20&sort=longest`), so a
 * search is a link someone can share and the back button restores it. The field names are the parameters of
 * `GET /api/traces` (DESIGN §5), so the page URL and the API call never drift apart; `lookback` is the one field
 * translated on the way (the API takes hours, not days, and `custom` means the explicit `start`/`end`).
 */
import { parseDurationUs } from "@meshscope/model";
import { parseLogfmt } from "./logfmt";

/** The search form's fields, kept as typed text; validation decides whether they are usable. */
export interface TraceSearchFields {
  service: string;
  operation: string;
  /** logfmt: `http.status_code=500 error=true` (values with spaces in double quotes). */
  tags: string;
  /** Jaeger-style duration text (`250ms`, `1.5s`) or plain µs. */
  minDuration: string;
  maxDuration: string;
  /** How far back from now to search (one of LOOKBACK_OPTIONS, or any `<n>m|h|d`), or `custom`. */
  lookback: string;
  /** With `lookback=custom`: µs since the epoch, as the API takes them. */
  start: string;
  end: string;
  limit: string;
}

export const SEARCH_FIELD_NAMES = [
  "service",
  "operation",
  "tags",
  "minDuration",
  "maxDuration",
  "lookback",
  "start",
  "end",
  "limit",
] as const satisfies readonly (keyof TraceSearchFields)[];

export const CUSTOM_LOOKBACK = "custom";

/** Jaeger UI's presets (jaeger.md §1.2), up to the default retention of 7 days. */
export const LOOKBACK_OPTIONS = [
  { value: "5m", label: "Last 5 minutes" },
  { value: "15m", label: "Last 15 minutes" },
  { value: "1h", label: "Last hour" },
  { value: "2h", label: "Last 2 hours" },
  { value: "6h", label: "Last 6 hours" },
  { value: "12h", label: "Last 12 hours" },
  { value: "1d", label: "Last day" },
  { value: "2d", label: "Last 2 days" },
  { value: "7d", label: "Last 7 days" },
  { value: CUSTOM_LOOKBACK, label: "Custom range" },
] as const;

/** The API caps `limit` at 10,000 (TraceSearchQuery). */
export const MAX_LIMIT = 10_000;

export const DEFAULT_SEARCH_FIELDS: TraceSearchFields = {
  service: "",
  operation: "",
  tags: "",
  minDuration: "",
  maxDuration: "",
  lookback: "1h",
  start: "",
  end: "",
  limit: "20",
};

/** The orders of the result list (Jaeger's `order-by.ts`, the ones an on-call engineer reaches for). */
export const SORT_OPTIONS = [
  { value: "recent", label: "Most recent" },
  { value: "longest", label: "Longest first" },
  { value: "shortest", label: "Shortest first" },
  { value: "spans", label: "Most spans" },
  { value: "errors", label: "Most errors" },
] as const;
export type TraceSort = (typeof SORT_OPTIONS)[number]["value"];
export const SORT_PARAM = "sort";

/** The list order in the URL; anything unknown reads as the default, most recent first. */
export function readSort(params: URLSearchParams): TraceSort {
  const value = params.get(SORT_PARAM);
  return SORT_OPTIONS.find((o) => o.value === value)?.value ?? "recent";
}

/** The query string with another sort; the default is left out so plain searches keep short URLs. */
export function withSort(params: URLSearchParams, sort: TraceSort): URLSearchParams {
  const next = new URLSearchParams(params);
  if (sort === "recent") next.delete(SORT_PARAM);
  else next.set(SORT_PARAM, sort);
  return next;
}

/** The fields the URL holds, with defaults for what it leaves out. */
export function readSearchFields(params: URLSearchParams): TraceSearchFields {
  const fields = { ...DEFAULT_SEARCH_FIELDS };
  for (const name of SEARCH_FIELD_NAMES) {
    const value = params.get(name);
    if (value !== null) fields[name] = value;
  }
  return fields;
}

/** A search has been submitted when the URL holds any search field (the form always writes lookback and limit). */
export function hasSubmittedSearch(params: URLSearchParams): boolean {
  return SEARCH_FIELD_NAMES.some((name) => params.has(name));
}

/**
 * The query string for these fields: empty fields are left out, so URLs stay short and readable, and so are
 * `start`/`end` unless the range is custom (a preset lookback is relative to now).
 */
export function searchFieldsToParams(fields: TraceSearchFields): URLSearchParams {
  const params = new URLSearchParams();
  const custom = fields.lookback === CUSTOM_LOOKBACK;
  for (const name of SEARCH_FIELD_NAMES) {
    if (!custom && (name === "start" || name === "end")) continue;
    const value = fields[name].trim();
    if (value !== "") params.set(name, value);
  }
  return params;
}

/** A link to the search page with some fields filled, e.g. from a service page: "traces of this service". */
export function traceSearchPath(fields: Partial<TraceSearchFields>): string {
  return `/traces?${searchFieldsToParams({ ...DEFAULT_SEARCH_FIELDS, ...fields }).toString()}`;
}

/** A lookback as µs: `90m`, `6h`, `2d` (days are the UI's; the API takes up to hours). Null when not one. */
export function lookbackUs(lookback: string): number | null {
  const days = /^(\d+(?:\.\d+)?)d$/.exec(lookback.trim());
  if (days) return Math.round(Number(days[1]) * 86_400_000_000);
  return parseDurationUs(lookback);
}

/** The parameters of `GET /api/traces` for these (valid) fields. */
export function searchApiParams(fields: TraceSearchFields): Record<string, string> {
  const params: Record<string, string> = {};
  for (const name of ["service", "operation", "tags", "minDuration", "maxDuration", "limit"] as const) {
    const value = fields[name].trim();
    if (value !== "") params[name] = value;
  }
  if (fields.lookback === CUSTOM_LOOKBACK) {
    params.start = fields.start.trim();
    params.end = fields.end.trim();
  } else {
    const us = lookbackUs(fields.lookback);
    if (us !== null) params.lookback = String(us);
  }
  return params;
}

export type SearchFieldErrors = Partial<Record<keyof TraceSearchFields, string>>;

/**
 * Checks what the browser can check before asking the server: tags are logfmt, durations parse, min ≤ max, the
 * time range is a range, the limit is in range. Each message names the fix, next to its field.
 */
export function validateSearchFields(fields: TraceSearchFields): SearchFieldErrors {
  const errors: SearchFieldErrors = {};
  const tags = parseLogfmt(fields.tags);
  if (!tags.ok) errors.tags = tags.message;
  const min = checkDuration(fields.minDuration);
  const max = checkDuration(fields.maxDuration);
  if (min === "invalid") errors.minDuration = "Use a duration like 250ms, 1.5s or 2m";
  if (max === "invalid") errors.maxDuration = "Use a duration like 250ms, 1.5s or 2m";
  if (typeof min === "number" && typeof max === "number" && min > max) {
    errors.maxDuration = "Max duration is below min duration";
  }
  Object.assign(errors, validateRange(fields));
  const limit = fields.limit.trim();
  if (limit !== "" && (!/^\d+$/.test(limit) || Number(limit) < 1 || Number(limit) > MAX_LIMIT)) {
    errors.limit = `Use a whole number from 1 to ${MAX_LIMIT.toLocaleString("en-US")}`;
  }
  return errors;
}

function validateRange(fields: TraceSearchFields): SearchFieldErrors {
  if (fields.lookback !== CUSTOM_LOOKBACK) {
    return lookbackUs(fields.lookback) === null ? { lookback: "Use a lookback like 15m, 6h or 2d" } : {};
  }
  const isUs = (text: string) => /^\d+$/.test(text.trim());
  if (!isUs(fields.start)) return { start: "Pick the start of the range" };
  if (!isUs(fields.end)) return { end: "Pick the end of the range" };
  return Number(fields.start) > Number(fields.end) ? { end: "The end is before the start" } : {};
}

function checkDuration(text: string): number | "invalid" | null {
  if (text.trim() === "") return null;
  return parseDurationUs(text) ?? "invalid";
}
