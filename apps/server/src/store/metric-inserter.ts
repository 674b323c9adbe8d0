/**
 * Writes one MetricWriteBatch in one transaction: the whole SQL of the metric write path, run by the writer
 * worker or the same-thread writer (so metric and span writes share the single write connection).
 *
 * Why running totals rather than per-interval deltas: PromQL's rate over a window needs, per series, only the
 * first and the last sample inside it (their times, values and how many samples lie between). With reset-corrected
 * running totals and a sample number (`ord`) per row, a window of any length and any end time costs two index
 * seeks per stream and is exact to the sample, where time buckets of a fixed width would misplace up to a whole
 * bucket at each window edge (17% of a 1-minute window with 10 s buckets).
 */
import type Database from "better-sqlite3";
import { EDGE_KEY_FIELDS, EDGE_KEY_LABELS, edgeKeyStringValues } from "../metrics/edge-key.js";
import { type MetricWriteBatch, POINT_HEAD, POINT_SCALAR_COUNT } from "./metric-rows.js";

/** metric_points value columns, in SCALAR_FIELDS order (metrics/metric-store-families.ts). */
export const POINT_SCALAR_COLUMNS = [
  "requests",
  "duration_sum",
  "duration_count",
  "request_bytes",
  "response_bytes",
  "tcp_sent_bytes",
  "tcp_received_bytes",
  "tcp_opened",
  "tcp_closed",
] as const;

// A point's packed scalars (metric-rows.ts) are these columns, one for one: a mismatch fails to compile.
const SCALAR_COLUMN_COUNT: (typeof POINT_SCALAR_COLUMNS)["length"] = POINT_SCALAR_COUNT;

/** The edge-key columns are the Istio label names (constants, never input). */
export const EDGE_KEY_COLUMNS: readonly string[] = EDGE_KEY_FIELDS.map((f) => EDGE_KEY_LABELS[f]);

export function bucketsToBlob(buckets: Float64Array): Buffer {
  return Buffer.from(buckets.buffer, buckets.byteOffset, buckets.byteLength);
}

export function blobToBuckets(blob: unknown): Float64Array | null {
  if (!(blob instanceof Uint8Array)) return null;
  // Copy: a blob's bytes need not be 8-byte aligned for a Float64Array view.
  const copy = new Uint8Array(blob.byteLength);
  copy.set(blob);
  return new Float64Array(copy.buffer, 0, Math.floor(blob.byteLength / 8));
}

/** Parameters per point row: stream_id, ts_ms, ord, the scalars, buckets. */
const POINT_PARAMS = 3 + SCALAR_COLUMN_COUNT + 1;
const POINTS_PER_STATEMENT = 64;

export class MetricInserter {
  private readonly insertKey: Database.Statement<unknown[]>;
  private readonly upsertStream: Database.Statement<[number, number, string, string]>;
  private readonly upsertPoint: Database.Statement<unknown[]>;
  /** POINTS_PER_STATEMENT rows at once: a first push writes ~20,000 points, each statement step has a cost. */
  private readonly upsertPoints: Database.Statement<unknown[]>;
  private readonly tx: (batch: MetricWriteBatch) => void;

  constructor(db: Database.Database) {
    const keyCols = ["id", "key", ...EDGE_KEY_COLUMNS];
    this.insertKey = db.prepare(
      `INSERT OR IGNORE INTO metric_edge_keys (${keyCols.join(", ")}) VALUES (${keyCols.map(() => "?").join(", ")})`,
    );
    this.upsertStream = db.prepare(
      `INSERT INTO metric_streams (id, edge_key_id, origin, les) VALUES (?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET les = excluded.les`,
    );
    const pointCols = ["stream_id", "ts_ms", "ord", ...POINT_SCALAR_COLUMNS, "buckets"];
    const updates = ["ord", ...POINT_SCALAR_COLUMNS, "buckets"].map((c) => `${c} = excluded.${c}`).join(", ");
    // A second write of the same (stream, sample time) carries the newer totals (a push split over requests).
    const upsert = (rows: number) =>
      db.prepare<unknown[]>(
        `INSERT INTO metric_points (${pointCols.join(", ")})
         VALUES ${Array.from({ length: rows }, () => `(${pointCols.map(() => "?").join(", ")})`).join(", ")}
         ON CONFLICT (stream_id, ts_ms) DO UPDATE SET ${updates}`,
      );
    this.upsertPoint = upsert(1);
    this.upsertPoints = upsert(POINTS_PER_STATEMENT);
    this.tx = db.transaction((batch: MetricWriteBatch) => this.write(batch));
  }

  insert(batch: MetricWriteBatch): void {
    if (batch.edgeKeys.length === 0 && batch.streams.length === 0 && batch.points.count === 0) return;
    this.tx(batch);
  }

  private write(batch: MetricWriteBatch): void {
    for (const k of batch.edgeKeys) this.insertKey.run(k.id, k.key, ...edgeKeyStringValues(k.key));
    for (const s of batch.streams) this.upsertStream.run(s.id, s.edgeKeyId, s.origin, s.les);
    // Positional parameters straight from the packed points (metric-rows.ts): no object or array per point.
    // Rows go in the order of the points, so a later point of the same (stream, time) still wins.
    const d = batch.points.data;
    const count = batch.points.count;
    const many: unknown[] = new Array(POINT_PARAMS * POINTS_PER_STATEMENT);
    const one: unknown[] = new Array(POINT_PARAMS);
    let at = 0;
    let k = 0;
    for (; k + POINTS_PER_STATEMENT <= count; k += POINTS_PER_STATEMENT) {
      for (let row = 0; row < POINTS_PER_STATEMENT; row++) at = pointParams(d, at, many, row * POINT_PARAMS);
      this.upsertPoints.run(many);
    }
    for (; k < count; k++) {
      at = pointParams(d, at, one, 0);
      this.upsertPoint.run(one);
    }
  }
}

/** The point packed at d[at] as row parameters into args[to...]; returns where the next point starts. */
function pointParams(d: Float64Array, at: number, args: unknown[], to: number): number {
  for (let i = 0; i < POINT_HEAD - 1; i++) args[to + i] = d[at + i];
  const n = d[at + POINT_HEAD - 1] ?? 0;
  const from = d.byteOffset + (at + POINT_HEAD) * Float64Array.BYTES_PER_ELEMENT;
  args[to + POINT_HEAD - 1] = n === 0 ? null : Buffer.from(d.buffer, from, n * Float64Array.BYTES_PER_ELEMENT);
  return at + POINT_HEAD + n;
}
