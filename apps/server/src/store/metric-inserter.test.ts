import type Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type TempDir, tempDir } from "../test-support/store-fixtures.js";
import { openConnection } from "./connection.js";
import { blobToBuckets, MetricInserter } from "./metric-inserter.js";
import { MetricPointsBuilder } from "./metric-rows.js";
import { applyMigrations } from "./schema.js";

interface PointRow {
  stream_id: number;
  ts_ms: number;
  ord: number;
  requests: number;
  buckets: unknown;
}

describe("MetricInserter", () => {
  let dir: TempDir;
  let db: Database.Database;
  beforeEach(() => {
    dir = tempDir();
    db = openConnection(dir.file("m.db"));
    applyMigrations(db);
  });
  afterEach(() => {
    db.close();
    dir.remove();
  });

  it("writes every point of a batch, many rows per statement and the rest one by one, later points winning", () => {
    const inserter = new MetricInserter(db);
    const points = new MetricPointsBuilder(16);
    const scalars = (requests: number) => [requests, 0, 0, 0, 0, 0, 0, 0, 0];
    // 152 points: 150 streams, every third with buckets, plus stream 7's point again inside the first statement of
    // 64 rows and stream 140's again among the single rows after the two full statements: the newer totals win.
    for (let s = 1; s <= 150; s++) {
      points.add(s, 1_000, s, scalars(s), s % 3 === 0 ? [s, s + 0.5] : []);
      if (s === 30) points.add(7, 1_000, 99, scalars(700), []);
    }
    points.add(140, 1_000, 98, scalars(14_000), [1, 2]);
    inserter.insert({ edgeKeys: [], streams: [], points: points.finish() });
    const rows = db
      .prepare<[], PointRow>("SELECT stream_id, ts_ms, ord, requests, buckets FROM metric_points ORDER BY stream_id")
      .all();
    expect(rows.length).toBe(150);
    for (const row of rows) {
      const s = row.stream_id;
      const [requests, ord] = s === 7 ? [700, 99] : s === 140 ? [14_000, 98] : [s, s];
      expect([row.ts_ms, row.ord, row.requests], `stream ${s}`).toEqual([1_000, ord, requests]);
      const buckets = blobToBuckets(row.buckets);
      const expected = s === 140 ? [1, 2] : s % 3 === 0 && s !== 7 ? [s, s + 0.5] : null;
      expect(buckets === null ? null : [...buckets], `stream ${s}`).toEqual(expected);
    }
  });
});
