/**
 * The writer thread: owns the only write connection while the store runs on a worker, so SQLite's insert
 * work (B-tree updates, WAL writes) runs on the second core while the main thread serves HTTP and decodes.
 * Batches are applied strictly in arrival order; each is acknowledged after its COMMIT returned.
 * Retention runs here too, one small chunk at a time, interleaved with writes.
 *
 * Imports nothing from @meshscope/model at runtime: this file may run under plain Node from dist/.
 */
import { setImmediate as yieldToEvents } from "node:timers/promises";
import { parentPort, workerData } from "node:worker_threads";
import { BatchInserter } from "./batch-inserter.js";
import { openConnection } from "./connection.js";
import { MetricInserter } from "./metric-inserter.js";
import { unpackMetricWriteBatch } from "./metric-rows.js";
import { setMaxPageCount } from "./page-limit.js";
import { RetentionRunner } from "./retention.js";
import { sqliteCodeOf } from "./write-errors.js";
import { type FromWorker, retentionPolicy, type ToWorker, type WriterWorkerData } from "./writer-protocol.js";

function readWorkerData(data: unknown): WriterWorkerData {
  if (typeof data !== "object" || data === null) throw new TypeError("writer worker needs workerData");
  const get = (key: string): unknown => Reflect.get(data, key);
  const num = (key: string): number => {
    const v = get(key);
    if (typeof v !== "number") throw new TypeError(`workerData.${key} must be a number`);
    return v;
  };
  const path = get("path");
  if (typeof path !== "string") throw new TypeError("workerData.path must be a string");
  return {
    path,
    cacheKiB: num("cacheKiB"),
    retentionUs: num("retentionUs"),
    maxDbBytes: num("maxDbBytes"),
    retentionIntervalMs: num("retentionIntervalMs"),
  };
}

const port = parentPort;
if (port === null) throw new Error("writer-worker.ts must run as a worker thread");
const config = readWorkerData(workerData);
const db = openConnection(config.path, { cacheKiB: config.cacheKiB });
const inserter = new BatchInserter(db);
const metricInserter = new MetricInserter(db);
const retention = new RetentionRunner(db);
let closing = false;
let retentionRunning = false;

function send(msg: FromWorker): void {
  port?.postMessage(msg);
}

function failed(id: number, err: unknown): FromWorker {
  const sqliteCode = sqliteCodeOf(err);
  const message = err instanceof Error ? err.message : String(err);
  return sqliteCode === undefined ? { type: "failed", id, message } : { type: "failed", id, message, sqliteCode };
}

async function runRetention(): Promise<void> {
  if (retentionRunning || closing) return;
  retentionRunning = true;
  try {
    for (;;) {
      const r = retention.runChunk(retentionPolicy(config, Date.now() * 1000));
      if (r.deletedSpans > 0 || r.deletedTraces > 0 || r.deletedMetricPoints > 0) {
        send({
          type: "retention",
          deletedSpans: r.deletedSpans,
          deletedTraces: r.deletedTraces,
          deletedMetricPoints: r.deletedMetricPoints,
        });
      }
      if (!r.more || closing) break;
      // Let queued write batches in between chunks: ingest never waits for more than one chunk.
      await yieldToEvents();
    }
  } finally {
    retentionRunning = false;
  }
}

const timer =
  config.retentionIntervalMs > 0 && (config.retentionUs > 0 || config.maxDbBytes > 0)
    ? setInterval(
        () =>
          // A failed pass (SQLITE_FULL: deleting needs WAL space too) must not end the thread and with it every
          // later write: report it, and the next interval tries again.
          void runRetention().catch((err: unknown) => {
            send({ type: "retentionFailed", message: err instanceof Error ? err.message : String(err) });
          }),
        config.retentionIntervalMs,
      )
    : undefined;

port.on("message", (msg: ToWorker) => {
  if (msg.type === "write" || msg.type === "metrics") {
    try {
      if (msg.type === "write") inserter.insert(msg.batch);
      else metricInserter.insert(unpackMetricWriteBatch(msg.batch));
      send({ type: "committed", id: msg.id });
    } catch (err) {
      send(failed(msg.id, err));
    }
    return;
  }
  if (msg.type === "limitPages") {
    try {
      setMaxPageCount(db, msg.maxPageCount);
      send({ type: "committed", id: msg.id });
    } catch (err) {
      send(failed(msg.id, err));
    }
    return;
  }
  closing = true;
  if (timer !== undefined) clearInterval(timer);
  // Fold the WAL into the database file so the next open starts clean; harmless if a reader blocks it.
  try {
    db.pragma("wal_checkpoint(TRUNCATE)");
  } finally {
    db.close();
    send({ type: "closed" });
    port.close();
  }
});
