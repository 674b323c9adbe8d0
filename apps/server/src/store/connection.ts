/**
 * Opening SQLite connections with the PRAGMAs the trace store relies on.
 *
 * Durability: journal_mode=WAL with synchronous=NORMAL. A transaction is committed once its frames are in the
 * WAL file (written with write(2), not fsync'd per commit): that survives the process being killed (SIGKILL),
 * because the data is in the OS page cache and the next open replays the WAL. It does not promise survival of
 * a power loss or kernel crash (the last commits before it may roll back, the database stays consistent).
 * synchronous=FULL would fsync every commit and cost most of the ingest rate for a guarantee the acceptance
 * test (SIGKILL) does not ask for.
 */
import Database from "better-sqlite3";

/** 8 KiB pages: span rows are ~0.5–1 KiB, so twice the default page holds more rows per B-tree leaf. */
const PAGE_SIZE = 8192;

export interface ConnectionOptions {
  readonly?: boolean;
  /** Page cache in KiB (SQLite's negative cache_size). Counts towards RSS. */
  cacheKiB?: number;
}

export function openConnection(path: string, opts: ConnectionOptions = {}): Database.Database {
  const db = new Database(path, { readonly: opts.readonly ?? false, fileMustExist: opts.readonly ?? false });
  // Writers wait for each other (worker writer, retention, checkpoints) instead of failing with SQLITE_BUSY.
  db.pragma("busy_timeout = 5000");
  if (!opts.readonly) {
    // page_size only takes effect before the first table is created (or after VACUUM).
    db.pragma(`page_size = ${PAGE_SIZE}`);
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    // ~32 MiB of WAL between automatic checkpoints: fewer, larger checkpoints under sustained ingest.
    db.pragma("wal_autocheckpoint = 4000");
    db.pragma("journal_size_limit = 67108864");
  }
  db.pragma(`cache_size = -${opts.cacheKiB ?? 32768}`);
  db.pragma("temp_store = MEMORY");
  // No mmap: mapped pages count towards RSS, and the 300 MB RSS budget matters more than the read speed-up.
  db.pragma("mmap_size = 0");
  return db;
}
