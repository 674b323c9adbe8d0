/**
 * Trace outlines built on the worker thread (outline-builder.ts, outline-worker.ts) against a real SQLite file: the
 * same bytes as the request's own thread would send, prefetched answers used once and only while the trace is
 * unchanged and fresh, the limits on what is held, and a worker that dies.
 */
import { afterEach, describe, expect, it } from "vitest";
import { getTraceOutlineAnswer } from "../api/trace-outline.js";
import type { SqliteStore } from "../store/sqlite-store.js";
import { hexId, makeSpan, useTempStores } from "../test-support/store-fixtures.js";
import { OutlineBuilder, type OutlineBuilderOptions } from "./outline-builder.js";

const stores = useTempStores("outline.db");
const builders: OutlineBuilder[] = [];
afterEach(async () => {
  await Promise.all(builders.splice(0).map((b) => b.close()));
});

const TRACE_A = hexId(0xa, 16);
const TRACE_B = hexId(0xb, 16);
const TRACE_C = hexId(0xc, 16);

/** A trace of `count` spans: a root and children, some with errors and events, from two services. */
async function writeTrace(store: SqliteStore, traceId: string, count: number, firstSpan = 1): Promise<void> {
  const spans = [];
  for (let i = firstSpan; i < firstSpan + count; i++) {
    spans.push(
      makeSpan({
        traceId,
        spanId: hexId(i, 8),
        parentSpanId: i === 1 ? null : hexId(1, 8),
        service: i % 2 === 0 ? "reviews" : "productpage",
        name: `op-${i % 3}`,
        startUs: 1_700_000_000_000_000 + i * 10,
        durationUs: 1_000 - i,
        status: i % 5 === 0 ? { code: "error", message: `failed ${i}` } : { code: "unset" },
        events: i % 7 === 0 ? [{ timeUs: 1_700_000_000_000_000 + i * 10 + 3, name: "retry", attributes: {} }] : [],
      }),
    );
  }
  await store.writer.writeBatch(spans);
}

function builderOn(store: SqliteStore, opts: Partial<OutlineBuilderOptions> = {}): OutlineBuilder {
  const builder = new OutlineBuilder({
    dbPath: stores.file("outline.db"),
    version: (traceId) => store.traceVersion(traceId),
    ...opts,
  });
  builders.push(builder);
  return builder;
}

function text(answer: { bytes: Buffer } | null): string | null {
  return answer === null ? null : answer.bytes.toString("utf8");
}

