/**
 * What the mesh is known to run, from the Istio metrics: services and the workloads (with the `app`/`version`
 * labels DestinationRule subsets select on) that served or sent traffic recently. Validation uses it for
 * "unknown host" and "subset labels match no workload"; wizards for a service's versions.
 *
 * No traffic in the window means nothing is known, not that nothing exists: the inventory is then absent and the
 * checks that need it are skipped (ValidationContext), rather than flagging every host as unknown.
 */
import type { KnownService, KnownVersion, KnownWorkload } from "@meshscope/mesh-config";
import type { EdgeKey } from "../metrics/edge-key.js";
import type { MetricReader } from "../metrics/metric-reader.js";
import { destinationServiceOf, destinationVersionOf, known, sourceVersionOf } from "../services/service-match.js";

export interface Inventory {
  workloads: KnownWorkload[];
  services: KnownService[];
  /** Versions behind each service, keyed `namespace/service`. */
  versions: Map<string, KnownVersion[]>;
}

/** Long enough to know services that get a request every few minutes; recent enough to be in memory. */
export const INVENTORY_WINDOW_MS = 10 * 60_000;

function labels(app: string, version: string | null): Record<string, string> {
  const out: Record<string, string> = {};
  if (known(app)) out.app = app;
  if (version !== null) out.version = version;
  return out;
}

function addWorkload(into: Map<string, KnownWorkload>, namespace: string, name: string, l: Record<string, string>) {
  if (!known(namespace) || !known(name)) return;
  const key = `${namespace}/${name}`;
  if (!into.has(key)) into.set(key, { namespace, name, labels: l });
}

function addVersion(into: Map<string, KnownVersion[]>, k: EdgeKey): void {
  const svc = destinationServiceOf(k);
  const version = destinationVersionOf(k);
  if (svc === null || version === null) return;
  const key = `${svc.namespace}/${svc.service}`;
  const list = into.get(key) ?? [];
  if (!list.some((v) => v.version === version)) list.push({ version, labels: { version } });
  into.set(key, list);
}

export function readInventory(metrics: MetricReader, nowMs: number): Inventory | null {
  const edges = metrics.edgeTraffic({ startMs: nowMs - INVENTORY_WINDOW_MS, endMs: nowMs });
  if (edges.length === 0) return null;
  const workloads = new Map<string, KnownWorkload>();
  const services = new Map<string, KnownService>();
  const versions = new Map<string, KnownVersion[]>();
  for (const { key: k } of edges) {
    const svc = destinationServiceOf(k);
    if (svc !== null) services.set(`${svc.namespace}/${svc.service}`, { namespace: svc.namespace, name: svc.service });
    const destApp = known(k.destinationCanonicalService) ? k.destinationCanonicalService : k.destinationApp;
    addWorkload(workloads, k.destinationNamespace, k.destinationWorkload, labels(destApp, destinationVersionOf(k)));
    const srcApp = known(k.sourceCanonicalService) ? k.sourceCanonicalService : k.sourceApp;
    addWorkload(workloads, k.sourceNamespace, k.sourceWorkload, labels(srcApp, sourceVersionOf(k)));
    addVersion(versions, k);
  }
  for (const list of versions.values()) list.sort((a, b) => a.version.localeCompare(b.version));
  return { workloads: [...workloads.values()], services: [...services.values()], versions };
}
