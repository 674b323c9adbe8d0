/** The metrics meshscope exposes about itself at /metrics (names per issue #2 §6). */
import { CallbackGauge, Counter, Histogram, Registry } from "./prometheus.js";

/** Which receiver a span arrived through: the `protocol` label of the ingest counters. */
export type IngestProtocol = "otlp_http" | "otlp_grpc" | "zipkin";

/** Why spans were not stored: the `reason` label of `meshscope_spans_rejected_total`. A fixed set, so that
 * untrusted input cannot create label values. */
export type RejectReason = "invalid_span" | "queue_full" | "commit_failed";

export interface SelfMetrics {
  registry: Registry;
  spansReceived: Counter;
  spansAccepted: Counter;
  spansRejected: Counter;
  attributesTruncated: Counter;
  commitDuration: Histogram;
  httpRequests: Counter;
  grpcRequests: Counter;
}

export function createSelfMetrics(queueDepth: () => number): SelfMetrics {
  const registry = new Registry();
  const metrics: SelfMetrics = {
    registry,
    spansReceived: registry.register(
      new Counter("meshscope_spans_received_total", "Spans received, valid or not, by receiver protocol."),
    ),
    spansAccepted: registry.register(
      new Counter("meshscope_spans_accepted_total", "Spans committed to the store and acknowledged."),
    ),
    spansRejected: registry.register(new Counter("meshscope_spans_rejected_total", "Spans not stored, by reason.")),
    attributesTruncated: registry.register(
      new Counter(
        "meshscope_attributes_truncated_total",
        "Attributes dropped or truncated by the attribute count and length limits.",
      ),
    ),
    commitDuration: registry.register(
      new Histogram(
        "meshscope_commit_duration_seconds",
        "Time to commit one batch of spans to the store.",
        [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      ),
    ),
    httpRequests: registry.register(
      new Counter("meshscope_http_requests_total", "HTTP requests answered, by route and status code."),
    ),
    grpcRequests: registry.register(new Counter("meshscope_grpc_requests_total", "gRPC calls answered, by status.")),
  };
  registry.register(
    new CallbackGauge("meshscope_ingest_queue_depth", "Spans waiting in the write queue for commit.", queueDepth),
  );
  registry.register(
    new CallbackGauge("process_resident_memory_bytes", "Resident memory size in bytes.", () =>
      process.memoryUsage.rss(),
    ),
  );
  const startSeconds = Math.floor(Date.now() / 1000);
  registry.register(
    new CallbackGauge(
      "process_start_time_seconds",
      "Start time of the process since the epoch, in seconds.",
      () => startSeconds,
    ),
  );
  return metrics;
}
