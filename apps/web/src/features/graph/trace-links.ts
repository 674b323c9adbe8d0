/**
 * Links from the graph to the trace search (features/traces/url.ts) and the service page. Istio names proxy
 * spans `<canonical service>.<namespace>` (istio.md §3; the demo mesh does the same), so a mesh node's traces
 * are under that name; a node drawn from plain OpenTelemetry spans keeps its own `service.name`.
 */
import type { GraphNode } from "@meshscope/model";
import { serviceDetailPath } from "../services/url";
import { CUSTOM_LOOKBACK, LOOKBACK_OPTIONS, lookbackUs, traceSearchPath } from "../traces/url";
import { nodeName } from "./graph-model";

/** The shortest trace-search lookback preset that covers the graph's window. */
export function lookbackFor(windowSeconds: number): string {
  for (const option of LOOKBACK_OPTIONS) {
    if (option.value === CUSTOM_LOOKBACK) continue;
    if ((lookbackUs(option.value) ?? 0) >= windowSeconds * 1_000_000) return option.value;
  }
  return "7d";
}

/** Unknown callers and external clusters have no spans or service page of their own. */
export function hasOwnPages(node: GraphNode): boolean {
  return node.kind !== "unknown" && node.kind !== "external";
}

export function traceServiceName(node: GraphNode): string {
  const name = nodeName(node);
  return node.traceDerived === true || node.namespace === "unknown" ? name : `${name}.${node.namespace}`;
}

export function tracesOfNode(node: GraphNode, windowSeconds: number, errorsOnly = false): string {
  return traceSearchPath({
    service: traceServiceName(node),
    lookback: lookbackFor(windowSeconds),
    ...(errorsOnly ? { tags: "error=true" } : {}),
  });
}

/** The service a node's page is about: the service itself, or the app (Istio's canonical service). */
export function serviceOfNode(node: GraphNode): { namespace: string; service: string } | null {
  if (!hasOwnPages(node)) return null;
  const service = node.kind === "service" ? node.service : (node.app ?? node.service);
  return service ? { namespace: node.namespace, service } : null;
}

export function servicePageOf(node: GraphNode): string | null {
  const ref = serviceOfNode(node);
  return ref ? serviceDetailPath(ref.namespace, ref.service) : null;
}
