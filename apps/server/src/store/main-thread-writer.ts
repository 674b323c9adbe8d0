/** TraceWriter that encodes and commits on the calling thread: the simple alternative to the worker writer. */
import type { SpanRecord } from "@meshscope/model";
import type { BatchInserter } from "./batch-inserter.js";
import { encodeSpanRows } from "./span-rows.js";
import type { TraceWriter } from "./trace-store.js";

export class MainThreadTraceWriter implements TraceWriter {
  constructor(private readonly inserter: BatchInserter) {}

  writeBatch(spans: readonly SpanRecord[]): Promise<void> {
    try {
      this.inserter.insert(encodeSpanRows(spans));
      return Promise.resolve();
    } catch (err) {
      return Promise.reject(err);
    }
  }
}
