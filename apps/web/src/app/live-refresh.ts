/**
 * How the shell's `refresh` setting reaches react-query. A query that shows live telemetry spreads
 * `useLiveQueryOptions()` into its options:
 * - `10s` / `30s`: `refetchInterval` (react-query polls only while the query is on screen);
 * - `live`: no polling; `meta.live` marks the query, and `LiveEvents` (mounted once in the shell) invalidates the
 *   marked queries when `/api/events` announces new data, at most once per LIVE_MIN_GAP_MS;
 * - `off` or a replayed window (`end` set): neither. A past window's data does not change.
 */

import { refreshIntervalMs } from "./shell-url";
import { useShellState } from "./useShellState";

/** The `meta` that marks a query as refreshed by live events. */
export const LIVE_QUERY_META = { live: true } as const;

export interface LiveQueryOptions {
  refetchInterval: number | false;
  meta: typeof LIVE_QUERY_META;
}

export function useLiveQueryOptions(): LiveQueryOptions {
  const [shell] = useShellState();
  return { refetchInterval: refreshIntervalMs(shell), meta: LIVE_QUERY_META };
}

/** True for a query that asked to be refreshed by live events. */
export function isLiveQuery(query: { meta?: Record<string, unknown> | undefined }): boolean {
  return query.meta?.live === true;
}
