/** Wall-clock times arrive from the API as µs since the epoch (DESIGN §5); the UI shows local time. */

function pad(value: number, width = 2): string {
  return String(value).padStart(width, "0");
}

/** `2025-11-26 14:03:07.123` in the browser's time zone (ms precision: µs are noise at this level). */
export function formatTimestampUs(us: number): string {
  const date = new Date(Math.floor(us / 1_000));
  if (Number.isNaN(date.getTime())) return "–";
  const day = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
  const time = `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
  return `${day} ${time}.${pad(date.getMilliseconds(), 3)}`;
}

/** "just now", "42s ago", "5m ago", "3h ago", "2d ago": relative to `nowMs` (ms since the epoch). */
export function formatAgo(us: number, nowMs: number): string {
  const seconds = Math.round((nowMs - us / 1_000) / 1_000);
  if (seconds < 5) return "just now";
  if (seconds < 60) return `${seconds}s ago`;
  if (seconds < 3_600) return `${Math.floor(seconds / 60)}m ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3_600)}h ago`;
  return `${Math.floor(seconds / 86_400)}d ago`;
}
