/**
 * Retention by age and by database size. Deletes the oldest batches (rowid ranges of `spans`, and the traces
 * those batches created) a bounded chunk per transaction, so a concurrent writer waits at most one small
 * transaction. Callers yield between chunks.
 *
 * Age is judged by the newest span start in a batch: a batch goes once all its spans are older than the cutoff.
 * A trace created by a deleted batch loses its summary row even if later batches added spans to it; those
 * later spans become unreachable by id and invisible to search, and go when their own batch does. This only
 * affects traces that straddle the retention edge.
 *
 * Runs inside the writer worker: no runtime imports from @meshscope/model.
 */
import type Database from "better-sqlite3";

export interface RetentionPolicy {
  /** Delete batches whose newest span started before this (µs since epoch). */
  cutoffUs?: number;
  /** Delete oldest batches while the pages in use exceed this. */
  maxDbBytes?: number;
}

/** What one automatic retention pass deleted (SqliteStoreOptions.onRetention). A type alias, not an interface,
 * so it stays assignable to plain records (log fields). */
export type RetentionInfo = {
  deletedSpans: number;
  deletedTraces: number;
  deletedMetricPoints: number;
};

export interface RetentionChunkResult {
  deletedSpans: number;
  deletedTraces: number;
  /** Metric points older than the age cutoff (metric data has no size-based retention). */
  deletedMetricPoints: number;
  /** True when the policy still wants more deleted. */
  more: boolean;
}

interface BatchRow {
  id: number;
  span_lo: number;
  span_hi: number;
  trace_hi: number;
  max_start_us: number;
}

/** Bytes of pages in use (the file itself does not shrink: freed pages are reused by later inserts). */
export function usedBytes(db: Database.Database): number {
  const pageSize = Number(db.pragma("page_size", { simple: true }));
  const pages = Number(db.pragma("page_count", { simple: true }));
  const free = Number(db.pragma("freelist_count", { simple: true }));
  return (pages - free) * pageSize;
}

export class RetentionRunner {
  private readonly oldest: Database.Statement<[number], BatchRow>;
  private readonly deleteSpans: Database.Statement<[number, number]>;
  private readonly deleteTraces: Database.Statement<[number]>;
  private readonly deleteBatch: Database.Statement<[number]>;
  private readonly trimBatch: Database.Statement<[number, number]>;
  private readonly chunk: (policy: RetentionPolicy) => RetentionChunkResult;
  private readonly nthOldestPoint: Database.Statement<[number]>;
  private readonly deletePoints: Database.Statement<[number]>;
  private readonly oldestPoint: Database.Statement<[]>;

  constructor(
    db: Database.Database,
    private readonly chunkSpans = 5000,
  ) {
    this.oldest = db.prepare<[number], BatchRow>(
      "SELECT id, span_lo, span_hi, trace_hi, max_start_us FROM batches ORDER BY id LIMIT ?",
    );
    this.deleteSpans = db.prepare("DELETE FROM spans WHERE id BETWEEN ? AND ?");
    this.deleteTraces = db.prepare("DELETE FROM traces WHERE id <= ?");
    this.deleteBatch = db.prepare("DELETE FROM batches WHERE id = ?");
    this.trimBatch = db.prepare("UPDATE batches SET span_lo = ? WHERE id = ?");
    // Metric points go by sample time through the (ts_ms) index, a bounded number per chunk. The dictionary rows
    // (edge keys, streams) stay: the metric store holds their ids in memory, and they are few.
    this.nthOldestPoint = db.prepare("SELECT ts_ms FROM metric_points ORDER BY ts_ms LIMIT 1 OFFSET ?").pluck();
    this.deletePoints = db.prepare("DELETE FROM metric_points WHERE ts_ms <= ?");
    this.oldestPoint = db.prepare("SELECT min(ts_ms) FROM metric_points").pluck();
    this.chunk = db.transaction((policy: RetentionPolicy) => {
      const spans = this.deleteChunk(db, policy);
      const points = this.deleteMetricChunk(policy);
      return { ...spans, deletedMetricPoints: points.deleted, more: spans.more || points.more };
    });
  }

  /** Deletes at most about chunkSpans spans in one transaction. */
  runChunk(policy: RetentionPolicy): RetentionChunkResult {
    return this.chunk(policy);
  }

  private wants(db: Database.Database, policy: RetentionPolicy, batch: BatchRow): boolean {
    if (policy.cutoffUs !== undefined && batch.max_start_us < policy.cutoffUs) return true;
    return policy.maxDbBytes !== undefined && usedBytes(db) > policy.maxDbBytes;
  }

  private deleteMetricChunk(policy: RetentionPolicy): { deleted: number; more: boolean } {
    if (policy.cutoffUs === undefined) return { deleted: 0, more: false };
    const cutoffMs = Math.floor(policy.cutoffUs / 1000);
    const oldest = this.oldestPoint.get();
    if (typeof oldest !== "number" || oldest >= cutoffMs) return { deleted: 0, more: false };
    const nth = this.nthOldestPoint.get(this.chunkSpans);
    const bound = typeof nth === "number" ? Math.min(nth, cutoffMs - 1) : cutoffMs - 1;
    const deleted = this.deletePoints.run(bound).changes;
    const next = this.oldestPoint.get();
    return { deleted, more: typeof next === "number" && next < cutoffMs };
  }

  private deleteChunk(
    db: Database.Database,
    policy: RetentionPolicy,
  ): Omit<RetentionChunkResult, "deletedMetricPoints"> {
    let deletedSpans = 0;
    let deletedTraces = 0;
    // Small batches (a commit of a few spans) are common at low traffic: take several per chunk.
    const batches = this.oldest.all(64);
    for (const b of batches) {
      if (deletedSpans >= this.chunkSpans || !this.wants(db, policy, b)) {
        return { deletedSpans, deletedTraces, more: deletedSpans > 0 && this.wants(db, policy, b) };
      }
      const hi = Math.min(b.span_hi, b.span_lo + (this.chunkSpans - deletedSpans) - 1);
      deletedSpans += this.deleteSpans.run(b.span_lo, hi).changes;
      if (hi < b.span_hi) {
        this.trimBatch.run(hi + 1, b.id);
        return { deletedSpans, deletedTraces, more: true };
      }
      deletedTraces += this.deleteTraces.run(b.trace_hi).changes;
      this.deleteBatch.run(b.id);
    }
    return { deletedSpans, deletedTraces, more: batches.length === 64 };
  }
}
