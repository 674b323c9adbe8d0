/**
 * The metric store's reads, on the store's read-only connection (WAL: never blocks the writer): dictionary
 * lookups when a stream is first seen after a restart, and the two points bounding a window for every stream.
 */
import type Database from "better-sqlite3";
import { type EdgeKey, edgeKeyFromValues, edgeKeyInScope } from "../metrics/edge-key.js";
import { blobToBuckets, EDGE_KEY_COLUMNS, POINT_SCALAR_COLUMNS } from "./metric-inserter.js";

export interface StoredPoint {
  tsMs: number;
  ord: number;
  scalars: number[];
  buckets: Float64Array | null;
}

export interface StoredStream {
  id: number;
  les: string[];
}

export interface WindowStream {
  streamId: number;
  edgeKeyId: number;
  key: EdgeKey;
  les: string[];
  first: StoredPoint;
  last: StoredPoint;
}

export interface WindowFilter {
  startMs: number;
  endMs: number;
  namespaces?: readonly string[];
  reporter?: string;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null;
}

function num(row: Record<string, unknown>, col: string): number {
  const v = row[col];
  if (typeof v !== "number") throw new Error(`metric row column ${col} is not a number`);
  return v;
}

function str(row: Record<string, unknown>, col: string): string {
  const v = row[col];
  if (typeof v !== "string") throw new Error(`metric row column ${col} is not text`);
  return v;
}

function splitLes(les: string): string[] {
  return les === "" ? [] : les.split(",");
}

function point(row: Record<string, unknown>, prefix: string): StoredPoint {
  return {
    tsMs: num(row, `${prefix}ts_ms`),
    ord: num(row, `${prefix}ord`),
    scalars: POINT_SCALAR_COLUMNS.map((c) => num(row, `${prefix}${c}`)),
    buckets: blobToBuckets(row[`${prefix}buckets`]),
  };
}

export class MetricSqlReader {
  private readonly edgeKeyId: Database.Statement<[string]>;
  private readonly stream: Database.Statement<[number, string]>;
  private readonly lastPoint: Database.Statement<[number]>;
  private readonly maxIds: Database.Statement<[]>;
  private readonly window: Database.Statement<[number, number]>;
  private readonly keysById: Database.Statement<[string]>;
  private readonly keyCache = new Map<number, EdgeKey>();

  constructor(db: Database.Database) {
    this.edgeKeyId = db.prepare("SELECT id FROM metric_edge_keys WHERE key = ?").pluck();
    this.stream = db.prepare("SELECT id, les FROM metric_streams WHERE edge_key_id = ? AND origin = ?");
    const pointCols = ["ts_ms", "ord", ...POINT_SCALAR_COLUMNS, "buckets"];
    this.lastPoint = db.prepare(
      `SELECT ${pointCols.join(", ")} FROM metric_points WHERE stream_id = ? ORDER BY ts_ms DESC LIMIT 1`,
    );
    this.maxIds = db.prepare(
      "SELECT (SELECT max(id) FROM metric_edge_keys) AS edge_key, (SELECT max(id) FROM metric_streams) AS stream",
    );
    const sel = (alias: string) => pointCols.map((c) => `${alias}.${c}`).join(", ");
    // Two seeks per stream on the (stream_id, ts_ms) primary key: the first sample at or after the start and the
    // last one at or before the end (PromQL 2.x range selectors include both ends). CROSS JOIN pins the loop
    // order (streams outside): left to itself the planner may scan every point through the time index instead.
    // Raw rows (arrays): named-column objects for ~30 columns cost more than the seeks.
    this.window = db
      .prepare(
        `SELECT s.id, s.edge_key_id, s.les, ${sel("f")}, ${sel("l")}
         FROM metric_streams s CROSS JOIN metric_points f CROSS JOIN metric_points l
         WHERE f.stream_id = s.id AND f.ts_ms = (
             SELECT p.ts_ms FROM metric_points p WHERE p.stream_id = s.id AND p.ts_ms >= ? ORDER BY p.ts_ms LIMIT 1)
           AND l.stream_id = s.id AND l.ts_ms = (
             SELECT p.ts_ms FROM metric_points p WHERE p.stream_id = s.id AND p.ts_ms <= ?
             ORDER BY p.ts_ms DESC LIMIT 1)
           AND l.ts_ms > f.ts_ms`,
      )
      .raw();
    this.keysById = db
      .prepare(
        `SELECT id, ${EDGE_KEY_COLUMNS.join(", ")} FROM metric_edge_keys WHERE id IN (SELECT value FROM json_each(?))`,
      )
      .raw();
  }

