/**
 * Revisions of the mesh config (DESIGN §4: "every apply is a revision"): who, when, why, which wizard, and each
 * object's YAML before and after. They live in the same SQLite file as the telemetry, on a connection of their own
 * (WAL lets it write between the span writer's commits); retention never touches them. The table is created with
 * IF NOT EXISTS, so opening an older database, or the same one twice, is harmless.
 */
import { type ChangeAction, ObjectChange, type RevisionDetail, type RevisionSummary } from "@meshscope/model";
import type Database from "better-sqlite3";
import { z } from "zod";
import { openConnection } from "../store/connection.js";

export interface NewRevision {
  timeUs: number;
  author: string;
  message: string;
  wizard: string | null;
  rollbackOf: number | null;
  changes: ObjectChange[];
  diff: string;
}

export interface RevisionStore {
  record(revision: NewRevision): RevisionDetail;
  /** Newest first. */
  list(limit: number): RevisionSummary[];
  get(id: number): RevisionDetail | null;
  /** Every revision with an id above `id`, oldest first. */
  after(id: number): RevisionDetail[];
  close(): void;
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS mesh_revisions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    time_us INTEGER NOT NULL,
    author TEXT NOT NULL,
    message TEXT NOT NULL,
    wizard TEXT,
    rollback_of INTEGER,
    -- JSON array of ObjectChange (@meshscope/model): ref, action, YAML before and after, unmanaged.
    changes TEXT NOT NULL,
    diff TEXT NOT NULL
  );
`;

interface Row {
  id: number;
  time_us: number;
  author: string;
  message: string;
  wizard: string | null;
  rollback_of: number | null;
  changes: string;
  diff: string;
}

const Changes = z.array(ObjectChange);

function detailOf(row: Row): RevisionDetail {
  // The column was written by record() below, but the file is on disk: check it like any other input.
  const changes = Changes.parse(JSON.parse(row.changes));
  return {
    id: row.id,
    time: row.time_us,
    author: row.author,
    message: row.message,
    wizard: row.wizard,
    rollbackOf: row.rollback_of,
    objects: changes.map((c): { ref: ObjectChange["ref"]; action: ChangeAction } => ({ ref: c.ref, action: c.action })),
    changes,
    diff: row.diff,
  };
}

function summaryOf(detail: RevisionDetail): RevisionSummary {
  const { changes: _changes, diff: _diff, ...summary } = detail;
  return summary;
}

export function openRevisionStore(dbPath: string): RevisionStore {
  const db: Database.Database = openConnection(dbPath, { cacheKiB: 2048 });
  db.exec(SCHEMA);
  const insert = db.prepare<[number, string, string, string | null, number | null, string, string]>(
    "INSERT INTO mesh_revisions (time_us, author, message, wizard, rollback_of, changes, diff) VALUES (?, ?, ?, ?, ?, ?, ?)",
  );
  const byId = db.prepare<[number], Row>("SELECT * FROM mesh_revisions WHERE id = ?");
  const newest = db.prepare<[number], Row>("SELECT * FROM mesh_revisions ORDER BY id DESC LIMIT ?");
  const later = db.prepare<[number], Row>("SELECT * FROM mesh_revisions WHERE id > ? ORDER BY id");
  return {
    record(r) {
      const info = insert.run(r.timeUs, r.author, r.message, r.wizard, r.rollbackOf, JSON.stringify(r.changes), r.diff);
      const row = byId.get(Number(info.lastInsertRowid));
      if (!row) throw new Error("revision vanished right after insert");
      return detailOf(row);
    },
    list: (limit) => newest.all(limit).map((row) => summaryOf(detailOf(row))),
    get(id) {
      const row = byId.get(id);
      return row ? detailOf(row) : null;
    },
    after: (id) => later.all(id).map(detailOf),
    close: () => db.close(),
  };
}
