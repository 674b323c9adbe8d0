/**
 * The answer to an OTLP metrics export (collector/metrics/v1/metrics_service.proto):
 *   ExportMetricsServiceResponse { ExportMetricsPartialSuccess partial_success = 1; }
 *   ExportMetricsPartialSuccess  { int64 rejected_data_points = 1; string error_message = 2; }
 * Field for field the same wire shape as the trace answer (rejected_spans = 1, error_message = 2), so the
 * protobuf bytes come from the wire package's trace encoder; only the JSON field name differs.
 */
import { encodeOtlpTraceExportResponse } from "@meshscope/wire";
import type { MetricIngestResult } from "../metrics/metric-sink.js";
import type { OtlpSampleBatches } from "./metrics-otlp-samples.js";

export interface MetricsPartialSuccess {
  rejectedDataPoints: number;
  errorMessage: string;
}

/** Bounds the message: metric names come from untrusted input. */
const MAX_MESSAGE = 1024;

/**
 * Points the sender should know were not kept: metrics of unmapped types (counted per metric: the decoder
 * does not count their points) and series refused by the store's cardinality limits. Points without a recorded
 * value and metrics the store does not roll up are not failures and are not reported.
 */
export function metricsPartialSuccess(mapped: OtlpSampleBatches, result: MetricIngestResult): MetricsPartialSuccess {
  const reasons: string[] = [];
  let rejected = 0;
  if (mapped.skippedMetrics.length > 0) {
    rejected += mapped.skippedMetrics.length;
    const names = [...new Set(mapped.skippedMetrics.map((m) => `${m.name} (${m.type})`))].join(", ");
    reasons.push(`metrics of unsupported types not stored: ${names}`);
  }
  if (result.refusedSeries > 0) {
    rejected += result.refusedSeries;
    reasons.push(`${result.refusedSeries} series refused by the label cardinality limits`);
  }
  const text = reasons.join("; ");
  return {
    rejectedDataPoints: rejected,
    errorMessage: text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE - 1)}…` : text,
  };
}

export function encodeMetricsExportResponse(partial: MetricsPartialSuccess): Buffer {
  return Buffer.from(encodeOtlpTraceExportResponse(partial.rejectedDataPoints, partial.errorMessage));
}

/** OTLP/JSON: int64 as a decimal string (proto3 JSON mapping); `{}` for a full success, as the spec asks. */
export function metricsExportResponseJson(partial: MetricsPartialSuccess): object {
  if (partial.rejectedDataPoints === 0 && partial.errorMessage === "") return {};
  return {
    partialSuccess: { rejectedDataPoints: String(partial.rejectedDataPoints), errorMessage: partial.errorMessage },
  };
}