  findEdgeKey(key: string): number | undefined {
    const id = this.edgeKeyId.get(key);
    return typeof id === "number" ? id : undefined;
  }

  findStream(edgeKeyId: number, origin: string): StoredStream | undefined {
    const row: unknown = this.stream.get(edgeKeyId, origin);
    if (!isRecord(row)) return undefined;
    return { id: num(row, "id"), les: splitLes(str(row, "les")) };
  }

  lastPointOf(streamId: number): StoredPoint | undefined {
    const row: unknown = this.lastPoint.get(streamId);
    return isRecord(row) ? point(row, "") : undefined;
  }

  /** Highest ids in use (0 when none): the metric store allocates above them. */
  highestIds(): { edgeKey: number; stream: number } {
    const row: unknown = this.maxIds.get();
    if (!isRecord(row)) return { edgeKey: 0, stream: 0 };
    const id = (v: unknown) => (typeof v === "number" ? v : 0);
    return { edgeKey: id(row.edge_key), stream: id(row.stream) };
  }

  /** Every stream with at least two samples in the window, with its first and last sample there. */
  windowStreams(filter: WindowFilter): WindowStream[] {
    const rows = this.window.all(filter.startMs, filter.endMs);
    const keys = this.edgeKeys(rows.map((r) => (Array.isArray(r) ? r[1] : undefined)));
    const namespaces = filter.namespaces === undefined ? null : new Set(filter.namespaces);
    const out: WindowStream[] = [];
    const width = 2 + POINT_SCALAR_COLUMNS.length + 1;
    for (const row of rows) {
      if (!Array.isArray(row)) continue;
      const edgeKeyId = row[1];
      const key = typeof edgeKeyId === "number" ? keys.get(edgeKeyId) : undefined;
      if (key === undefined) continue;
      if (!edgeKeyInScope(key, filter.reporter, namespaces)) continue;
      out.push({
        streamId: asNumber(row[0]),
        edgeKeyId: asNumber(edgeKeyId),
        key,
        les: splitLes(typeof row[2] === "string" ? row[2] : ""),
        first: rawPoint(row, 3),
        last: rawPoint(row, 3 + width),
      });
    }
    return out;
  }

  /** Edge keys by id, from a cache (keys never change once written) filled from the database on demand. */
  private edgeKeys(ids: unknown[]): Map<number, EdgeKey> {
    const missing = new Set<number>();
    for (const id of ids) if (typeof id === "number" && !this.keyCache.has(id)) missing.add(id);
    if (missing.size > 0) {
      if (this.keyCache.size + missing.size > MAX_CACHED_KEYS) this.keyCache.clear();
      for (const row of this.keysById.all(JSON.stringify([...missing]))) {
        if (!Array.isArray(row)) continue;
        this.keyCache.set(asNumber(row[0]), edgeKeyFromValues(row.slice(1).map((v) => String(v))));
      }
    }
    return this.keyCache;
  }
}

const MAX_CACHED_KEYS = 500_000;

function asNumber(v: unknown): number {
  if (typeof v !== "number") throw new Error("metric row value is not a number");
  return v;
}

/** A point from a raw row: ts_ms, ord, the scalar columns, buckets, starting at column `at`. */
function rawPoint(row: unknown[], at: number): StoredPoint {
  const scalars: number[] = [];
  for (let i = 0; i < POINT_SCALAR_COLUMNS.length; i++) scalars.push(asNumber(row[at + 2 + i]));
  return {
    tsMs: asNumber(row[at]),
    ord: asNumber(row[at + 1]),
    scalars,
    buckets: blobToBuckets(row[at + 2 + POINT_SCALAR_COLUMNS.length]),
  };
}
