/**
 * The console-wide view state that lives in the query string of every metrics page (DESIGN §5: page state in the
 * URL), shared by the shell header, the overview, the services pages and the graph:
 *
 * - `window`: the time window in whole seconds (default 300, 1 s to 30 days as the API accepts);
 * - `end`: the window's end in µs since the epoch; absent = "now" (a replay of a past window when present);
 * - `namespaces`: a comma-separated list; absent or empty = every namespace;
 * - `refresh`: `off`, `10s`, `30s` or `live` (refetch on `/api/events` announcements); default `30s`.
 *
 * Defaults are left out of the URL so links stay short; anything that does not parse falls back to the default
 * rather than failing the page (a hand-edited link should still open). Keys of other features (`type`,
 * `selected`, trace search fields) are never touched by these functions.
 */

export const SHELL_KEYS = ["window", "end", "namespaces", "refresh"] as const;

export const REFRESH_MODES = ["off", "10s", "30s", "live"] as const;
export type RefreshMode = (typeof REFRESH_MODES)[number];

export interface ShellState {
  windowSeconds: number;
  /** µs since the epoch; null = the window ends now and moves with each refresh. */
  endUs: number | null;
  /** Sorted, deduplicated; empty = all namespaces. */
  namespaces: string[];
  refresh: RefreshMode;
}

export const DEFAULT_WINDOW_SECONDS = 300;
export const DEFAULT_REFRESH: RefreshMode = "30s";
/** The API's limit (`secondsParam` in @meshscope/model): 30 days, the longest window Kiali offers. */
export const MAX_WINDOW_SECONDS = 30 * 86_400;

export const DEFAULT_SHELL_STATE: ShellState = {
  windowSeconds: DEFAULT_WINDOW_SECONDS,
  endUs: null,
  namespaces: [],
  refresh: DEFAULT_REFRESH,
};

/** The window presets of the header (issue #5: 1m, 5m, 15m, 1h, 6h); any other value shows as "custom". */
export const WINDOW_PRESETS: readonly { seconds: number; label: string }[] = [
  { seconds: 60, label: "Last 1m" },
  { seconds: 300, label: "Last 5m" },
  { seconds: 900, label: "Last 15m" },
  { seconds: 3600, label: "Last 1h" },
  { seconds: 21_600, label: "Last 6h" },
];

/** Refresh interval in ms for react-query's `refetchInterval`; false when not polling (off, live, replay). */
export function refreshIntervalMs(state: Pick<ShellState, "refresh" | "endUs">): number | false {
  if (state.endUs !== null) return false;
  if (state.refresh === "10s") return 10_000;
  if (state.refresh === "30s") return 30_000;
  return false;
}

function parseWindow(raw: string | null): number {
  if (raw === null || !/^\d+$/.test(raw)) return DEFAULT_WINDOW_SECONDS;
  const n = Number(raw);
  return n >= 1 && n <= MAX_WINDOW_SECONDS ? n : DEFAULT_WINDOW_SECONDS;
}

function parseEnd(raw: string | null): number | null {
  if (raw === null || !/^\d{1,16}$/.test(raw)) return null;
  const n = Number(raw);
  return Number.isSafeInteger(n) && n > 0 ? n : null;
}

export function parseNamespaces(raw: string | null): string[] {
  if (raw === null) return [];
  const names = raw
    .split(",")
    .map((n) => n.trim())
    .filter((n) => n.length > 0);
  return [...new Set(names)].sort();
}

function parseRefresh(raw: string | null): RefreshMode {
  return REFRESH_MODES.find((m) => m === raw) ?? DEFAULT_REFRESH;
}

export function readShellState(params: URLSearchParams): ShellState {
  return {
    windowSeconds: parseWindow(params.get("window")),
    endUs: parseEnd(params.get("end")),
    namespaces: parseNamespaces(params.get("namespaces")),
    refresh: parseRefresh(params.get("refresh")),
  };
}

/**
 * A copy of `params` with the shell keys set from `state` (defaults removed); every other key is kept, so the
 * graph's `type` or `selected` survive a change of the time window.
 */
export function writeShellState(params: URLSearchParams, state: ShellState): URLSearchParams {
  const next = new URLSearchParams(params);
  for (const key of SHELL_KEYS) next.delete(key);
  for (const [key, value] of shellEntries(state)) next.set(key, value);
  return next;
}

/** Only the shell keys, e.g. `window=900&namespaces=bookinfo`: what navigation links carry between pages. */
export function shellSearch(state: ShellState): string {
  return new URLSearchParams(shellEntries(state)).toString();
}

/** `path` with the shell state (and `extra` keys, e.g. `selected`) in its query string. */
export function pathWithShell(path: string, state: ShellState, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams(shellEntries(state));
  for (const [key, value] of Object.entries(extra)) params.set(key, value);
  const query = params.toString();
  return query ? `${path}?${query}` : path;
}

function shellEntries(state: ShellState): [string, string][] {
  const entries: [string, string][] = [];
  if (state.windowSeconds !== DEFAULT_WINDOW_SECONDS) entries.push(["window", String(state.windowSeconds)]);
  if (state.endUs !== null) entries.push(["end", String(state.endUs)]);
  if (state.namespaces.length > 0) entries.push(["namespaces", [...new Set(state.namespaces)].sort().join(",")]);
  if (state.refresh !== DEFAULT_REFRESH) entries.push(["refresh", state.refresh]);
  return entries;
}

/** The API's query parameters for this state (`window` s, `end` µs, `namespaces`); undefined = API default. */
export function shellApiParams(state: Pick<ShellState, "windowSeconds" | "endUs" | "namespaces">): {
  window: number;
  end?: number;
  namespaces?: string;
} {
  return {
    window: state.windowSeconds,
    ...(state.endUs !== null ? { end: state.endUs } : {}),
    ...(state.namespaces.length > 0 ? { namespaces: state.namespaces.join(",") } : {}),
  };
}

/** "5m", "1h", "2h 30m", "45s": the window as a person says it. */
export function formatWindow(seconds: number): string {
  const units: [number, string][] = [
    [86_400, "d"],
    [3600, "h"],
    [60, "m"],
    [1, "s"],
  ];
  const parts: string[] = [];
  let rest = seconds;
  for (const [size, unit] of units) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
    if (parts.length === 2) break;
  }
  return parts.join(" ") || "0s";
}

/** Parses what a person types for a custom window: `90s`, `45m`, `2h`, `1d`, `1h30m`, or plain seconds. */
export function parseWindowText(text: string): number | null {
  const trimmed = text.trim().replace(/\s+/g, "");
  if (/^\d+$/.test(trimmed)) return checkWindow(Number(trimmed));
  const re = /(\d+)(d|h|m|s)/gy;
  const factor = { d: 86_400, h: 3600, m: 60, s: 1 } as const;
  let total = 0;
  let consumed = 0;
  for (const m of trimmed.matchAll(re)) {
    const unit = m[2];
    if (unit !== "d" && unit !== "h" && unit !== "m" && unit !== "s") return null;
    total += Number(m[1]) * factor[unit];
    consumed += m[0].length;
  }
  if (consumed === 0 || consumed !== trimmed.length) return null;
  return checkWindow(total);
}

function checkWindow(seconds: number): number | null {
  return Number.isSafeInteger(seconds) && seconds >= 1 && seconds <= MAX_WINDOW_SECONDS ? seconds : null;
}
