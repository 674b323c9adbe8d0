/** Trace and metric writer that commits on the calling thread: the simple alternative to the worker writer. */
import type { SpanRecord } from "@meshscope/model";
import type { BatchInserter } from "./batch-inserter.js";
import { MetricInserter } from "./metric-inserter.js";
import type { MetricWriteBatch, MetricWriter } from "./metric-rows.js";
import { setMaxPageCount } from "./page-limit.js";
import { encodeSpanRows } from "./span-rows.js";
import type { TraceWriter } from "./trace-store.js";
import { writeErrorFrom } from "./write-errors.js";

export class MainThreadTraceWriter implements TraceWriter, MetricWriter {
  private readonly metricInserter: MetricInserter;

  constructor(private readonly inserter: BatchInserter) {
    this.metricInserter = new MetricInserter(inserter.database);
  }

  writeMetrics(batch: MetricWriteBatch): Promise<void> {
    try {
      this.metricInserter.insert(batch);
      return Promise.resolve();
    } catch (err) {
      return Promise.reject(writeErrorFrom(err));
    }
  }

  writeBatch(spans: readonly SpanRecord[]): Promise<void> {
    try {
      this.inserter.insert(encodeSpanRows(spans));
      return Promise.resolve();
    } catch (err) {
      return Promise.reject(writeErrorFrom(err));
    }
  }

  /** Test hook: sets the writer connection's max_page_count (page-limit.ts). */
  limitPages(maxPageCount: number | null): Promise<void> {
    try {
      setMaxPageCount(this.inserter.database, maxPageCount);
      return Promise.resolve();
    } catch (err) {
      return Promise.reject(err);
    }
  }
}
