/**
 * Where a span's service page is: `/services/<namespace>/<service>` when the namespace is known. It is known from
 * the span itself (the server fills `namespace` from the resource's `k8s.namespace.name` / `service.namespace`),
 * from the resource when the span came from a file, or from Istio's sidecar naming `<service>.<namespace>`
 * (the server's traces/proxy-span-service.ts holds the same convention; the web cannot import the server).
 */
import type { ApiSpan } from "@meshscope/model";

function nonEmptyString(value: unknown): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}

/** `<service>.<namespace>` split at the last dot, or null when the name has no such suffix. */
function proxySpanService(name: string): { service: string; namespace: string } | null {
  const dot = name.lastIndexOf(".");
  if (dot <= 0 || dot === name.length - 1) return null;
  return { service: name.slice(0, dot), namespace: name.slice(dot + 1) };
}

export function serviceTarget(span: ApiSpan): { namespace: string; service: string } | null {
  const namespace =
    span.namespace ??
    nonEmptyString(span.resource["k8s.namespace.name"]) ??
    nonEmptyString(span.resource["service.namespace"]);
  const proxy = proxySpanService(span.service);
  if (namespace === null) return proxy;
  // A sidecar's span also carries its namespace in the resource: the mesh service is the name without the suffix.
  return proxy?.namespace === namespace ? proxy : { namespace, service: span.service };
}

export function servicePagePath(span: ApiSpan): string | null {
  const target = serviceTarget(span);
  return target && `/services/${encodeURIComponent(target.namespace)}/${encodeURIComponent(target.service)}`;
}
