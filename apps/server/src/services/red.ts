/**
 * RED numbers (rate, errors, duration) of any set of Istio series: the same arithmetic as a graph edge
 * (graph/edge-metrics.ts), done per protocol and added up, because one service can take HTTP and gRPC at once.
 * Every input is a per-second rate over one window, so sums of them are rates too.
 */

import type { GraphProtocol } from "@meshscope/model";
import { edgeMetrics, protocolOf } from "../graph/edge-metrics.js";
import { addTally, emptyTally, type RequestTally } from "../graph/health.js";
import { histogramQuantile, sumBuckets } from "../metrics/histogram.js";
import type { EdgeTraffic } from "../metrics/metric-reader.js";

export interface Red {
  /** HTTP + gRPC requests/s (TCP carries no requests). */
  rps: number;
  /** Fraction 0–1 of rps; 0 without requests. */
  errorRate: number;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  /** The split health thresholds need (graph/health.ts). */
  tally: RequestTally;
  hasTcp: boolean;
}

function quantileOrNull(q: number, buckets: ReturnType<typeof sumBuckets>): number | null {
  const v = histogramQuantile(q, buckets);
  return Number.isFinite(v) ? v : null;
}

export function redOf(series: readonly EdgeTraffic[]): Red {
  const byProtocol = new Map<GraphProtocol, EdgeTraffic[]>();
  for (const t of series) {
    const p = protocolOf(t);
    const list = byProtocol.get(p);
    if (list) list.push(t);
    else byProtocol.set(p, [t]);
  }
  const tally = emptyTally();
  let rps = 0;
  let errors = 0;
  for (const [protocol, list] of byProtocol) {
    if (protocol === "tcp") continue;
    const m = edgeMetrics(protocol, list);
    rps += m.rps;
    errors += m.errorRate * m.rps;
    addTally(tally, m.tally);
  }
  // histogram_quantile over sum(rate(..._bucket)) by (le): TCP series carry no duration buckets.
  const buckets = sumBuckets(series.map((t) => t.durationBuckets));
  return {
    rps,
    errorRate: rps > 0 ? errors / rps : 0,
    p50Ms: quantileOrNull(0.5, buckets),
    p95Ms: quantileOrNull(0.95, buckets),
    p99Ms: quantileOrNull(0.99, buckets),
    tally,
    hasTcp: byProtocol.has("tcp"),
  };
}
