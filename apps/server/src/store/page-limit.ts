/**
 * A full disk, simulated with SQLite's `PRAGMA max_page_count`: once the file would grow past that many pages,
 * SQLite itself fails the write with SQLITE_FULL, exactly the code a real ENOSPC gives (see write-errors.ts).
 * Tests use it because a real small filesystem needs mount privileges CI may not have. The limit belongs to one
 * connection, so it is set on the writer's own (in the writer worker when there is one).
 *
 * Runs inside the writer worker too: no runtime imports.
 */
import type Database from "better-sqlite3";

/** SQLite's own ceiling for max_page_count (SQLITE_MAX_PAGE_COUNT, 2^32 - 2 since 3.45). */
const UNLIMITED_PAGES = 4294967294;

/**
 * Sets the connection's page limit; null lifts it. SQLite never sets it below the pages already in the file,
 * so a limit of 1 means "no growth from here". Returns the limit in force.
 */
export function setMaxPageCount(db: Database.Database, maxPageCount: number | null): number {
  const pages = maxPageCount ?? UNLIMITED_PAGES;
  if (!Number.isSafeInteger(pages) || pages < 1) throw new RangeError(`max_page_count must be ≥ 1: ${pages}`);
  const value: unknown = db.pragma(`max_page_count = ${pages}`, { simple: true });
  if (typeof value !== "number") throw new Error("PRAGMA max_page_count returned no number");
  return value;
}
