/**
 * Deep links of the services feature (DESIGN §5: `/services/{namespace}/{service}`), and the list's sort order
 * (`?sort=rps`, `?sort=-errors`: a leading `-` sorts descending).
 *
 * Spans from plain OpenTelemetry services often carry no namespace. Such a service lives under the path segment
 * "-": Kubernetes namespace names are DNS labels, which must start with a letter or digit, so "-" cannot collide
 * with a real namespace.
 */
import type { ServiceSummary } from "@meshscope/model";
import { healthRank } from "../../components/health";

export const NO_NAMESPACE_SEGMENT = "-";

export function serviceDetailPath(namespace: string | null, service: string): string {
  const ns = namespace ?? NO_NAMESPACE_SEGMENT;
  return `/services/${encodeURIComponent(ns)}/${encodeURIComponent(service)}`;
}

/** The namespace a route segment names: null for the "-" placeholder. */
export function namespaceFromSegment(segment: string): string | null {
  return segment === NO_NAMESPACE_SEGMENT ? null : segment;
}

export const SORT_KEYS = ["name", "namespace", "health", "rps", "errors", "p95"] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export interface SortOrder {
  key: SortKey;
  descending: boolean;
}

export const DEFAULT_SORT: SortOrder = { key: "name", descending: false };

export function readSort(params: URLSearchParams): SortOrder {
  const raw = params.get("sort") ?? "";
  const descending = raw.startsWith("-");
  const key = SORT_KEYS.find((k) => k === (descending ? raw.slice(1) : raw));
  return key ? { key, descending } : DEFAULT_SORT;
}

/** `params` with the sort written (the default removed); other keys are kept. */
export function writeSort(params: URLSearchParams, sort: SortOrder): URLSearchParams {
  const next = new URLSearchParams(params);
  if (sort.key === DEFAULT_SORT.key && sort.descending === DEFAULT_SORT.descending) next.delete("sort");
  else next.set("sort", `${sort.descending ? "-" : ""}${sort.key}`);
  return next;
}

/** Numbers sort biggest first on the first click (what people look for: the busiest, the most failing). */
export function naturalDescending(key: SortKey): boolean {
  return key === "rps" || key === "errors" || key === "p95" || key === "health";
}

function compareBy(key: SortKey, a: ServiceSummary, b: ServiceSummary): number {
  switch (key) {
    case "name":
      return a.name.localeCompare(b.name);
    case "namespace":
      return (a.namespace ?? "").localeCompare(b.namespace ?? "");
    case "health":
      return healthRank(a.health) - healthRank(b.health);
    case "rps":
      return a.inboundRps - b.inboundRps;
    case "errors":
      return a.errorRate - b.errorRate;
    case "p95":
      // No latency sorts below any latency.
      return (a.p95Ms ?? -1) - (b.p95Ms ?? -1);
  }
}

/** Sorted copy; ties fall back to namespace then name, so the order is stable across refreshes. */
export function sortServices(services: readonly ServiceSummary[], sort: SortOrder): ServiceSummary[] {
  const sign = sort.descending ? -1 : 1;
  return [...services].sort(
    (a, b) =>
      sign * compareBy(sort.key, a, b) ||
      (a.namespace ?? "").localeCompare(b.namespace ?? "") ||
      a.name.localeCompare(b.name),
  );
}
