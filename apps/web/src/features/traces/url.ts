/**
 * The trace search lives in the query string (`/traces?service=cart&lookback=1h&limit=20`), so a search is a
 * link someone can share and the back button restores it. The same names are the parameters of
 * `GET /api/traces` (DESIGN §5), so the page URL and the API call never drift apart.
 */
import { parseDurationUs } from "@meshscope/model";

/** The search form's fields, kept as typed text; validation decides whether they are usable. */
export interface TraceSearchFields {
  service: string;
  operation: string;
  /** logfmt: `http.status_code=500 error=true` (values with spaces in double quotes). */
  tags: string;
  /** Jaeger-style duration text (`250ms`, `1.5s`) or plain µs. */
  minDuration: string;
  maxDuration: string;
  /** How far back from now to search; one of LOOKBACK_OPTIONS. */
  lookback: string;
  limit: string;
}

export const SEARCH_FIELD_NAMES = [
  "service",
  "operation",
  "tags",
  "minDuration",
  "maxDuration",
  "lookback",
  "limit",
] as const satisfies readonly (keyof TraceSearchFields)[];

export const LOOKBACK_OPTIONS = [
  { value: "5m", label: "Last 5 minutes" },
  { value: "15m", label: "Last 15 minutes" },
  { value: "1h", label: "Last hour" },
  { value: "6h", label: "Last 6 hours" },
  { value: "24h", label: "Last 24 hours" },
  // The API's lookback takes h but not d (TraceSearchQuery); 168h is the default retention of 7 days.
  { value: "168h", label: "Last 7 days" },
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
  limit: "20",
};

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

/** The query string for these fields: empty fields are left out, so URLs stay short and readable. */
export function searchFieldsToParams(fields: TraceSearchFields): URLSearchParams {
  const params = new URLSearchParams();
  for (const name of SEARCH_FIELD_NAMES) {
    const value = fields[name].trim();
    if (value !== "") params.set(name, value);
  }
  return params;
}

/** A link to the search page with some fields filled, e.g. from a service page: "traces of this service". */
export function traceSearchPath(fields: Partial<TraceSearchFields>): string {
  return `/traces?${searchFieldsToParams({ ...DEFAULT_SEARCH_FIELDS, ...fields }).toString()}`;
}

export type SearchFieldErrors = Partial<Record<keyof TraceSearchFields, string>>;

/**
 * Checks what the browser can check before asking the server: durations parse, min ≤ max, the limit is in
 * range. Tags are left to the server, whose 400 message names the problem.
 */
export function validateSearchFields(fields: TraceSearchFields): SearchFieldErrors {
  const errors: SearchFieldErrors = {};
  const min = checkDuration(fields.minDuration);
  const max = checkDuration(fields.maxDuration);
  if (min === "invalid") errors.minDuration = "Use a duration like 250ms, 1.5s or 2m";
  if (max === "invalid") errors.maxDuration = "Use a duration like 250ms, 1.5s or 2m";
  if (typeof min === "number" && typeof max === "number" && min > max) {
    errors.maxDuration = "Max duration is below min duration";
  }
  const limit = fields.limit.trim();
  if (limit !== "" && (!/^\d+$/.test(limit) || Number(limit) < 1 || Number(limit) > MAX_LIMIT)) {
    errors.limit = `Use a whole number from 1 to ${MAX_LIMIT.toLocaleString("en-US")}`;
  }
  return errors;
}

function checkDuration(text: string): number | "invalid" | null {
  if (text.trim() === "") return null;
  return parseDurationUs(text) ?? "invalid";
}
