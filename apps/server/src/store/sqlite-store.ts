/**
 * The SQLite store (traces and mesh metrics): one file, WAL, three kinds of connection.
 *  - an admin connection on the calling thread: migrations at open, explicit retention, checkpoints, stats;
 *  - the writer: by default a worker thread with its own connection (writer-worker.ts), so inserts use the
 *    second core; `writerThread: "main"` commits on the calling thread instead (same SQL);
 *  - a read-only connection for the TraceReader and the metric reads on the calling thread (WAL readers never
 *    block the writer).
 * Span and metric writes share the one writer: two write connections on one file would contend for its lock.
 */
import { mkdirSync, statSync } from "node:fs";
import { dirname } from "node:path";
import type Database from "better-sqlite3";
import { MetricStore, type MetricStoreOptions } from "../metrics/metric-store.js";
import { BatchInserter } from "./batch-inserter.js";
import { openConnection } from "./connection.js";
import { MainThreadTraceWriter } from "./main-thread-writer.js";
import type { MetricWriter } from "./metric-rows.js";
import { MetricSqlReader } from "./metric-sql-reader.js";
import { type RetentionInfo, RetentionRunner, usedBytes } from "./retention.js";
import { applyMigrations } from "./schema.js";
import { SqliteTraceReader } from "./sqlite-reader.js";
import type { TraceReader, TraceWriter } from "./trace-store.js";
import { WorkerTraceWriter } from "./worker-writer.js";
import { StorageFullError } from "./write-errors.js";
import { retentionPolicy } from "./writer-protocol.js";

/** DESIGN §2: MESHSCOPE_RETENTION defaults to 7 days. */
export const DEFAULT_RETENTION_US = 7 * 24 * 3600 * 1_000_000;

export interface SqliteStoreOptions {
  /** Database file; its directory is created if missing. */
  path: string;
  /** Keep spans (by start time) and metric points (by sample time) this long (µs); default 7 days; 0 = forever. */
  retentionUs?: number;
  /** Delete the oldest data while the pages in use exceed this many bytes; default: no limit. */
  maxDbBytes?: number;
  /** Where SQLite inserts run; default "worker". */
  writerThread?: "worker" | "main";
  /** How often the automatic retention pass runs (ms); default 10 s; 0 = only through runRetention(). */
  retentionIntervalMs?: number;
  /** Page cache of the writer connection in KiB; default 64 MiB. */
  writerCacheKiB?: number;
  /** Called after an automatic retention chunk deleted something. */
  onRetention?: (info: RetentionInfo) => void;
  /** Called when an automatic retention pass failed (e.g. SQLITE_FULL); the next interval tries again. */
  onRetentionError?: (error: Error) => void;
  /** Counter state limits of the metric store (cardinality, staleness). */
  metrics?: MetricStoreOptions;
}

export interface SqliteStoreStats {
  /** Bytes of database pages in use. */
  dbBytes: number;
  /** Size of the database file and of its WAL. */
  fileBytes: number;
  walBytes: number;
}

