import { formatTimestampUs } from "../../format/time";

/** A wall-clock time (µs since the epoch) for status lines: `14:03:07` today, `2025-11-26 14:03:07` otherwise. */
export function formatTime(us: number, nowMs = Date.now()): string {
  const full = formatTimestampUs(us).slice(0, 19);
  const today = formatTimestampUs(nowMs * 1000).slice(0, 10);
  return full.startsWith(today) ? full.slice(11) : full;
}
