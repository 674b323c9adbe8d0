/**
 * Istio's sidecars name their spans' service `<canonical service>.<namespace>` (its default tracing config,
 * istio.md §3), e.g. `reviews.bookinfo`; Kiali searches Jaeger by that name too. These two functions are the one
 * place that naming is known: the graph (trace-derived edges) and the service pages use them to tie a proxy's
 * spans to the mesh service its metrics describe.
 */

/** The span service name Istio's sidecars give a mesh service. */
export function proxySpanServiceName(service: string, namespace: string): string {
  return `${service}.${namespace}`;
}

/** The mesh service a span service name may stand for, or null when it has no `.<namespace>` suffix. */
export function proxySpanService(name: string): { service: string; namespace: string } | null {
  const dot = name.lastIndexOf(".");
  if (dot <= 0 || dot === name.length - 1) return null;
  return { service: name.slice(0, dot), namespace: name.slice(dot + 1) };
}
