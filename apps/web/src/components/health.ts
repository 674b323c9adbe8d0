/**
 * Health as Kiali shows it (reference kiali.md §2.4): a label and an icon next to the colour, so the state reads
 * without colour vision. The colours are CSS variables (`--health-*`, styles/theme.css), one set per theme.
 */
import type { HealthStatus } from "@meshscope/model";

export const HEALTH_ORDER: readonly HealthStatus[] = ["failure", "degraded", "healthy", "idle", "unknown"];

export const HEALTH_LABEL: Record<HealthStatus, string> = {
  failure: "Failure",
  degraded: "Degraded",
  healthy: "Healthy",
  idle: "Idle",
  unknown: "No data",
};

export const HEALTH_ICON: Record<HealthStatus, string> = {
  failure: "✖",
  degraded: "▲",
  healthy: "✔",
  idle: "○",
  unknown: "?",
};

/** Worse first: failure 4 > degraded 3 > healthy 2 > idle 1 > unknown 0 (Kiali's HealthStatusPriority, with idle). */
export function healthRank(h: HealthStatus): number {
  return { failure: 4, degraded: 3, healthy: 2, idle: 1, unknown: 0 }[h];
}

export function healthColorVar(h: HealthStatus): string {
  return `var(--health-${h})`;
}
