/**
 * The bounded queue between receivers and the trace writer, with group commit.
 *
 * Receivers call enqueue() and answer their client only when the promise resolves, i.e. after the COMMIT that
 * holds their spans (DESIGN §4: 2xx only after commit). Requests that arrive while a commit is in flight wait
 * together and go into the next transaction, up to maxBatchSpans: under load many requests share one commit.
 * A request is never split across transactions, so it is committed wholly or not at all; if its commit fails
 * every caller in that transaction is rejected.
 *
 * Bounded: spans waiting or being committed never exceed maxQueuedSpans. An enqueue that would exceed it is
 * rejected at once with QueueFullError (HTTP 429 / gRPC RESOURCE_EXHAUSTED with Retry-After), never dropped.
 */
import type { SpanRecord } from "@meshscope/model";
import type { TraceWriter } from "../store/trace-store.js";

export class QueueFullError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super(`ingest queue is full: retry after ${retryAfterSeconds}s`);
    this.name = "QueueFullError";
  }
}

export class QueueClosedError extends Error {
  constructor() {
    super("ingest queue is closed (shutting down)");
    this.name = "QueueClosedError";
  }
}

export interface WriteQueue {
  /** Resolves after the COMMIT holding these spans; rejects with QueueFullError at once when full. */
  enqueue(spans: readonly SpanRecord[]): Promise<void>;
  /** Spans accepted and not yet committed (waiting or in a commit in flight). */
  depth(): number;
  /** Stops accepting (QueueClosedError) and resolves once everything accepted has been committed or failed. */
  drain(): Promise<void>;
}

export interface WriteQueueOptions {
  writer: TraceWriter;
  maxQueuedSpans: number;
  maxBatchSpans: number;
  /**
   * Commits allowed in flight at once (default 2). With a worker-thread writer, 2 lets the main thread
   * encode and post the next batch while the worker commits the previous one; the writer still commits in
   * order.
   */
  maxInFlightBatches?: number;
  onCommit?: (info: { spans: number; durationMs: number }) => void;
  onError?: (err: unknown) => void;
}

interface Waiter {
  spans: readonly SpanRecord[];
  resolve: () => void;
  reject: (err: unknown) => void;
}

export function createWriteQueue(opts: WriteQueueOptions): WriteQueue {
  const maxInFlight = Math.max(1, opts.maxInFlightBatches ?? 2);
  const waiting: Waiter[] = [];
  let queued = 0;
  let inFlight = 0;
  let scheduled = false;
  let closed = false;
  let drained: (() => void) | null = null;
  let recentSpansPerSec = 0;

  function retryAfterSeconds(): number {
    // Time to commit what is queued at the recent commit rate, at least 1 s (Retry-After is whole seconds).
    if (recentSpansPerSec <= 0) return 1;
    return Math.max(1, Math.ceil(queued / recentSpansPerSec));
  }

  function takeBatch(): Waiter[] {
    const batch: Waiter[] = [];
    let spans = 0;
    while (waiting.length > 0) {
      const next = waiting[0];
      if (next === undefined) break;
      // Always take one request, even one larger than maxBatchSpans: requests are never split.
      if (batch.length > 0 && spans + next.spans.length > opts.maxBatchSpans) break;
      waiting.shift();
      batch.push(next);
      spans += next.spans.length;
    }
    return batch;
  }

  async function commit(batch: Waiter[]): Promise<void> {
    const spans = batch.length === 1 ? (batch[0]?.spans ?? []) : batch.flatMap((w) => w.spans);
    const started = performance.now();
    try {
      await opts.writer.writeBatch(spans);
      const durationMs = performance.now() - started;
      if (durationMs > 0) recentSpansPerSec = (spans.length * 1000) / durationMs;
      for (const w of batch) w.resolve();
      opts.onCommit?.({ spans: spans.length, durationMs });
    } catch (err) {
      for (const w of batch) w.reject(err);
      opts.onError?.(err);
    } finally {
      queued -= spans.length;
      inFlight--;
      pump();
    }
  }

  function pump(): void {
    while (inFlight < maxInFlight && waiting.length > 0) {
      const batch = takeBatch();
      inFlight++;
      void commit(batch);
    }
    if (drained !== null && inFlight === 0 && waiting.length === 0) drained();
  }

  function schedule(): void {
    if (scheduled) return;
    scheduled = true;
    // Requests enqueued in the same tick share the first commit.
    queueMicrotask(() => {
      scheduled = false;
      pump();
    });
  }

  let drainPromise: Promise<void> | null = null;
  return {
    enqueue(spans) {
      if (closed) return Promise.reject(new QueueClosedError());
      if (spans.length === 0) return Promise.resolve();
      if (queued + spans.length > opts.maxQueuedSpans) {
        return Promise.reject(new QueueFullError(retryAfterSeconds()));
      }
      queued += spans.length;
      return new Promise<void>((resolve, reject) => {
        waiting.push({ spans, resolve, reject });
        schedule();
      });
    },
    depth: () => queued,
    drain() {
      closed = true;
      if (drainPromise === null) {
        drainPromise = new Promise<void>((resolve) => {
          drained = resolve;
        });
        pump();
      }
      return drainPromise;
    },
  };
}
