/**
 * OTLP/gRPC metrics: `opentelemetry.proto.collector.metrics.v1.MetricsService/Export`, added to the same
 * @grpc/grpc-js server as the trace service (one OTLP/gRPC port, DESIGN §2). Defined by hand with identity
 * (de)serialisers like the trace service, so the request reaches our own protobuf decoder as raw bytes and the
 * answer is ExportMetricsServiceResponse bytes; grpc-js inflates gzip and enforces the message size limit.
 */
import * as grpc from "@grpc/grpc-js";
import { decodeOtlpMetricsProtobuf } from "@meshscope/wire";
import type { Logger } from "../ops/logger.js";
import type { SelfMetrics } from "../ops/self-metrics.js";
import { type MetricIngest, peerHost } from "./metrics-ingest.js";
import { encodeMetricsExportResponse, metricsPartialSuccess } from "./metrics-otlp-response.js";
import { otlpPointsToBatches } from "./metrics-otlp-samples.js";
import { type GrpcAuthorize, rawExportService, refuseUnauthorized, statusFor } from "./otlp-grpc.js";

export const METRICS_SERVICE_EXPORT_PATH = "/opentelemetry.proto.collector.metrics.v1.MetricsService/Export";

const metricsServiceDefinition = rawExportService(METRICS_SERVICE_EXPORT_PATH);

export interface GrpcMetricsDeps {
  ingest: MetricIngest;
  metrics: SelfMetrics;
  logger: Logger;
  /** Ingest auth, as for the trace service. */
  authorize?: GrpcAuthorize;
}

/**
 * The host of a grpc-js peer string: `ipv4:127.0.0.1:5000`, `ipv6:[::1]:5000` or `127.0.0.1:5000` (the form
 * differs between grpc-js versions). The port is dropped for the reason `peerHost` gives.
 */
export function grpcPeerHost(peer: string): string {
  const address = peer.replace(/^ipv[46]:/, "");
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(address);
  if (bracketed) return peerHost(bracketed[1]);
  const lastColon = address.lastIndexOf(":");
  // One colon: host:port. More than one without brackets: a bare IPv6 address with no port.
  const host = lastColon !== -1 && address.indexOf(":") === lastColon ? address.slice(0, lastColon) : address;
  return peerHost(host);
}

export function addMetricsGrpcService(server: grpc.Server, deps: GrpcMetricsDeps): void {
  const exportHandler: grpc.handleUnaryCall<Buffer, Buffer> = (call, callback) => {
    if (refuseUnauthorized(call, callback, deps)) return;
    const answer = async (): Promise<void> => {
      try {
        const decoded = decodeOtlpMetricsProtobuf(call.request);
        const mapped = otlpPointsToBatches(decoded, `otlp:${grpcPeerHost(call.getPeer())}`);
        const result = await deps.ingest.ingest("otlp_grpc", mapped.batches, { no_value: mapped.noValuePoints });
        deps.metrics.grpcRequests.inc({ code: "OK" });
        callback(null, encodeMetricsExportResponse(metricsPartialSuccess(mapped, result)));
      } catch (error) {
        const status = statusFor(error);
        if (status === null) {
          deps.logger.error("gRPC metrics Export failed", { error });
          deps.metrics.grpcRequests.inc({ code: "INTERNAL" });
          callback({ code: grpc.status.INTERNAL, details: "internal error" });
          return;
        }
        deps.logger.info("gRPC metrics Export refused", {
          code: grpc.status[status.code ?? 0],
          reason: status.details,
        });
        deps.metrics.grpcRequests.inc({ code: grpc.status[status.code ?? grpc.status.UNKNOWN] ?? "UNKNOWN" });
        callback(status);
      }
    };
    void answer();
  };
  server.addService(metricsServiceDefinition, { Export: exportHandler });
}
