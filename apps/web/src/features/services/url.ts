/**
 * Deep links of the services feature (DESIGN §5: `/services/{namespace}/{service}`).
 *
 * Spans from plain OpenTelemetry services often carry no namespace. Such a service lives under the path segment
 * "-": Kubernetes namespace names are DNS labels, which must start with a letter or digit, so "-" cannot collide
 * with a real namespace.
 */
export const NO_NAMESPACE_SEGMENT = "-";

export function serviceDetailPath(namespace: string | null, service: string): string {
  const ns = namespace ?? NO_NAMESPACE_SEGMENT;
  return `/services/${encodeURIComponent(ns)}/${encodeURIComponent(service)}`;
}

/** The namespace a route segment names: null for the "-" placeholder. */
export function namespaceFromSegment(segment: string): string | null {
  return segment === NO_NAMESPACE_SEGMENT ? null : segment;
}
