/**
 * The trace store contract. SQLite implements it today (store/sqlite-*.ts); a Jaeger/Tempo-backed reader can
 * implement TraceReader later (DESIGN §7). Receivers never talk to SQLite directly: they hand spans to the
 * write queue (ingest/write-queue.ts), which batches them into TraceWriter.writeBatch calls.
 */
import type { SpanKind, SpanRecord, TraceSummary } from "@meshscope/model";

/** A search in Jaeger's semantics: a trace matches when ONE of its spans satisfies every span filter
 * (service, operation, tags, min/max duration) and that span starts within [startUs, endUs]. */
export interface TraceQuery {
  service?: string;
  operation?: string;
  /** key → value; a span matches when each key is present among its attributes (or its resource's) with a
   * value whose string form equals the given one, as Jaeger compares tag values. */
  tags?: Record<string, string>;
  minDurationUs?: number;
  maxDurationUs?: number;
  startUs: number;
  endUs: number;
  /** Maximum number of traces, most recent first. */
  limit: number;
}

export interface ServiceEntry {
  name: string;
  namespace: string | null;
}

export interface OperationEntry {
  name: string;
  spanKind: SpanKind;
}

export interface TraceReader {
  searchTraces(query: TraceQuery): TraceSummary[];
  /** Every stored span of the trace, ordered by start time; [] when unknown. */
  getTrace(traceId: string): SpanRecord[];
  listServices(): ServiceEntry[];
  listOperations(service: string, spanKind?: SpanKind): OperationEntry[];
}

export interface TraceWriter {
  /** Commits the spans in one transaction; resolves once they are durable (WAL committed). */
  writeBatch(spans: readonly SpanRecord[]): Promise<void>;
}
