/**
 * What every receiver does once it has decoded a request: count what arrived, hand the valid spans to the
 * write queue and wait for their commit (DESIGN §4: a 2xx only after commit), and say how it went. The
 * receivers turn the outcome or the error into their protocol's answer (HTTP status, gRPC code).
 */
import type { SpanRecord } from "@meshscope/model";
import type { DecodeResult } from "@meshscope/wire";
import type { Logger } from "../ops/logger.js";
import type { IngestProtocol, SelfMetrics } from "../ops/self-metrics.js";
import { QueueFullError } from "./write-queue.js";

/** The part of the write queue the receivers need. */
export interface SpanQueue {
  /** Resolves after the spans are committed; throws QueueFullError at once when the queue is full. */
  enqueue(spans: SpanRecord[]): Promise<void>;
  depth(): number;
}

/** The spans could not be committed (the store failed): retryable, 503 / UNAVAILABLE. */
export class IngestUnavailableError extends Error {
  override name = "IngestUnavailableError";
}

export interface IngestOutcome {
  acceptedSpans: number;
  rejectedSpans: number;
  /** For OTLP partial_success.error_message: why spans were rejected, "" when none were. */
  rejectMessage: string;
}

export interface IngestPipeline {
  ingest(protocol: IngestProtocol, decoded: DecodeResult): Promise<IngestOutcome>;
}

/** Bounds the partial-success message: reasons come from untrusted input (they quote field values). */
const MAX_REJECT_MESSAGE = 1024;

function rejectMessage(decoded: DecodeResult): string {
  if (decoded.rejectedSpans === 0) return "";
  const text = `${decoded.rejectedSpans} span(s) rejected: ${decoded.rejectReasons.join("; ")}`;
  return text.length > MAX_REJECT_MESSAGE ? `${text.slice(0, MAX_REJECT_MESSAGE - 1)}…` : text;
}

export function createIngestPipeline(deps: { queue: SpanQueue; metrics: SelfMetrics; logger: Logger }): IngestPipeline {
  const { queue, metrics, logger } = deps;
  return {
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
        throw new IngestUnavailableError("spans could not be stored; retry later");
      }
      metrics.spansAccepted.inc({}, count);
      return outcome;
    },
  };
}
