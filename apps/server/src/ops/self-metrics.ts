/** The metrics meshscope exposes about itself at /metrics (names per issue #2 §6). */
import { CallbackGauge, Counter, Histogram, Registry } from "./prometheus.js";

/** Which receiver a span arrived through: the `protocol` label of the ingest counters. */
export type IngestProtocol = "otlp_http" | "otlp_grpc" | "zipkin";

/** Why spans were not stored: the `reason` label of `meshscope_spans_rejected_total`. A fixed set, so that
 * untrusted input cannot create label values. */
export type RejectReason = "invalid_span" | "queue_full" | "commit_failed";

/** How mesh metric samples arrived: the `protocol` label of the metric-sample counters. */
export type MetricProtocol = "scrape" | "remote_write" | "otlp_http" | "otlp_grpc";

/** Why metric samples were not stored: a fixed set, so untrusted input cannot create label values.
 * `stale`: Prometheus staleness markers (the sink contract has no way to end a pushed series yet);
 * `no_value`: OTLP points flagged "no recorded value"; `invalid_series`: remote-write series without a name;
 * `refused_series`: the store's cardinality limits;
 * `store_busy` / `store_failed`: the sink pushed back or failed, the sender was told to retry. */
export type MetricRejectReason =
  | "stale"
  | "no_value"
  | "invalid_series"
  | "refused_series"
  | "store_busy"
  | "store_failed";

/** One scrape target as /metrics shows it (`meshscope_scrape_target_up{target}`). */
export interface ScrapeTargetGaugeValue {
  target: string;
  up: boolean;
}

export interface SelfMetrics {
  registry: Registry;
  spansReceived: Counter;
  spansAccepted: Counter;
  spansRejected: Counter;
  attributesTruncated: Counter;
  commitDuration: Histogram;
  httpRequests: Counter;
  grpcRequests: Counter;
  metricSamplesReceived: Counter;
  metricSamplesAccepted: Counter;
  metricSamplesIgnored: Counter;
  metricSamplesRejected: Counter;
  scrapeDuration: Histogram;
  /** Where `meshscope_scrape_target_up` reads its values; the scraper sets it when it starts. */
  scrapeTargets: { read: () => ScrapeTargetGaugeValue[] };
}

/** Escaping of a label value in the text exposition format: backslash, double quote, newline. */
function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

/** `meshscope_scrape_target_up{target="<url>"} 1|0`, read from the scraper at exposition time. Target URLs come
 * from the configuration, not from untrusted input, so one series per target is bounded. */
class ScrapeTargetUpGauge {
  readonly name = "meshscope_scrape_target_up";
  constructor(private readonly source: { read: () => ScrapeTargetGaugeValue[] }) {}

  render(): string[] {
    const lines = [`# HELP ${this.name} 1 when the last scrape of the target succeeded.`, `# TYPE ${this.name} gauge`];
    for (const { target, up } of this.source.read()) {
      lines.push(`${this.name}{target="${escapeLabelValue(target)}"} ${up ? 1 : 0}`);
    }
    return lines;
  }
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
    metricSamplesReceived: registry.register(
      new Counter("meshscope_metric_samples_received_total", "Mesh metric samples received, by protocol."),
    ),
    metricSamplesAccepted: registry.register(
      new Counter("meshscope_metric_samples_accepted_total", "Mesh metric samples committed to the metric store."),
    ),
    metricSamplesIgnored: registry.register(
      new Counter(
        "meshscope_metric_samples_ignored_total",
        "Metric samples of metrics the store does not keep (not mesh metrics); not an error.",
      ),
    ),
    metricSamplesRejected: registry.register(
      new Counter("meshscope_metric_samples_rejected_total", "Mesh metric samples not stored, by protocol and reason."),
    ),
    scrapeDuration: registry.register(
      new Histogram(
        "meshscope_scrape_duration_seconds",
        "Time to scrape one target: fetch, parse and commit.",
        [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      ),
    ),
    scrapeTargets: { read: () => [] },
  };
  registry.register(new ScrapeTargetUpGauge(metrics.scrapeTargets));
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