describe("OutlineBuilder (worker thread, real SQLite file)", () => {
  it("answers byte for byte what the request's thread would send, and null for an unknown trace", async () => {
    const store = stores.openStore();
    await writeTrace(store, TRACE_A, 500);
    const builder = builderOn(store);
    const answer = await builder.outline(TRACE_A);
    const inThread = getTraceOutlineAnswer(store.reader, TRACE_A);
    expect(answer?.spanCount).toBe(500);
    expect(text(answer)).toBe(text(inThread));
    expect(JSON.parse(text(answer) ?? "null").statusMessage.length).toBe(100);
    expect(await builder.outline(TRACE_B)).toBeNull();
    expect(builder.stats).toEqual({ builds: 2, reused: 0, dropped: 0 });
  });

  it("a prefetched outline answers the request that follows, once, without a second build", async () => {
    const store = stores.openStore();
    await writeTrace(store, TRACE_A, 200);
    const builder = builderOn(store);
    builder.prefetch(TRACE_A);
    // Asked for while the prefetch may still be building: the request waits for that build.
    const first = await builder.outline(TRACE_A);
    expect(first?.spanCount).toBe(200);
    expect(builder.stats).toEqual({ builds: 1, reused: 1, dropped: 0 });
    // Used once: the next request builds again.
    expect(text(await builder.outline(TRACE_A))).toBe(text(first));
    expect(builder.stats).toEqual({ builds: 2, reused: 1, dropped: 0 });
  });

  it("a prefetched outline is not used once more spans of the trace are stored", async () => {
    const store = stores.openStore();
    await writeTrace(store, TRACE_A, 50);
    const builder = builderOn(store);
    builder.prefetch(TRACE_A);
    await builder.prefetchesSettled();
    await writeTrace(store, TRACE_A, 10, 51);
    const answer = await builder.outline(TRACE_A);
    expect(answer?.spanCount).toBe(60);
    expect(text(answer)).toBe(text(getTraceOutlineAnswer(store.reader, TRACE_A)));
    expect(builder.stats).toEqual({ builds: 2, reused: 0, dropped: 1 });
  });

  it("a prefetch of a trace not stored yet does not hide the trace once it is", async () => {
    const store = stores.openStore();
    const builder = builderOn(store);
    builder.prefetch(TRACE_A);
    await builder.prefetchesSettled();
    await writeTrace(store, TRACE_A, 5);
    expect((await builder.outline(TRACE_A))?.spanCount).toBe(5);
  });

  it("a prefetched outline expires unused after its time to live", async () => {
    const store = stores.openStore();
    await writeTrace(store, TRACE_A, 20);
    const builder = builderOn(store, { prefetchTtlMs: 50 });
    builder.prefetch(TRACE_A);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(builder.stats.dropped).toBe(1);
    expect((await builder.outline(TRACE_A))?.spanCount).toBe(20);
    expect(builder.stats).toEqual({ builds: 2, reused: 0, dropped: 1 });
  });

  it("keeps at most one speculative build in flight, a few answers, and within its byte budget", async () => {
    const store = stores.openStore();
    for (const id of [TRACE_A, TRACE_B, TRACE_C]) await writeTrace(store, id, 30);
    const builder = builderOn(store, { maxPrefetched: 2 });
    builder.prefetch(TRACE_A);
    builder.prefetch(TRACE_B); // A is still building: a second guess would queue ahead of real requests.
    expect(builder.stats.builds).toBe(1);
    await builder.prefetchesSettled();
    builder.prefetch(TRACE_B);
    await builder.prefetchesSettled();
    builder.prefetch(TRACE_C); // two held already: the oldest (A) goes.
    await builder.prefetchesSettled();
    expect(builder.stats).toEqual({ builds: 3, reused: 0, dropped: 1 });
    await builder.outline(TRACE_A);
    expect(builder.stats.builds).toBe(4);
    await builder.outline(TRACE_B);
    await builder.outline(TRACE_C);
    expect(builder.stats).toEqual({ builds: 4, reused: 2, dropped: 1 });

    const small = builderOn(store, { maxPrefetchedBytes: 100 });
    small.prefetch(TRACE_A);
    await small.prefetchesSettled();
    expect(small.stats).toEqual({ builds: 1, reused: 0, dropped: 1 });
  });

  it("a worker that dies fails what it was building; the next outline starts another worker", async () => {
    const store = stores.openStore();
    await writeTrace(store, TRACE_A, 10);
    const builder = builderOn(store);
    expect((await builder.outline(TRACE_A))?.spanCount).toBe(10);
    const worker: unknown = Reflect.get(builder, "worker");
    expect(worker).not.toBeNull();
    const inFlight = builder.outline(TRACE_A);
    await (worker as { terminate(): Promise<number> }).terminate();
    // Either it was answered before the worker stopped or it failed with the worker's exit; never left hanging.
    await inFlight.then(
      (answer) => expect(answer?.spanCount).toBe(10),
      (err: Error) => expect(err.message).toMatch(/outline worker exited/),
    );
    expect((await builder.outline(TRACE_A))?.spanCount).toBe(10);
  });

  it("after close, outlines are refused and prefetches ignored", async () => {
    const store = stores.openStore();
    await writeTrace(store, TRACE_A, 10);
    const builder = builderOn(store);
    await builder.close();
    builder.prefetch(TRACE_A);
    await expect(builder.outline(TRACE_A)).rejects.toThrow(/closed/);
    expect(builder.stats.builds).toBe(0);
  });
});
