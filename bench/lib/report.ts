/** Plain-text tables for benchmark output. */
import { median } from "./stats.js";

export type Row = readonly string[];

export function table(header: Row, rows: readonly Row[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (r: Row) =>
    r
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

export function fmtInt(n: number): string {
  return Number.isFinite(n) ? Math.round(n).toLocaleString("en-US") : "n/a";
}

export function fmtFixed(n: number, digits: number): string {
  return Number.isFinite(n) ? n.toFixed(digits) : "n/a";
}

/** The median of some runs, with their range when there are several: `2,062 (1,997–2,545)`. */
export function spread(values: readonly number[]): string {
  if (values.length === 1) return fmtInt(values[0] as number);
  return `${fmtInt(median(values))} (${fmtInt(Math.min(...values))}–${fmtInt(Math.max(...values))})`;
}
