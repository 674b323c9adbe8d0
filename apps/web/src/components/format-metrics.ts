/**
 * Numbers of the RED metrics as the console prints them. Rates are requests/s, error ratios fractions 0–1
 * (API units), latencies ms. Small non-zero values never print as 0, so "some errors" cannot read as "none".
 */
import { groupThousands } from "../format/count";

export function formatRps(rps: number): string {
  if (rps === 0) return "0";
  if (rps < 0.01) return "<0.01";
  if (rps < 10) return rps.toFixed(2);
  if (rps < 100) return rps.toFixed(1);
  return groupThousands(Math.round(rps));
}

export function formatPercent(fraction: number): string {
  if (fraction === 0) return "0%";
  const pct = fraction * 100;
  if (pct < 0.1) return "<0.1%";
  if (pct >= 99.95 && fraction < 1) return ">99.9%";
  return `${pct < 10 ? pct.toFixed(1) : pct.toFixed(pct >= 100 ? 0 : 1)}%`;
}

export function formatMs(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return "—";
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 100) return `${ms.toFixed(1)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

/** Axis ticks: short, trailing zeros dropped (`2.5`, `10`, `1.2k`). */
export function tickNumber(v: number): string {
  if (v === 0) return "0";
  if (Math.abs(v) >= 1000) return `${trim((v / 1000).toFixed(1))}k`;
  return trim(v.toFixed(Math.abs(v) < 1 ? 3 : 2));
}

export function tickPercent(fraction: number): string {
  return `${trim((fraction * 100).toFixed(fraction < 0.01 ? 2 : 1))}%`;
}

export function tickMs(ms: number): string {
  return ms >= 1000 ? `${tickNumber(ms / 1000)} s` : `${tickNumber(ms)} ms`;
}

function trim(text: string): string {
  return text.includes(".") ? text.replace(/\.?0+$/, "") : text;
}
