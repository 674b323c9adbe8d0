import type { SpanRecord } from "@meshscope/model";
import { describe, expect, it } from "vitest";
import { openSqliteStore } from "../store/sqlite-store.js";
import type { TraceWriter } from "../store/trace-store.js";
import { hexId, makeSpan, tempDir } from "../test-support/store-fixtures.js";
import { createWriteQueue, QueueClosedError, QueueFullError } from "./write-queue.js";

/** A writer whose commits complete when the test says so, recording what each transaction held. */
class ControlledWriter implements TraceWriter {
  readonly transactions: SpanRecord[][] = [];
  readonly committed: SpanRecord[] = [];
  private readonly waiting: Array<{ spans: readonly SpanRecord[]; resolve: () => void; reject: (e: Error) => void }> =
    [];

  writeBatch(spans: readonly SpanRecord[]): Promise<void> {
    this.transactions.push([...spans]);
    return new Promise((resolve, reject) => this.waiting.push({ spans, resolve, reject }));
  }

  inFlight(): number {
    return this.waiting.length;
  }

  commitNext(): void {
    const next = this.waiting.shift();
    if (next === undefined) throw new Error("no transaction in flight");
    this.committed.push(...next.spans);
    next.resolve();
  }

  failNext(message: string): void {
    this.waiting.shift()?.reject(new Error(message));
  }
}