export interface SqliteStore {
  reader: TraceReader;
  /** SqliteTraceReader.traceVersion on the reader's connection: what an outline built earlier is checked against. */
  traceVersion(traceId: string): string | null;
  writer: TraceWriter;
  /**
   * The metric store on this file: receivers call `metrics.ingest` (resolves after commit), the graph reads
   * `metrics.edgeTraffic` / `metrics.seriesOverTime`. Its writes go through the same writer as spans.
   */
  metrics: MetricStore;
  /** A passive WAL checkpoint (never waits for readers or the writer). */
  checkpoint(): void;
  /** Applies the retention policy now, in chunks of a few thousand spans per transaction; synchronous. */
  runRetention(nowUs: number): RetentionInfo;
  stats(): SqliteStoreStats;
  /**
   * True from a write that failed with SQLITE_FULL (StorageFullError) until the next write that commits: the
   * store stays open and reads go on, but ingest cannot succeed until space returns (/readyz reports it).
   */
  storageFull(): boolean;
  /**
   * Test hook, "disk full, simulated with SQLite max_page_count": sets the writer connection's page limit
   * (never below the pages in use); null lifts it. Settles after the writes handed over before it.
   */
  limitPages(maxPageCount: number | null): Promise<void>;
  /** Waits for batches already handed to the writer to commit, then closes every connection. */
  close(): Promise<void>;
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

export function openSqliteStore(opts: SqliteStoreOptions): SqliteStore {
  mkdirSync(dirname(opts.path), { recursive: true });
  const limits = { retentionUs: opts.retentionUs ?? DEFAULT_RETENTION_US, maxDbBytes: opts.maxDbBytes ?? 0 };
  const intervalMs = opts.retentionIntervalMs ?? 10_000;
  const admin = openConnection(opts.path, { cacheKiB: 8192 });
  applyMigrations(admin);
  const readDb = openConnection(opts.path, { readonly: true, cacheKiB: 32768 });
  const retention = new RetentionRunner(admin);

  let writer: TraceWriter &
    MetricWriter & { close?: () => Promise<void>; limitPages(maxPageCount: number | null): Promise<void> };
  let stopTimer = (): void => {};
  let writeDb: Database.Database | null = null;
  if ((opts.writerThread ?? "worker") === "worker") {
    writer = new WorkerTraceWriter(
      { path: opts.path, cacheKiB: opts.writerCacheKiB ?? 16384, ...limits, retentionIntervalMs: intervalMs },
      {
        ...(opts.onRetention ? { onRetention: opts.onRetention } : {}),
        ...(opts.onRetentionError ? { onRetentionError: opts.onRetentionError } : {}),
      },
    );
  } else {
    writeDb = openConnection(opts.path, { cacheKiB: opts.writerCacheKiB ?? 16384 });
    writer = new MainThreadTraceWriter(new BatchInserter(writeDb));
    const mainRetention = new RetentionRunner(writeDb);
    let running = false;
    const pass = async (): Promise<void> => {
      if (running) return;
      running = true;
      try {
        for (;;) {
          const r = mainRetention.runChunk(retentionPolicy(limits, Date.now() * 1000));
          if (r.deletedSpans > 0 || r.deletedTraces > 0 || r.deletedMetricPoints > 0) {
            opts.onRetention?.({
              deletedSpans: r.deletedSpans,
              deletedTraces: r.deletedTraces,
              deletedMetricPoints: r.deletedMetricPoints,
            });
          }
          if (!r.more) break;
          await new Promise((resolve) => setImmediate(resolve));
        }
      } finally {
        running = false;
      }
    };
    if (intervalMs > 0 && (limits.retentionUs > 0 || limits.maxDbBytes > 0)) {
      // A failed pass must not become an unhandled rejection (that ends the process): report it, retry later.
      const timer = setInterval(
        () =>
          void pass().catch((err: unknown) =>
            opts.onRetentionError?.(err instanceof Error ? err : new Error(String(err))),
          ),
        intervalMs,
      );
      timer.unref();
      stopTimer = () => clearInterval(timer);
    }
  }

  // Span and metric writes alike say whether there is room: any commit clears the flag, SQLITE_FULL sets it.
  let full = false;
  const track = (write: Promise<void>): Promise<void> =>
    write.then(
      () => {
        full = false;
      },
      (error: unknown) => {
        if (error instanceof StorageFullError) full = true;
        throw error;
      },
    );
  const trackedWriter: TraceWriter & MetricWriter = {
    writeBatch: (spans) => track(writer.writeBatch(spans)),
    writeMetrics: (batch) => track(writer.writeMetrics(batch)),
  };

  let closing: Promise<void> | null = null;
  const reader = new SqliteTraceReader(readDb);
  return {
    reader,
    traceVersion: (traceId) => reader.traceVersion(traceId),
    writer: trackedWriter,
    metrics: new MetricStore(trackedWriter, new MetricSqlReader(readDb), opts.metrics),
    storageFull: () => full,
    limitPages: (maxPageCount) => writer.limitPages(maxPageCount),
    checkpoint() {
      admin.pragma("wal_checkpoint(PASSIVE)");
    },
    runRetention(nowUs) {
      const policy = retentionPolicy(limits, nowUs);
      const total: RetentionInfo = { deletedTraces: 0, deletedSpans: 0, deletedMetricPoints: 0 };
      for (;;) {
        const r = retention.runChunk(policy);
        total.deletedTraces += r.deletedTraces;
        total.deletedSpans += r.deletedSpans;
        total.deletedMetricPoints += r.deletedMetricPoints;
        if (!r.more) break;
      }
      return total;
    },
    stats() {
      return {
        dbBytes: usedBytes(admin),
        fileBytes: fileSize(opts.path),
        walBytes: fileSize(`${opts.path}-wal`),
      };
    },
    close() {
      if (closing === null) {
        closing = (async () => {
          stopTimer();
          await writer.close?.();
          if (writeDb !== null) {
            writeDb.pragma("wal_checkpoint(TRUNCATE)");
            writeDb.close();
          }
          readDb.close();
          admin.close();
        })();
      }
      return closing;
    },
  };
}
