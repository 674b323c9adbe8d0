import type { SpanKind, SpanStatus } from "@meshscope/model";

/** gRPC codes a server reports as its own failure (OTel semantic conventions for gRPC server spans):
 * UNKNOWN, DEADLINE_EXCEEDED, UNIMPLEMENTED, INTERNAL, UNAVAILABLE, DATA_LOSS. A client treats every non-OK
 * code as an error. */
const GRPC_SERVER_ERRORS = new Set(["2", "4", "12", "13", "14", "15"]);

/**
 * Zipkin has no status field; it lives in tags. In order:
 * - `error` (any value, as the Zipkin UI reads it; Envoy sets `error=true` when there is no response or a 5xx):
 *   error, with the tag's value as the message unless it is just "true";
 * - `otel.status_code` / `otel.status_description` (what OpenTelemetry's Zipkin exporter writes);
 * - HTTP status (`http.status_code`, or the newer `http.response.status_code`), following the OTel HTTP
 *   semantic conventions: 5xx is an error for every kind, 4xx only for CLIENT spans (a server answering 404 did
 *   its job);
 * - `grpc.status_code`, likewise by kind;
 * - else unset.
 */
export function zipkinStatus(kind: SpanKind, tag: (key: string) => string | undefined): SpanStatus {
  const error = tag("error");
  if (error !== undefined) {
    return error === "" || error === "true" ? { code: "error" } : { code: "error", message: error };
  }
  const otelCode = tag("otel.status_code");
  if (otelCode !== undefined) {
    const description = tag("otel.status_description");
    if (otelCode === "ERROR" || otelCode === "STATUS_CODE_ERROR") {
      return description ? { code: "error", message: description } : { code: "error" };
    }
    if (otelCode === "OK" || otelCode === "STATUS_CODE_OK") return { code: "ok" };
  }
  const http = Number(tag("http.status_code") ?? tag("http.response.status_code"));
  if (Number.isInteger(http) && (http >= 500 || (kind === "client" && http >= 400)) && http <= 599) {
    return { code: "error" };
  }
  const grpc = tag("grpc.status_code");
  if (grpc !== undefined && grpc !== "0" && (kind === "client" || GRPC_SERVER_ERRORS.has(grpc))) {
    return { code: "error" };
  }
  return { code: "unset" };
}
