// The seam between the pure simulator (src/sim) and the I/O side (src/io): the simulator decides what every
// proxy in the mesh would report; the I/O side turns that into Envoy's Prometheus text and OTLP spans.
//
// Time in the simulator is virtual milliseconds since the epoch (a float); it advances with the wall clock in
// live mode and as fast as possible in benchmark mode. Everything random comes from a seeded PRNG, so the same
// seed, topology, config and advance() calls give the same output.

import type { MeshObject } from "@meshscope/mesh-config";

/** The labels of `istio_requests_total` and the request histograms, in the order istio_stats.cc emits them (istio.md §1.3). */
export interface IstioRequestLabels {
  reporter: "source" | "destination";
  source_workload: string;
  source_canonical_service: string;
  source_canonical_revision: string;
  source_workload_namespace: string;
  source_principal: string;
  source_app: string;
  source_version: string;
  source_cluster: string;
  destination_workload: string;
  destination_workload_namespace: string;
  destination_principal: string;
  destination_app: string;
  destination_version: string;
  destination_service: string;
  destination_canonical_service: string;
  destination_canonical_revision: string;
  destination_service_name: string;
  destination_service_namespace: string;
  destination_cluster: string;
  request_protocol: "http" | "grpc";
  response_code: string;
  grpc_response_status: string;
  /** Comma-joined Envoy short flags, `-` when none. */
  response_flags: string;
  connection_security_policy: "mutual_tls" | "none" | "unknown";
}

/** Receives one finished request as one proxy reports it (so a sidecar-to-sidecar request arrives twice). */
export interface MetricRecorder {
  recordRequest(labels: IstioRequestLabels, durationMs: number, requestBytes: number, responseBytes: number): void;
}

export type AttributeValue = string | number | boolean;

/** One span as an Envoy sidecar (or the app) would export it. Ids are lower-case hex (32 / 16 chars). */
export interface DemoSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: "client" | "server";
  /** Virtual ms since the epoch (fractional). */
  startMs: number;
  endMs: number;
  /** `service.name` of the resource: `<canonical service>.<namespace>` as Istio names proxy spans. */
  serviceName: string;
  /** Resource attributes besides service.name (k8s.namespace.name, istio.canonical_service, ...). */
  resource: Record<string, AttributeValue>;
  /** Span attributes as Envoy/Istio set them (http.status_code, response_flags, upstream_cluster, node_id, ...). */
  attributes: Record<string, AttributeValue>;
  error: boolean;
}

export interface SpanSink {
  emit(span: DemoSpan): void;
}

export interface LatencyModel {
  /** Median service time in ms (log-normal distribution). */
  medianMs: number;
  /** 99th percentile in ms; must be ≥ medianMs. */
  p99Ms: number;
}

/** An outbound call the application code makes while serving a request. */
export interface AppCall {
  /** Short service name (same namespace) or FQDN. */
  host: string;
  port: number;
  path: string;
  /** The application's own client timeout (Bookinfo: productpage 3 s, reviews-v2 10 s, reviews-v3 2.5 s). */
  appTimeoutMs?: number;
  /** The application's own retries after a failure (Bookinfo: productpage retries reviews once). */
  appRetries?: number;
  /** Probability the call is made on a given request (default 1). */
  probability?: number;
  /**
   * What the app does when this call fails or times out (default "degrade"): "degrade" answers its own caller
   * normally with partial content, as Bookinfo does (productpage's error box, reviews' "ratings unavailable");
   * "fail" answers 500 (cascading failures in synthetic meshes).
   */
  onFailure?: "degrade" | "fail";
}

export interface WorkloadSpec {
  name: string;
  namespace: string;
  /** Pod labels: at least `app` and `version`; subsets and policies select on these. */
  labels: Record<string, string>;
  serviceAccount: string;
  latency: LatencyModel;
  /** Baseline share of requests the app itself answers with a 5xx (0–1). */
  errorRate: number;
  calls: AppCall[];
  /** Replicas behind the workload (outlier detection ejects hosts one at a time). */
  replicas: number;
  /** True for the ingress gateway: reports only as `source`, has no inbound sidecar. */
  gateway?: boolean;
  /** Typical response body size in bytes (default 300); the request/response byte metrics vary around it. */
  responseBytes?: number;
}

export interface ServiceSpec {
  name: string;
  namespace: string;
  port: number;
  protocol: "http" | "grpc";
  /** Label selector (usually `{app: name}`). */
  selector: Record<string, string>;
}

export interface Topology {
  services: ServiceSpec[];
  workloads: WorkloadSpec[];
  /** The workload where external requests enter (the ingress gateway) and the paths users request. */
  entry: { workload: string; namespace: string; host: string; port: number; paths: string[] };
  /** Kubernetes cluster id reported in source_cluster / destination_cluster (Istio default `Kubernetes`). */
  cluster: string;
  /** Trust domain for SPIFFE principals (Istio default `cluster.local`). */
  trustDomain: string;
}

export interface SimulatorOptions {
  topology: Topology;
  seed: number;
  /** Requests per second arriving at the entry (Poisson arrivals). */
  rps: number;
  /** Share (0–1) of requests from logged-in users, carrying `end-user: <name>`. */
  loggedInShare: number;
  /** Share (0–1) of requests whose spans are emitted (metrics are always recorded). */
  sampleRate: number;
  /** Virtual time (ms) the simulation starts at; default: the target of the first advance() call. */
  startMs?: number;
}

export interface Simulator {
  /** Replace the Istio objects in force (takes effect for requests that start after this call). */
  setConfig(objects: readonly MeshObject[]): void;
  /** Generate arrivals up to `toMs` and report every request that has completed by then. */
  advance(toMs: number): void;
  /** Virtual time reached so far. */
  readonly nowMs: number;
}
