/**
 * The page state the graph shares with the app shell, read from the same query-string keys the shell's
 * controls write: `window` (seconds), `namespaces` (comma list) and `refresh`. Reading them here, rather than
 * importing the shell, keeps the graph a link that works on its own (`/graph?window=900&namespaces=bookinfo`).
 */

/** The API's default window (GraphQuery: 300 s) and its bounds (1 s to 30 days). */
export const DEFAULT_WINDOW_SECONDS = 300;
const MAX_WINDOW_SECONDS = 30 * 86_400;

/** How the graph refetches: never, on a period, or when `/api/events` announces data (the shell's LiveEvents). */
export type RefreshMode = { kind: "paused" } | { kind: "interval"; ms: number } | { kind: "live" };

/** Without a `refresh` key the graph refreshes every 30 s, the shell's middle choice (issue #5 scope 1). */
export const DEFAULT_REFRESH: RefreshMode = { kind: "interval", ms: 30_000 };

export interface PageTime {
  windowSeconds: number;
  /** Empty = all namespaces. */
  namespaces: string[];
  refresh: RefreshMode;
}

export function readPageTime(params: URLSearchParams): PageTime {
  const window = params.get("window") ?? "";
  const seconds = /^\d+$/.test(window) ? Number(window) : Number.NaN;
  return {
    windowSeconds: seconds >= 1 && seconds <= MAX_WINDOW_SECONDS ? seconds : DEFAULT_WINDOW_SECONDS,
    namespaces: (params.get("namespaces") ?? "")
      .split(",")
      .map((n) => n.trim())
      .filter((n) => n !== ""),
    refresh: parseRefresh(params.get("refresh")),
  };
}

/** Accepts the shell's `off`, `10s`, `30s`, `live`, and also `paused`, `0`, `1m` or plain seconds. */
export function parseRefresh(text: string | null): RefreshMode {
  if (text === null || text.trim() === "") return DEFAULT_REFRESH;
  const value = text.trim().toLowerCase();
  if (value === "paused" || value === "pause" || value === "off" || value === "0") return { kind: "paused" };
  if (value === "live") return { kind: "live" };
  const m = /^(\d+)(s|m)?$/.exec(value);
  if (!m) return DEFAULT_REFRESH;
  const ms = Number(m[1]) * (m[2] === "m" ? 60_000 : 1_000);
  return ms > 0 ? { kind: "interval", ms } : { kind: "paused" };
}

/**
 * The polling period react-query should use, or false when the graph must not poll: paused, replaying (a past
 * window gives the same answer every time) or live (the shell's LiveEvents refetches queries marked live).
 */
export function refetchPeriodMs(refresh: RefreshMode, replaying: boolean): number | false {
  if (replaying || refresh.kind !== "interval") return false;
  return refresh.ms;
}
