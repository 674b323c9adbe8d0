/**
 * Durations arrive from the API in µs (DESIGN §5). Shown with three significant digits in the largest unit that
 * keeps the number ≥ 1, as Jaeger does: 850µs, 12.3ms, 1.25s, 2m 5s.
 */
export function formatDurationUs(us: number): string {
  if (!Number.isFinite(us) || us < 0) return "–";
  if (us < 1_000) return `${trim(us)}µs`;
  if (us < 1_000_000) return `${trim(us / 1_000)}ms`;
  if (us < 60_000_000) return `${trim(us / 1_000_000)}s`;
  const totalSeconds = Math.round(us / 1_000_000);
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  return hours > 0 ? `${hours}h ${minutes}m` : `${minutes}m ${seconds}s`;
}

/** Three significant digits without trailing zeros: 1.50 → "1.5", 12.34 → "12.3", 123.4 → "123". */
function trim(value: number): string {
  return String(Number(value.toPrecision(3)));
}
