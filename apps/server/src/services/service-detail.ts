/**
 * `GET /api/services/{namespace}/{service}`: health, versions, workloads and RED time series of one service,
 * inbound (`reporter="destination"`: the serving proxies' view, each request once) and outbound
 * (`reporter="source"`: the calls its workloads make, as their own proxies saw them, client-side failures
 * included). Each point is `sum(rate(...[rateWindow]))` at its time, as a Prometheus range query gives it.
 */
import type { RedBreakdown, RedPoint, ServiceDetailResponse, ServiceSource } from "@meshscope/model";
import { DEFAULT_HEALTH_THRESHOLDS, type HealthThresholds } from "../graph/health.js";
import type { EdgeKey } from "../metrics/edge-key.js";
import type { EdgeTraffic, MetricReader, SeriesPoint } from "../metrics/metric-reader.js";
import type { TraceReader } from "../store/trace-store.js";
import { proxySpanServiceName } from "../traces/proxy-span-service.js";
import { redOf } from "./red.js";
import { serviceHealth } from "./service-health.js";
import {
  destinationVersionOf,
  destinationWorkloadOf,
  isInbound,
  isOutbound,
  type ServiceRef,
  sourceVersionOf,
  sourceWorkloadOf,
} from "./service-match.js";

/** Prometheus refuses range queries of more than 11,000 points; so does the metric reader. */
export const MAX_POINTS = 11_000;

export interface ServiceDetailQuery {
  endUs: number;
  windowSeconds: number;
  stepSeconds: number;
  /** The `rate()` range of each point, seconds (≥ stepSeconds so consecutive points cover every sample). */
  rateWindowSeconds: number;
}

export interface ServiceDetailDeps {
  traces: TraceReader;
  metrics?: MetricReader;
  thresholds?: HealthThresholds;
}

/**
 * Step and rate window from the window and the scrape interval: Grafana's `$__rate_interval` reasoning — a rate
 * needs two samples, so its range spans at least 4 scrape intervals and at least step + one interval.
 */
export function defaultStepSeconds(windowSeconds: number, scrapeIntervalSeconds: number): number {
  return Math.max(Math.ceil(windowSeconds / 30), Math.ceil(scrapeIntervalSeconds));
}

export function rateWindowSeconds(stepSeconds: number, scrapeIntervalSeconds: number): number {
  return Math.max(stepSeconds + scrapeIntervalSeconds, 4 * scrapeIntervalSeconds);
}

interface Side {
  matches: (k: EdgeKey) => boolean;
  version: (k: EdgeKey) => string | null;
  workload: (k: EdgeKey) => string | null;
}

function breakdown(points: readonly SeriesPoint[], side: Side): RedBreakdown {
  const perPoint = points.map((p) => ({ tUs: p.tMs * 1000, edges: p.edges.filter((t) => side.matches(t.key)) }));
  const versions = new Set<string>();
  const workloads = new Set<string>();
  for (const p of perPoint) {
    for (const t of p.edges) {
      const v = side.version(t.key);
      const w = side.workload(t.key);
      if (v !== null) versions.add(v);
      if (w !== null) workloads.add(w);
    }
  }
  const series = (pick: (t: EdgeTraffic) => boolean): RedPoint[] =>
    perPoint.map((p) => {
      const red = redOf(p.edges.filter(pick));
      return { t: p.tUs, rps: red.rps, errorRate: red.errorRate, p50Ms: red.p50Ms, p95Ms: red.p95Ms, p99Ms: red.p99Ms };
    });
  const byVersion: Record<string, RedPoint[]> = {};
  for (const v of [...versions].sort()) byVersion[v] = series((t) => side.version(t.key) === v);
  const byWorkload: Record<string, RedPoint[]> = {};
  for (const w of [...workloads].sort()) byWorkload[w] = series((t) => side.workload(t.key) === w);
  return { total: series(() => true), byVersion, byWorkload };
}

/** The service's detail, or null when neither the window's metrics nor the spans know it (→ 404). */
export function serviceDetail(
  deps: ServiceDetailDeps,
  ref: ServiceRef,
  q: ServiceDetailQuery,
): ServiceDetailResponse | null {
  const endMs = q.endUs / 1000;
  const startMs = endMs - q.windowSeconds * 1000;
  const namespaces = [ref.namespace];
  const window = deps.metrics ? deps.metrics.edgeTraffic({ startMs, endMs, namespaces }) : [];
  const inboundAll = window.filter((t) => isInbound(t.key, ref));
  // Its own spans, or its sidecars' (traces/proxy-span-service.ts).
  const proxyName = proxySpanServiceName(ref.service, ref.namespace);
  const spanServices = deps.traces.listServices();
  const ownSpans = spanServices.some(
    (s) => s.name === ref.service && (s.namespace === null || s.namespace === ref.namespace),
  );
  const traceService = !ownSpans && spanServices.some((s) => s.name === proxyName) ? proxyName : undefined;
  const traced = ownSpans || traceService !== undefined;
  const inMesh = inboundAll.length > 0;
  if (!inMesh && !traced) return null;
  const source: ServiceSource = inMesh && traced ? "both" : inMesh ? "mesh" : "traces";

  const workloadSet = new Set<string>();
  const versionSet = new Set<string>();
  for (const t of inboundAll) {
    const w = destinationWorkloadOf(t.key);
    const v = destinationVersionOf(t.key);
    if (w !== null) workloadSet.add(w);
    if (v !== null) versionSet.add(v);
  }
  const th = deps.thresholds ?? DEFAULT_HEALTH_THRESHOLDS;
  const health = inMesh
    ? serviceHealth(redOf(inboundAll.filter((t) => t.key.reporter === "destination")), th)
    : "unknown";

  // Points at end, end − step, …: floor(window / step) of them, the first one step after the window's start.
  const stepMs = q.stepSeconds * 1000;
  const count = Math.max(1, Math.floor(q.windowSeconds / q.stepSeconds));
  const range = { startMs: endMs - (count - 1) * stepMs, endMs, stepMs, windowMs: q.rateWindowSeconds * 1000 };
  const read = (reporter: string): SeriesPoint[] =>
    deps.metrics ? deps.metrics.seriesOverTime({ ...range, namespaces, reporter }) : [];
  const inbound = breakdown(read("destination"), {
    matches: (k) => isInbound(k, ref),
    version: destinationVersionOf,
    workload: destinationWorkloadOf,
  });
  const outbound = breakdown(read("source"), {
    matches: (k) => isOutbound(k, ref, workloadSet),
    version: sourceVersionOf,
    workload: sourceWorkloadOf,
  });
  return {
    service: ref.service,
    namespace: ref.namespace,
    source,
    ...(traceService !== undefined ? { traceService } : {}),
    health,
    versions: [...versionSet].sort(),
    workloads: [...workloadSet].sort(),
    window: { start: startMs * 1000, end: q.endUs },
    stepSeconds: q.stepSeconds,
    rateWindowSeconds: q.rateWindowSeconds,
    inbound,
    outbound,
  };
}
