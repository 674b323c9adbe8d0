/** Number formats of the graph: short enough for a canvas label, exact enough to compare two edges. */

/** Requests/s: 3 significant digits below 100, whole numbers above (`0.05`, `2.50`, `12.3`, `240`). */
export function formatRps(rps: number): string {
  if (rps === 0) return "0";
  if (rps >= 100) return Math.round(rps).toString();
  if (rps >= 10) return rps.toFixed(1);
  if (rps >= 0.01) return rps.toFixed(2);
  return "<0.01";
}

/** A fraction 0–1 as a percentage with one decimal (`4.5%`), or `<0.1%` for tiny non-zero values. */
export function formatPercent(fraction: number): string {
  const p = fraction * 100;
  if (p === 0) return "0%";
  if (p < 0.1) return "<0.1%";
  if (p >= 99.95 && p < 100) return ">99.9%";
  return `${p >= 10 ? p.toFixed(0) : p.toFixed(1)}%`;
}

/** Milliseconds as Kiali writes response times: `123ms`, `1.23s`. */
export function formatMs(ms: number): string {
  if (ms >= 1000) return `${(ms / 1000).toFixed(ms >= 10_000 ? 1 : 2)}s`;
  if (ms >= 10) return `${Math.round(ms)}ms`;
  return `${ms.toFixed(1)}ms`;
}

/** Bytes/s with SI units (`512B/s`, `1.2kB/s`, `3.4MB/s`). */
export function formatBytesPerSec(bps: number): string {
  if (bps < 1000) return `${Math.round(bps)}B/s`;
  if (bps < 1_000_000) return `${(bps / 1000).toFixed(1)}kB/s`;
  return `${(bps / 1_000_000).toFixed(1)}MB/s`;
}
