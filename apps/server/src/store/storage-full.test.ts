/**
 * The store when SQLite answers SQLITE_FULL (simulated with max_page_count, see page-limit.ts): the write fails
 * with StorageFullError, the store says so, nothing of the failed batch is kept, and once space returns writes
 * succeed again on the same store, with the names the failed batch introduced stored correctly.
 */
import { describe, expect, it } from "vitest";
import { hexId, makeSpan, useTempStores } from "../test-support/store-fixtures.js";
import { StorageFullError } from "./write-errors.js";

const { openStore } = useTempStores("full.db");

function spans(trace: number, service: string, n: number) {
  return Array.from({ length: n }, (_, i) =>
    makeSpan({
      traceId: hexId(trace, 16),
      spanId: hexId(trace * 1000 + i + 1, 8),
      service,
      resource: { "service.name": service, "k8s.namespace.name": "shop" },
      attributes: { payload: "x".repeat(300), i },
    }),
  );
}

describe.each(["worker", "main"] as const)("a full disk with a %s-thread writer", (writerThread) => {
  it("fails writes with StorageFullError until space returns, then stores them under the right names", async () => {
    const store = openStore({ writerThread, retentionIntervalMs: 0 });
    await store.writer.writeBatch(spans(1, "before", 10));
    expect(store.storageFull()).toBe(false);

    await store.limitPages(1);
    await expect(store.writer.writeBatch(spans(2, "during", 200))).rejects.toBeInstanceOf(StorageFullError);
    expect(store.storageFull()).toBe(true);
    expect(store.reader.getTrace(hexId(2, 16))).toEqual([]);
    // Reads are unaffected.
    expect(store.reader.getTrace(hexId(1, 16))).toHaveLength(10);

    await store.limitPages(null);
    // A name the failed batch had introduced, written after another new one: the rolled-back ids are not reused.
    await store.writer.writeBatch(spans(3, "after", 5));
    expect(store.storageFull()).toBe(false);
    await store.writer.writeBatch(spans(2, "during", 200));
    expect(new Set(store.reader.getTrace(hexId(2, 16)).map((s) => s.service))).toEqual(new Set(["during"]));
    expect(new Set(store.reader.getTrace(hexId(3, 16)).map((s) => s.service))).toEqual(new Set(["after"]));
  });
});
