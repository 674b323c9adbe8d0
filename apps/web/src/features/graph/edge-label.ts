/**
 * The text on an edge for the chosen label parts (Kiali's edge labels, kiali.md §1.3): parts are joined with
 * " | "; the error part shows only when there are errors and the share only when it is neither 0 nor 100%, as
 * in Kiali, so a healthy single-path mesh stays quiet.
 */

import { formatBytesPerSec, formatMs, formatPercent, formatRps } from "./format";
import type { EdgeView, GraphModel } from "./graph-model";
import type { EdgeLabel } from "./url";

/** Envoy flags of requests a circuit breaker turned away: upstream overflow, no healthy upstream. */
const BREAKER_FLAGS = ["UO", "UH"];

/** Kiali's "circuit breaker tripped": the target has a circuit breaker and the edge shows UO or UH responses. */
export function breakerTripped(model: GraphModel, view: EdgeView): boolean {
  const target = model.nodeById.get(view.edge.target);
  if (!target?.node.badges.includes("circuitBreaker")) return false;
  return BREAKER_FLAGS.some((f) => (view.edge.flags[f] ?? 0) > 0);
}

function part(view: EdgeView, label: EdgeLabel): string | null {
  const e = view.edge;
  const tcp = e.protocol === "tcp";
  switch (label) {
    case "rps":
      if (tcp) {
        const bytes = e.tcpSentBytesPerSec + e.tcpReceivedBytesPerSec;
        return bytes > 0 ? formatBytesPerSec(bytes) : null;
      }
      return e.rps > 0 ? `${formatRps(e.rps)} rps` : null;
    case "err":
      return !tcp && e.errorRate > 0 ? `${formatPercent(e.errorRate)} err` : null;
    case "p95":
      return e.p95Ms === null ? null : `p95 ${formatMs(e.p95Ms)}`;
    case "p99":
      return e.p99Ms === null ? null : `p99 ${formatMs(e.p99Ms)}`;
    case "share":
      return view.share !== null && view.share > 0 && view.share < 1 ? formatPercent(view.share) : null;
    case "mtls":
      if (e.mtls === null || e.mtls <= 0) return null;
      return e.mtls >= 0.9995 ? "mTLS" : `mTLS ${formatPercent(e.mtls)}`;
  }
}

export function edgeLabel(model: GraphModel, view: EdgeView, labels: readonly EdgeLabel[]): string {
  const parts: string[] = [];
  if (breakerTripped(model, view)) parts.push("CB tripped");
  for (const label of labels) {
    const text = part(view, label);
    if (text !== null) parts.push(text);
  }
  return parts.join(" | ");
}
