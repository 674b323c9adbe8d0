/**
 * What every receiver does once it has decoded a request: count what arrived, hand the valid spans to the
 * write queue and wait for their commit (DESIGN §4: a 2xx only after commit), and say how it went. The
 * receivers turn the outcome or the error into their protocol's answer (HTTP status, gRPC code).
 */
import type { SpanRecord } from "@meshscope/model";
import type { DecodeResult } from "@meshscope/wire";
import type { Logger } from "../ops/logger.js";
import type { IngestProtocol, SelfMetrics } from "../ops/self-metrics.js";
import { StorageFullError } from "../store/write-errors.js";
import { createIngestAdmission, type IngestAdmission } from "./http-answers.js";
import { QueueFullError } from "./write-queue.js";

/** The part of the write queue the receivers need. */
export interface SpanQueue {
  /** Resolves after the spans are committed; throws QueueFullError at once when the queue is full. */
  enqueue(spans: SpanRecord[]): Promise<void>;
  depth(): number;
}

/**
 * The data could not be committed (the store failed): retryable, 503 / UNAVAILABLE with Retry-After. `code` is
 * the error envelope's code: "storage_full" when the disk is full, "unavailable" for any other failure.
 */
export class IngestUnavailableError extends Error {
  override name = "IngestUnavailableError";
  readonly code: string;
  readonly retryAfterSeconds: number;
  constructor(message: string, opts: { code?: string; retryAfterSeconds?: number } = {}) {
    super(message);
    this.code = opts.code ?? "unavailable";
    this.retryAfterSeconds = opts.retryAfterSeconds ?? 1;
  }
}

/**
 * Retry-After while the disk is full: space comes back when someone frees it or retention deletes old data
 * (every 10 s by default), not within the second a generic failure waits; a longer pause also spares a full
 * disk a retry storm from every exporter.
 */
export const STORAGE_FULL_RETRY_AFTER_SECONDS = 10;

/** The answer for a write the store refused with SQLITE_FULL (see store/write-errors.ts). */
export function storageFullError(what: "spans" | "samples"): IngestUnavailableError {
  return new IngestUnavailableError(`the database disk is full: the ${what} were not stored; retry later`, {
    code: "storage_full",
    retryAfterSeconds: STORAGE_FULL_RETRY_AFTER_SECONDS,
  });
}

export interface IngestOutcome {
  acceptedSpans: number;
  rejectedSpans: number;
  /** For OTLP partial_success.error_message: why spans were rejected, "" when none were. */
  rejectMessage: string;
}

export interface IngestPipeline {
  ingest(protocol: IngestProtocol, decoded: DecodeResult): Promise<IngestOutcome>;
  /** Load shedding for every HTTP ingest route, spans and metrics alike (http-answers.ts). */
  admission: IngestAdmission;
}

/**
 * HTTP ingest requests in progress at once. Far above what a keeping-up server has in flight (requests wait
 * only for the next group commit, tens of ms), low enough to bound memory: each admitted request may hold its
 * body (up to --max-body-size, inflated up to --max-decompressed-size) and its decoded spans.
 */
export const DEFAULT_MAX_INGEST_REQUESTS_IN_FLIGHT = 64;

/**
 * How long the oldest received ingest request may wait for its answer before new ones are refused (with at least
 * MIN_WAITING_TO_SHED of them waiting): far above a group commit (tens of ms) or decoding one large request
 * (~100 ms for 2 MiB of OTLP/JSON), so only a standing backlog trips it.
 */
export const DEFAULT_MAX_INGEST_QUEUE_DELAY_MS = 2000;
const MIN_WAITING_TO_SHED = 8;

/** Bounds the partial-success message: reasons come from untrusted input (they quote field values). */
const MAX_REJECT_MESSAGE = 1024;

function rejectMessage(decoded: DecodeResult): string {
  if (decoded.rejectedSpans === 0) return "";
  const text = `${decoded.rejectedSpans} span(s) rejected: ${decoded.rejectReasons.join("; ")}`;
  return text.length > MAX_REJECT_MESSAGE ? `${text.slice(0, MAX_REJECT_MESSAGE - 1)}…` : text;
}

export function createIngestPipeline(deps: {
  queue: SpanQueue;
  metrics: SelfMetrics;
  logger: Logger;
  maxRequestsInFlight?: number;
  maxQueueDelayMs?: number;
}): IngestPipeline {
  const { queue, metrics, logger } = deps;
  const admission = createIngestAdmission({
    maxInFlight: deps.maxRequestsInFlight ?? DEFAULT_MAX_INGEST_REQUESTS_IN_FLIGHT,
    maxQueueDelayMs: deps.maxQueueDelayMs ?? DEFAULT_MAX_INGEST_QUEUE_DELAY_MS,
    minInFlightToShed: MIN_WAITING_TO_SHED,
    retryAfterSeconds: 1,
    onRefused: (req, reason) => logger.debug("ingest request refused: overloaded", { route: req.path, reason }),
  });
  return {
    admission,
    async ingest(protocol, decoded) {
      const count = decoded.spans.length;
      metrics.spansReceived.inc({ protocol }, count + decoded.rejectedSpans);
      if (decoded.rejectedSpans > 0) {
        metrics.spansRejected.inc({ reason: "invalid_span" }, decoded.rejectedSpans);
      }
      if (decoded.truncatedAttributes > 0) metrics.attributesTruncated.inc({}, decoded.truncatedAttributes);
      const outcome = {
        acceptedSpans: count,
        rejectedSpans: decoded.rejectedSpans,
        rejectMessage: rejectMessage(decoded),
      };
      if (count === 0) return outcome;
      try {
        await queue.enqueue(decoded.spans);
      } catch (error) {
        if (error instanceof QueueFullError) {
          metrics.spansRejected.inc({ reason: "queue_full" }, count);
          throw error;
        }
        metrics.spansRejected.inc({ reason: "commit_failed" }, count);
        // The queue logs the failed commit once per batch; this line ties it to the request.
        logger.debug("ingested spans not committed", { protocol, spans: count, error });
        if (error instanceof StorageFullError) throw storageFullError("spans");
        throw new IngestUnavailableError("spans could not be stored; retry later");
      }
      metrics.spansAccepted.inc({}, count);
      return outcome;
    },
  };
}
