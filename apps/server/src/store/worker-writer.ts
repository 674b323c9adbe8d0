/**
 * TraceWriter whose SQLite work runs on a worker thread (writer-worker.ts). The calling thread only encodes
 * rows (encodeSpanRows) and posts them, transferring the typed-array columns; the promise settles when the
 * worker reports the COMMIT (or its failure).
 */
import type { Worker } from "node:worker_threads";
import type { SpanRecord } from "@meshscope/model";
import { type MetricWriteBatch, type MetricWriter, packMetricWriteBatch } from "./metric-rows.js";
import type { RetentionInfo } from "./retention.js";
import { encodeSpanRows, transferables } from "./span-rows.js";
import { startWorker } from "./start-worker.js";
import type { TraceWriter } from "./trace-store.js";
import { isStorageFullCode, StorageFullError } from "./write-errors.js";
import type { FromWorker, ToWorker, WriterWorkerData } from "./writer-protocol.js";

interface Pending {
  resolve: () => void;
  reject: (err: Error) => void;
}

export interface WorkerWriterEvents {
  onRetention?: (info: RetentionInfo) => void;
  onRetentionError?: (error: Error) => void;
}

export class WorkerTraceWriter implements TraceWriter, MetricWriter {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private failure: Error | null = null;
  private closed: Promise<void> | null = null;
  private resolveClosed: (() => void) | null = null;

  constructor(data: WriterWorkerData, events: WorkerWriterEvents = {}) {
    this.worker = startWorker(import.meta.url, "writer-worker", data);
    this.worker.on("message", (msg: FromWorker) => {
      switch (msg.type) {
        case "committed":
          this.settle(msg.id)?.resolve();
          break;
        case "failed":
          this.settle(msg.id)?.reject(
            isStorageFullCode(msg.sqliteCode)
              ? new StorageFullError(msg.message)
              : new Error(`commit failed: ${msg.message}`),
          );
          break;
        case "retention":
          events.onRetention?.({
            deletedSpans: msg.deletedSpans,
            deletedTraces: msg.deletedTraces,
            deletedMetricPoints: msg.deletedMetricPoints,
          });
          break;
        case "retentionFailed":
          events.onRetentionError?.(new Error(`retention failed: ${msg.message}`));
          break;
        case "closed":
          this.resolveClosed?.();
          break;
      }
    });
    this.worker.on("error", (err) => this.fail(err));
    this.worker.on("exit", (code) => {
      this.fail(new Error(`writer worker exited (code ${code})`));
      this.resolveClosed?.();
    });
  }

  writeBatch(spans: readonly SpanRecord[]): Promise<void> {
    if (this.failure !== null) return Promise.reject(this.failure);
    if (this.closed !== null) return Promise.reject(new Error("trace writer is closed"));
    if (spans.length === 0) return Promise.resolve();
    let batch: ReturnType<typeof encodeSpanRows>;
    try {
      batch = encodeSpanRows(spans);
    } catch (err) {
      return Promise.reject(err);
    }
    const id = this.nextId++;
    return new Promise<void>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      const msg: ToWorker = { type: "write", id, batch };
      this.worker.postMessage(msg, transferables(batch));
    });
  }

  /**
   * Posts metric rows to the same worker connection as spans; settles at its COMMIT. The packed points' buffer is
   * transferred (the batch's `points.data` is unusable here afterwards); the dictionary rows go packed
   * (packMetricWriteBatch).
   */
  writeMetrics(batch: MetricWriteBatch): Promise<void> {
    if (this.failure !== null) return Promise.reject(this.failure);
    if (this.closed !== null) return Promise.reject(new Error("metric writer is closed"));
    if (batch.edgeKeys.length === 0 && batch.streams.length === 0 && batch.points.count === 0) {
      return Promise.resolve();
    }
    const id = this.nextId++;
    const buffer = batch.points.data.buffer;
    // Always a plain ArrayBuffer (MetricPointsBuilder allocates it); a SharedArrayBuffer could not be transferred.
    const transfer = buffer instanceof ArrayBuffer ? [buffer] : [];
    return new Promise<void>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ type: "metrics", id, batch: packMetricWriteBatch(batch) } satisfies ToWorker, transfer);
    });
  }

  /** Test hook: sets the writer connection's max_page_count (page-limit.ts); settles after the batches before it. */
  limitPages(maxPageCount: number | null): Promise<void> {
    if (this.failure !== null) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<void>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ type: "limitPages", id, maxPageCount } satisfies ToWorker);
    });
  }

  /** Waits for every batch already posted (the worker handles messages in order), then closes the worker. */
  close(): Promise<void> {
    if (this.closed === null) {
      this.closed = new Promise<void>((resolve) => {
        this.resolveClosed = resolve;
      });
      if (this.failure !== null) this.resolveClosed?.();
      else this.worker.postMessage({ type: "close" } satisfies ToWorker);
    }
    return this.closed;
  }

  private settle(id: number): Pending | undefined {
    const p = this.pending.get(id);
    this.pending.delete(id);
    return p;
  }

  private fail(err: Error): void {
    if (this.failure === null) this.failure = err;
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }
}
