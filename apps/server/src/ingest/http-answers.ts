/**
 * How the HTTP receivers answer errors. DESIGN §5 wants `{"error":{"code","message"}}`; the OTLP spec wants a
 * google.rpc.Status (protobuf for protobuf requests, its JSON mapping `{"code":<int>,"message"}` for JSON
 * requests). Both are honoured: a protobuf request gets a protobuf Status; every other request gets one JSON
 * object that is at once a google.rpc.Status and our error envelope:
 *   {"code": 3, "message": "...", "error": {"code": "malformed", "message": "..."}}
 */
import type { NextFunction, Request, Response } from "express";
import { encodeRpcStatus, GrpcCode } from "./rpc-status.js";

export type BodyFormat = "protobuf" | "json";

const GRPC_CODE_FOR_STATUS: Record<number, number> = {
  400: GrpcCode.INVALID_ARGUMENT,
  401: GrpcCode.UNAUTHENTICATED,
  403: GrpcCode.PERMISSION_DENIED,
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

export interface IngestAdmission {
  /** Express middleware for the ingest routes: next() when admitted, else 429 with Retry-After. */
  handler: (req: Request, res: Response, next: NextFunction) => void;
  inFlight(): number;
}

export interface IngestAdmissionOptions {
  /** Ingest requests in progress at once (headers received, not yet answered), across every port. */
  maxInFlight: number;
  /**
   * Shed load while the server is behind: the oldest ingest request whose body has arrived has waited longer than
   * this (ms) for its answer, and at least `minInFlightToShed` such requests are waiting. 0 = off.
   */
  maxQueueDelayMs: number;
  minInFlightToShed: number;
  retryAfterSeconds: number;
  /** Called for each refused request (for a log line or a counter). */
  onRefused?: (req: Request, reason: "in_flight" | "queue_delay") => void;
  nowMs?: () => number;
}

/**
 * Load shedding in front of the receivers. The write queue bounds spans waiting for their COMMIT, but when the
 * main thread is what cannot keep up (reading and decoding bodies), the backlog never reaches the queue: requests
 * pile up in progress while every client's latency grows and none is told to back off. The mark of that backlog
 * is how long the oldest request has waited for its answer since its body arrived (decode, queue, commit, and
 * the turns of a loop that is behind): a server that keeps up answers within a group commit (tens of ms). Time
 * spent uploading does not count, so a few slow clients cannot make the server refuse everyone else. While the oldest has waited past `maxQueueDelayMs` with several in progress, new ingest requests
 * get a cheap 429 with Retry-After before their body is decoded (DESIGN §4: never a silent drop, never a
 * timeout); as soon as the backlog drains, requests are admitted again, so the server keeps working at its
 * capacity and refuses only the excess. (An earlier rule watched event-loop lateness instead; on a machine whose
 * CPU other processes took, it refused every request of a light load for seconds at a time.) The count limit
 * bounds the bodies held at once. A refused body is not decoded; Node reads and discards it after the answer.
 */
export function createIngestAdmission(opts: IngestAdmissionOptions): IngestAdmission {
  const now = opts.nowMs ?? (() => performance.now());
  /** Requests whose body is still arriving: a slow client's upload is not the server falling behind. */
  let uploading = 0;
  /** When each request in progress had its whole body, oldest first (a Map keeps insertion order). */
  const received = new Map<Response, number>();

  function refuse(req: Request, res: Response, reason: "in_flight" | "queue_delay"): void {
    opts.onRefused?.(req, reason);
    const format: BodyFormat = req.is("application/x-protobuf") ? "protobuf" : "json";
    sendIngestError(res, format, {
      status: 429,
      code: "overloaded",
      message: "meshscope is overloaded: too many ingest requests; retry later",
      retryAfterSeconds: opts.retryAfterSeconds,
    });
  }

  function behind(t: number): boolean {
    if (opts.maxQueueDelayMs <= 0 || received.size < opts.minInFlightToShed) return false;
    const oldest = received.values().next();
    return oldest.done !== true && t - oldest.value > opts.maxQueueDelayMs;
  }

  return {
    inFlight: () => uploading + received.size,
    handler(req, res, next) {
      if (uploading + received.size >= opts.maxInFlight) return refuse(req, res, "in_flight");
      if (behind(now())) return refuse(req, res, "queue_delay");
      let state: "uploading" | "received" | "done" = "uploading";
      uploading++;
      // An "end" listener does not start the stream flowing: it fires when the route's body reader has read it all.
      req.once("end", () => {
        if (state !== "uploading") return;
        state = "received";
        uploading--;
        received.set(res, now());
      });
      // "close" fires once the answer is sent or the client went away, whichever comes first.
      res.once("close", () => {
        if (state === "uploading") uploading--;
        else if (state === "received") received.delete(res);
        state = "done";
      });
      next();
    },
  };
}
