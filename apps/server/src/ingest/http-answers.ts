/**
 * How the HTTP receivers answer errors. DESIGN §5 wants `{"error":{"code","message"}}`; the OTLP spec wants a
 * google.rpc.Status (protobuf for protobuf requests, its JSON mapping `{"code":<int>,"message"}` for JSON
 * requests). Both are honoured: a protobuf request gets a protobuf Status; every other request gets one JSON
 * object that is at once a google.rpc.Status and our error envelope:
 *   {"code": 3, "message": "...", "error": {"code": "malformed", "message": "..."}}
 */
import type { Response } from "express";
import { encodeRpcStatus, GrpcCode } from "./rpc-status.js";

export type BodyFormat = "protobuf" | "json";

const GRPC_CODE_FOR_STATUS: Record<number, number> = {
  400: GrpcCode.INVALID_ARGUMENT,
  413: GrpcCode.INVALID_ARGUMENT,
  415: GrpcCode.UNIMPLEMENTED,
  429: GrpcCode.RESOURCE_EXHAUSTED,
  503: GrpcCode.UNAVAILABLE,
};

export interface HttpErrorAnswer {
  status: number;
  code: string;
  message: string;
  /** Seconds, for 429 and 503 (RFC 9110 Retry-After). */
  retryAfterSeconds?: number;
  /** After a 413 the rest of the upload is discarded: close the connection rather than read it all. */
  closeConnection?: boolean;
}

export function sendIngestError(res: Response, format: BodyFormat, answer: HttpErrorAnswer): void {
  if (res.headersSent) return;
  if (answer.retryAfterSeconds !== undefined) res.setHeader("Retry-After", String(answer.retryAfterSeconds));
  if (answer.closeConnection) res.setHeader("Connection", "close");
  const rpcCode = GRPC_CODE_FOR_STATUS[answer.status] ?? GrpcCode.INTERNAL;
  res.status(answer.status);
  if (format === "protobuf") {
    res.type("application/x-protobuf").send(encodeRpcStatus(rpcCode, answer.message));
  } else {
    res.json({ code: rpcCode, message: answer.message, error: { code: answer.code, message: answer.message } });
  }
}
