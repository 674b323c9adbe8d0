/**
 * `GET /api/services`: every service known from Istio metrics in the window (any reporter, so services only a
 * client proxy saw are listed too) merged with every service that sent spans. Mesh numbers come from the
 * destination proxy's reports (`reporter="destination"`), each request counted once.
 *
 * Merging: a trace service matches the mesh service of the same name in the same namespace; a trace service
 * without `service.namespace` matches a mesh service of that name when exactly one namespace has one (plain
 * OpenTelemetry SDKs rarely set the namespace, Istio always knows it); and spans of Istio's sidecars, named
 * `<service>.<namespace>`, belong to that mesh service.
 */
import type { ServiceListResponse, ServiceSummary } from "@meshscope/model";
import { DEFAULT_HEALTH_THRESHOLDS, type HealthThresholds } from "../graph/health.js";
import type { EdgeTraffic, MetricReader } from "../metrics/metric-reader.js";
import type { TraceReader } from "../store/trace-store.js";
import { proxySpanService } from "../traces/proxy-span-service.js";
import { redOf } from "./red.js";
import { serviceHealth } from "./service-health.js";
import { destinationServiceOf, destinationVersionOf, destinationWorkloadOf } from "./service-match.js";

export interface ListServicesQuery {
  startUs: number;
  endUs: number;
  /** Only services in these namespaces (trace services without a namespace only when absent). */
  namespaces?: readonly string[];
}

export interface ListServicesDeps {
  traces: TraceReader;
  metrics?: MetricReader;
  thresholds?: HealthThresholds;
}

interface MeshService {
  namespace: string;
  name: string;
  destinationReports: EdgeTraffic[];
  versions: Set<string>;
  workloads: Set<string>;
}

function meshServices(metrics: MetricReader, q: ListServicesQuery): Map<string, MeshService> {
  const edges = metrics.edgeTraffic({
    startMs: q.startUs / 1000,
    endMs: q.endUs / 1000,
    ...(q.namespaces && q.namespaces.length > 0 ? { namespaces: q.namespaces } : {}),
  });
  const byKey = new Map<string, MeshService>();
  for (const t of edges) {
    const ref = destinationServiceOf(t.key);
    if (ref === null) continue;
    const id = `${ref.namespace}\u0000${ref.service}`;
    let s = byKey.get(id);
    if (!s) {
      s = {
        namespace: ref.namespace,
        name: ref.service,
        destinationReports: [],
        versions: new Set(),
        workloads: new Set(),
      };
      byKey.set(id, s);
    }
    if (t.key.reporter === "destination") s.destinationReports.push(t);
    const version = destinationVersionOf(t.key);
    const workload = destinationWorkloadOf(t.key);
    if (version !== null) s.versions.add(version);
    if (workload !== null) s.workloads.add(workload);
  }
  return byKey;
}

function summaryOf(s: MeshService, th: HealthThresholds): ServiceSummary {
  const red = redOf(s.destinationReports);
  return {
    name: s.name,
    namespace: s.namespace,
    source: "mesh",
    health: serviceHealth(red, th),
    inboundRps: red.rps,
    errorRate: red.errorRate,
    p95Ms: red.p95Ms,
    versions: [...s.versions].sort(),
    workloads: [...s.workloads].sort(),
  };
}

function traceOnly(name: string, namespace: string | null): ServiceSummary {
  // No proxy metrics: no request health until trace-derived RED exists for it.
  return {
    name,
    namespace,
    source: "traces",
    health: "unknown",
    inboundRps: 0,
    errorRate: 0,
    p95Ms: null,
    versions: [],
    workloads: [],
  };
}

/** The mesh service whose sidecars sent spans under `name` (traces/proxy-span-service.ts). */
function proxyServiceRow(rows: Map<string, ServiceSummary>, name: string): ServiceSummary | undefined {
  const proxy = proxySpanService(name);
  return proxy === null ? undefined : rows.get(`${proxy.namespace}\u0000${proxy.service}`);
}

export function listServices(deps: ListServicesDeps, q: ListServicesQuery): ServiceListResponse {
  const th = deps.thresholds ?? DEFAULT_HEALTH_THRESHOLDS;
  const mesh = deps.metrics ? meshServices(deps.metrics, q) : new Map<string, MeshService>();
  const rows = new Map<string, ServiceSummary>();
  const namespacesByName = new Map<string, string[]>();
  for (const [id, s] of mesh) {
    rows.set(id, summaryOf(s, th));
    namespacesByName.set(s.name, [...(namespacesByName.get(s.name) ?? []), s.namespace]);
  }
  const filter = q.namespaces && q.namespaces.length > 0 ? new Set(q.namespaces) : null;
  for (const entry of deps.traces.listServices()) {
    const proxy = proxyServiceRow(rows, entry.name);
    if (proxy !== undefined) {
      proxy.source = "both";
      proxy.traceService = entry.name;
      continue;
    }
    let namespace = entry.namespace;
    if (namespace === null) {
      const candidates = namespacesByName.get(entry.name) ?? [];
      if (candidates.length === 1) namespace = candidates[0] ?? null;
    }
    if (filter !== null && (namespace === null || !filter.has(namespace))) continue;
    const id = `${namespace ?? ""}\u0000${entry.name}`;
    const row = namespace === null ? undefined : rows.get(id);
    if (row) row.source = "both";
    else rows.set(`${namespace === null ? "\u0001" : namespace}\u0000${entry.name}`, traceOnly(entry.name, namespace));
  }
  const services = [...rows.values()].sort(
    (a, b) => (a.namespace ?? "").localeCompare(b.namespace ?? "") || a.name.localeCompare(b.name),
  );
  return { window: { start: q.startUs, end: q.endUs }, services };
}
