/**
 * The OTLP/gRPC receiver: `opentelemetry.proto.collector.trace.v1.TraceService/Export` on @grpc/grpc-js.
 * The service is defined by hand with identity (de)serialisers, so the request reaches our own protobuf
 * decoder as raw bytes (malformed input → INVALID_ARGUMENT with the decoder's message) and the answer is the
 * ExportTraceServiceResponse bytes from @meshscope/wire. grpc-js inflates gzip-compressed messages itself and
 * refuses messages, compressed or inflated, above `grpc.max_receive_message_length` (RESOURCE_EXHAUSTED).
 */
import * as grpc from "@grpc/grpc-js";
import type { DecodeLimits } from "@meshscope/wire";
import { decodeOtlpTracesProtobuf, encodeOtlpTraceExportResponse, WireError } from "@meshscope/wire";
import type { Logger } from "../ops/logger.js";
import type { SelfMetrics } from "../ops/self-metrics.js";
import { type IngestPipeline, IngestUnavailableError } from "./ingest-pipeline.js";
import { encodeRpcStatus, GrpcCode, retryInfoDetail } from "./rpc-status.js";
import { QueueFullError } from "./write-queue.js";

export const TRACE_SERVICE_EXPORT_PATH = "/opentelemetry.proto.collector.trace.v1.TraceService/Export";

const identity = (bytes: Buffer): Buffer => bytes;

/**
 * A unary `Export` method declared by hand with identity (de)serialisers: grpc-js hands us the raw request
 * bytes, so our own decoder runs and malformed input maps to INVALID_ARGUMENT, and we send encoded answers as-is.
 */
export function rawExportService(path: string): grpc.ServiceDefinition {
  return {
    Export: {
      path,
      requestStream: false,
      responseStream: false,
      requestSerialize: identity,
      requestDeserialize: identity,
      responseSerialize: identity,
      responseDeserialize: identity,
      originalName: "export",
    },
  };
}

const traceServiceDefinition = rawExportService(TRACE_SERVICE_EXPORT_PATH);

export interface GrpcReceiverDeps {
  pipeline: IngestPipeline;
  decodeLimits: DecodeLimits;
  maxMessageBytes: number;
  metrics: SelfMetrics;
  logger: Logger;
  /** Ingest auth (auth/console-auth.ts): null to go ahead, or the UNAUTHENTICATED/PERMISSION_DENIED to answer. */
  authorize?: GrpcAuthorize;
}

export type GrpcAuthorize = (metadata: grpc.Metadata) => grpc.ServerErrorResponse | null;

/** Answers a call its metadata does not authorise; true when it did. */
export function refuseUnauthorized(
  call: grpc.ServerUnaryCall<Buffer, Buffer>,
  callback: grpc.sendUnaryData<Buffer>,
  deps: { authorize?: GrpcAuthorize; metrics: SelfMetrics },
): boolean {
  const denied = deps.authorize?.(call.metadata) ?? null;
  if (denied === null) return false;
  deps.metrics.grpcRequests.inc({ code: grpc.status[denied.code ?? grpc.status.UNKNOWN] ?? "UNKNOWN" });
  callback(denied);
  return true;
}

/** The status for a failed Export; RESOURCE_EXHAUSTED carries RetryInfo, the signal OTLP exporters need to
 * treat it as retryable (OTLP spec, "OTLP/gRPC Throttling"). */
export function statusFor(error: unknown): grpc.ServerErrorResponse | null {
  const status = (code: grpc.status, details: string, metadata?: grpc.Metadata) =>
    Object.assign(new Error(details), { code, details, ...(metadata ? { metadata } : {}) });
  if (error instanceof WireError) return status(grpc.status.INVALID_ARGUMENT, error.message);
  if (error instanceof QueueFullError) {
    const message = "ingest queue is full; retry later";
    const metadata = new grpc.Metadata();
    metadata.set(
      "grpc-status-details-bin",
      encodeRpcStatus(GrpcCode.RESOURCE_EXHAUSTED, message, [retryInfoDetail(error.retryAfterSeconds)]),
    );
    return status(grpc.status.RESOURCE_EXHAUSTED, message, metadata);
  }
  if (error instanceof IngestUnavailableError) return status(grpc.status.UNAVAILABLE, error.message);
  return null;
}

export function createTraceGrpcServer(deps: GrpcReceiverDeps): grpc.Server {
  const server = new grpc.Server({
    "grpc.max_receive_message_length": deps.maxMessageBytes,
  });
  const exportHandler: grpc.handleUnaryCall<Buffer, Buffer> = (call, callback) => {
    if (refuseUnauthorized(call, callback, deps)) return;
    const answer = async (): Promise<void> => {
      try {
        const decoded = decodeOtlpTracesProtobuf(call.request, deps.decodeLimits);
        const outcome = await deps.pipeline.ingest("otlp_grpc", decoded);
        deps.metrics.grpcRequests.inc({ code: "OK" });
        callback(null, Buffer.from(encodeOtlpTraceExportResponse(outcome.rejectedSpans, outcome.rejectMessage)));
      } catch (error) {
        const status = statusFor(error);
        if (status === null) {
          deps.logger.error("gRPC Export failed", { error });
          deps.metrics.grpcRequests.inc({ code: "INTERNAL" });
          callback({ code: grpc.status.INTERNAL, details: "internal error" });
          return;
        }
        deps.logger.info("gRPC Export refused", { code: grpc.status[status.code ?? 0], reason: status.details });
        deps.metrics.grpcRequests.inc({ code: grpc.status[status.code ?? grpc.status.UNKNOWN] ?? "UNKNOWN" });
        callback(status);
      }
    };
    void answer();
  };
  server.addService(traceServiceDefinition, { Export: exportHandler });
  return server;
}

/** Binds on host:port (port 0 = let the OS choose) and resolves with the bound port. */
export function bindGrpcServer(server: grpc.Server, host: string, port: number): Promise<number> {
  // IPv6 literals need brackets in a gRPC target.
  const target = host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
  return new Promise((resolve, reject) => {
    server.bindAsync(target, grpc.ServerCredentials.createInsecure(), (error, boundPort) => {
      if (error) reject(error);
      else resolve(boundPort);
    });
  });
}

/** Stops accepting calls and resolves once the calls in flight have been answered. */
export function shutdownGrpcServer(server: grpc.Server): Promise<void> {
  return new Promise((resolve) => {
    server.tryShutdown(() => resolve());
  });
}
