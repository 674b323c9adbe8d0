/**
 * What a failed write means for the sender. Most commit failures are opaque ("retry later"), but one is worth
 * naming: SQLITE_FULL. SQLite returns it when the disk (or the filesystem quota) has no room left: its unix VFS
 * maps a write(2) that failed with ENOSPC to SQLITE_FULL rather than SQLITE_IOERR_WRITE (os_unix.c, unixWrite),
 * and it returns it as well when the file would grow past `PRAGMA max_page_count`. Space can come back (an
 * operator frees it, retention deletes old rows), so the store keeps running and ingest is retried.
 *
 * Runs inside the writer worker too: no runtime imports.
 */

export class StorageFullError extends Error {
  override name = "StorageFullError";
  constructor(detail: string) {
    super(`the database disk is full (${detail})`);
  }
}

/** The SQLite result code of an error from better-sqlite3 (SqliteError.code, e.g. "SQLITE_FULL"), if any. */
export function sqliteCodeOf(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null || !("code" in error)) return undefined;
  return typeof error.code === "string" && error.code.startsWith("SQLITE_") ? error.code : undefined;
}

export function isStorageFullCode(code: string | undefined): boolean {
  return code === "SQLITE_FULL";
}

/** The error a writer rejects with: StorageFullError for SQLITE_FULL, the error itself otherwise. */
export function writeErrorFrom(error: unknown): unknown {
  if (!isStorageFullCode(sqliteCodeOf(error))) return error;
  return new StorageFullError(error instanceof Error ? error.message : "SQLITE_FULL");
}
