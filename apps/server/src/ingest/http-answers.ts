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

export interface IngestAdmissionOptions {
  /** Ingest requests in progress at once (headers received, not yet answered), across every port. */
  maxInFlight: number;
  /**
   * Shed load while the event loop is saturated: a timer tick late by more than this (ms) while the loop was
   * busy ≥ 90% of the time since the tick before. 0 = off.
   */
  maxEventLoopDelayMs: number;
  retryAfterSeconds: number;
  /** Called for each refused request (for a log line or a counter). */
  onRefused?: (req: Request, reason: "in_flight" | "event_loop") => void;
}

export interface IngestAdmission {
  /** Express middleware for the ingest routes: next() when admitted, else 429 with Retry-After. */
  handler: (req: Request, res: Response, next: NextFunction) => void;
  inFlight(): number;
}

const SAMPLE_MS = 100;
/** The sampler stops after this long without an ingest request, and starts again with the next one. */
const SAMPLER_IDLE_MS = 5000;
const BUSY_UTILIZATION = 0.9;
/**
 * Ingest requests that reached the handlers during one late tick: a backlog makes one turn of the loop handle
 * many; a starved CPU with a light load (a busy CI machine) shows the lateness without them.
 */
const BACKLOG_REQUESTS = 8;
/** Consecutive late ticks before shedding starts (see the sampler). */
const SUSTAINED_LATE_TICKS = 2;

/**
 * Load shedding in front of the receivers. The write queue bounds spans waiting for their COMMIT, but when the
 * main thread is what cannot keep up (reading and decoding bodies), the backlog never reaches the queue: it
 * waits in socket buffers, unseen by the application, while every client's latency grows and none is told to
 * back off. Its mark is the event loop: under such a backlog one turn of the loop handles every socket that is
 * ready, so timers fire seconds late while the loop is busy all the time. Then new ingest requests get a cheap
 * 429 with Retry-After before their body is decoded (DESIGN §4: never a silent drop, never a timeout), which
 * empties the backlog quickly. Lateness alone is not enough (a CPU starved by other processes makes timers late
 * too, and a loop busy with one slow request is late as well), hence the tests of utilization and of how
 * many requests came in during the late tick. The count limit bounds the bodies held at once.
 * A refused body is not decoded; Node reads and discards it after the answer, so the connection stays usable
 * and the client sees the 429 rather than a reset.
 */
export function createIngestAdmission(opts: IngestAdmissionOptions): IngestAdmission {
  let inFlight = 0;
  let saturated = false;
  let sampler: NodeJS.Timeout | null = null;
  let lastRequestMs = 0;
  let arrivals = 0;

  function startSampler(): void {
    if (sampler !== null || opts.maxEventLoopDelayMs <= 0) return;
    let last = performance.now();
    let lastElu = performance.eventLoopUtilization();
    // Late ticks in a row: one late tick is what a single slow request (a big graph read, a large validation)
    // or a moment of CPU starvation looks like, and shedding the requests that queued behind it would refuse
    // load the server can take; a backlog keeps the loop late tick after tick.
    let lateTicks = 0;
    sampler = setInterval(() => {
      const now = performance.now();
      const elu = performance.eventLoopUtilization(lastElu);
      const late =
        now - last - SAMPLE_MS > opts.maxEventLoopDelayMs &&
        elu.utilization >= BUSY_UTILIZATION &&
        arrivals >= BACKLOG_REQUESTS;
      lateTicks = late ? lateTicks + 1 : 0;
      saturated = lateTicks >= SUSTAINED_LATE_TICKS;
      arrivals = 0;
      last = now;
      lastElu = performance.eventLoopUtilization();
      if (Date.now() - lastRequestMs > SAMPLER_IDLE_MS && sampler !== null) {
        clearInterval(sampler);
        sampler = null;
        saturated = false;
      }
    }, SAMPLE_MS);
    sampler.unref();
  }

  function refuse(req: Request, res: Response, reason: "in_flight" | "event_loop"): void {
    opts.onRefused?.(req, reason);
    const format: BodyFormat = req.is("application/x-protobuf") ? "protobuf" : "json";
    sendIngestError(res, format, {
      status: 429,
      code: "overloaded",
      message: "meshscope is overloaded: too many ingest requests; retry later",
      retryAfterSeconds: opts.retryAfterSeconds,
    });
  }

  return {
    inFlight: () => inFlight,
    handler(req, res, next) {
      lastRequestMs = Date.now();
      arrivals++;
      startSampler();
      if (inFlight >= opts.maxInFlight) return refuse(req, res, "in_flight");
      if (saturated) return refuse(req, res, "event_loop");
      inFlight++;
      // "close" fires once the answer is sent or the client went away, whichever comes first.
      res.once("close", () => {
        inFlight--;
      });
      next();
    },
  };
}