function spans(n: number, from = 0): SpanRecord[] {
  return Array.from({ length: n }, (_, i) => makeSpan({ spanId: hexId(from + i + 1, 8) }));
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe("the write queue", () => {
  it("combines concurrent requests into fewer transactions and resolves each only after its commit", async () => {
    const writer = new ControlledWriter();
    const queue = createWriteQueue({ writer, maxQueuedSpans: 10_000, maxBatchSpans: 1_000, maxInFlightBatches: 1 });
    const settled: number[] = [];
    const requests = Array.from({ length: 20 }, (_, i) => queue.enqueue(spans(10, i * 10)).then(() => settled.push(i)));
    await tick();
    // The first microtask took every request enqueued in the same tick.
    expect(writer.transactions).toHaveLength(1);
    expect(writer.transactions[0]).toHaveLength(200);
    expect(settled).toEqual([]);
    const late = Array.from({ length: 5 }, (_, i) => queue.enqueue(spans(10, 1000 + i * 10)));
    writer.commitNext();
    await Promise.all(requests);
    expect(settled).toHaveLength(20);
    await tick();
    expect(writer.transactions).toHaveLength(2);
    writer.commitNext();
    await Promise.all(late);
    expect(writer.committed).toHaveLength(250);
  });

  it("never puts more than maxBatchSpans in one transaction, but never splits a request", async () => {
    const writer = new ControlledWriter();
    const queue = createWriteQueue({ writer, maxQueuedSpans: 10_000, maxBatchSpans: 25, maxInFlightBatches: 1 });
    const all = [10, 10, 10, 40].map((n, i) => queue.enqueue(spans(n, i * 100)));
    for (let i = 0; i < 3; i++) {
      await tick();
      writer.commitNext();
    }
    await Promise.all(all);
    expect(writer.transactions.map((t) => t.length)).toEqual([20, 10, 40]);
  });

  it("rejects at once with QueueFullError when the spans would exceed maxQueuedSpans", async () => {
    const writer = new ControlledWriter();
    const queue = createWriteQueue({ writer, maxQueuedSpans: 100, maxBatchSpans: 50 });
    const accepted = queue.enqueue(spans(80));
    const rejected = queue.enqueue(spans(30));
    await expect(rejected).rejects.toBeInstanceOf(QueueFullError);
    await expect(rejected).rejects.toMatchObject({ retryAfterSeconds: expect.any(Number) });
    expect(queue.depth()).toBe(80);
    await tick();
    writer.commitNext();
    await accepted;
    expect(queue.depth()).toBe(0);
    const next = queue.enqueue(spans(30));
    await tick();
    writer.commitNext();
    await expect(next).resolves.toBeUndefined();
  });

  it("rejects every caller of a failed commit and keeps serving later requests", async () => {
    const writer = new ControlledWriter();
    const errors: unknown[] = [];
    const queue = createWriteQueue({
      writer,
      maxQueuedSpans: 1_000,
      maxBatchSpans: 1_000,
      maxInFlightBatches: 1,
      onError: (e) => errors.push(e),
    });
    const a = queue.enqueue(spans(5));
    const b = queue.enqueue(spans(5, 5));
    await tick();
    writer.failNext("disk I/O error");
    await expect(a).rejects.toThrow("disk I/O error");
    await expect(b).rejects.toThrow("disk I/O error");
    expect(errors).toHaveLength(1);
    expect(queue.depth()).toBe(0);
    const c = queue.enqueue(spans(5, 10));
    await tick();
    writer.commitNext();
    await expect(c).resolves.toBeUndefined();
  });

  it("drain commits everything already accepted, then refuses new spans", async () => {
    const writer = new ControlledWriter();
    const commits: number[] = [];
    const queue = createWriteQueue({
      writer,
      maxQueuedSpans: 1_000,
      maxBatchSpans: 10,
      maxInFlightBatches: 1,
      onCommit: (info) => commits.push(info.spans),
    });
    const pending = [queue.enqueue(spans(10)), queue.enqueue(spans(10, 10)), queue.enqueue(spans(10, 20))];
    let drained = false;
    const drain = queue.drain().then(() => {
      drained = true;
    });
    await expect(queue.enqueue(spans(1, 99))).rejects.toBeInstanceOf(QueueClosedError);
    for (let i = 0; i < 3; i++) {
      await tick();
      expect(drained).toBe(false);
      writer.commitNext();
    }
    await drain;
    await Promise.all(pending);
    expect(commits).toEqual([10, 10, 10]);
    expect(writer.committed).toHaveLength(30);
  });

  it("keeps up to maxInFlightBatches commits in flight", async () => {
    const writer = new ControlledWriter();
    const queue = createWriteQueue({ writer, maxQueuedSpans: 1_000, maxBatchSpans: 10, maxInFlightBatches: 2 });
    const all = [0, 1, 2].map((i) => queue.enqueue(spans(10, i * 10)));
    await tick();
    expect(writer.inFlight()).toBe(2);
    writer.commitNext();
    await tick();
    expect(writer.inFlight()).toBe(2);
    writer.commitNext();
    writer.commitNext();
    await Promise.all(all);
  });
});

describe("the write queue over the SQLite store", () => {
  it("groups concurrent requests into fewer commits, and each request is readable once its promise resolves", async () => {
    const dir = tempDir();
    const store = openSqliteStore({ path: dir.file("q.db"), retentionIntervalMs: 0 });
    try {
      const commits: number[] = [];
      const queue = createWriteQueue({
        writer: store.writer,
        maxQueuedSpans: 100_000,
        maxBatchSpans: 5_000,
        onCommit: (info) => commits.push(info.spans),
      });
      const requests = Array.from({ length: 50 }, (_, r) =>
        Array.from({ length: 20 }, (_, i) => makeSpan({ traceId: hexId(r + 1, 16), spanId: hexId(i + 1, 8) })),
      );
      const visibleOnResolve = await Promise.all(
        requests.map((spans, r) =>
          queue.enqueue(spans).then(() => store.reader.getTrace(hexId(r + 1, 16)).length === spans.length),
        ),
      );
      expect(visibleOnResolve.every(Boolean)).toBe(true);
      expect(commits.reduce((a, b) => a + b, 0)).toBe(1_000);
      expect(commits.length).toBeLessThan(requests.length);
      await queue.drain();
    } finally {
      await store.close();
      dir.remove();
    }
  });
});
