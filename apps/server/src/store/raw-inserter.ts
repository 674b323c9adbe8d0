/**
 * For bench/ingest.ts: the same rows into the same schema through the same statements and transaction shape
 * as the store's writer, with no queue, no worker and no HTTP: the ceiling the end-to-end rate is compared to.
 */
import { BatchInserter } from "./batch-inserter.js";
import { openConnection } from "./connection.js";
import { applyMigrations } from "./schema.js";
import type { EncodedBatch } from "./span-rows.js";

export interface RawInserter {
  insert(batch: EncodedBatch): void;
  close(): void;
}

export function openRawInserter(path: string, opts: { cacheKiB?: number } = {}): RawInserter {
  const db = openConnection(path, { cacheKiB: opts.cacheKiB ?? 65536 });
  applyMigrations(db);
  const inserter = new BatchInserter(db);
  return {
    insert: (batch) => inserter.insert(batch),
    close: () => {
      db.pragma("wal_checkpoint(TRUNCATE)");
      db.close();
    },
  };
}
