// Proxy spans as Envoy exports them with Istio's tracing config (istio.md §3.3–3.4): with shared_span_context
// false, the calling proxy writes a CLIENT span (one per request it forwards, retries included: Istio does not set
// the router's start_child_span) and the called proxy a SERVER span per attempt that reached it, parented to the
// client span.

import type { AttributeValue, DemoSpan } from "./contracts.js";
import type { PodRt, WorkloadRt } from "./topology-index.js";

export interface SpanCommon {
  traceId: string;
  requestId: string;
  userAgent: string;
  meshId: string;
  clusterId: string;
}

export interface ProxySpanInput {
  spanId: string;
  parentSpanId: string | undefined;
  kind: "client" | "server";
  name: string;
  workload: WorkloadRt;
  pod: PodRt;
  startMs: number;
  endMs: number;
  url: string;
  upstreamCluster: string;
  /** Downstream peer for SERVER spans, the app itself for CLIENT spans (the sidecar's downstream is its app). */
  peerAddress: string;
  upstreamAddress: string | undefined;
  code: number;
  flags: string;
  requestSize: number;
  responseSize: number;
}

export function proxySpan(c: SpanCommon, x: ProxySpanInput): DemoSpan {
  // Envoy tags are strings (HttpTracerUtility); `error` is set for 5xx and for no response at all.
  const attributes: Record<string, AttributeValue> = {
    component: "proxy",
    node_id: x.pod.nodeId,
    zone: "",
    "guid:x-request-id": c.requestId,
    "http.url": x.url,
    "http.method": "GET",
    "http.protocol": "HTTP/1.1",
    downstream_cluster: "-",
    user_agent: c.userAgent,
    "peer.address": x.peerAddress,
    request_size: String(x.requestSize),
    response_size: String(x.responseSize),
    upstream_cluster: x.upstreamCluster,
    "upstream_cluster.name": x.upstreamCluster,
    "http.status_code": String(x.code),
    response_flags: x.flags,
    "istio.canonical_service": x.workload.canonicalService,
    "istio.canonical_revision": x.workload.canonicalRevision,
    "istio.namespace": x.workload.namespace,
    "istio.mesh_id": c.meshId,
    "istio.cluster_id": c.clusterId,
  };
  if (x.upstreamAddress) attributes.upstream_address = x.upstreamAddress;
  const error = x.code >= 500 || x.code === 0;
  if (error) attributes.error = "true";
  return {
    traceId: c.traceId,
    spanId: x.spanId,
    ...(x.parentSpanId === undefined ? {} : { parentSpanId: x.parentSpanId }),
    name: x.name,
    kind: x.kind,
    startMs: x.startMs,
    endMs: x.endMs,
    serviceName: x.workload.spanServiceName,
    // Constant per pod, shared by all its spans (read-only).
    resource: x.pod.resource,
    attributes,
    error,
  };
}
