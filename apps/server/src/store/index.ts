export { openRawInserter, type RawInserter } from "./raw-inserter.js";
export { type EncodedBatch, encodeSpanRows } from "./span-rows.js";
export {
  DEFAULT_RETENTION_US,
  openSqliteStore,
  type SqliteStore,
  type SqliteStoreOptions,
  type SqliteStoreStats,
} from "./sqlite-store.js";
export type { OperationEntry, ServiceEntry, TraceQuery, TraceReader, TraceWriter } from "./trace-store.js";
