/** Helpers for store and write-queue tests: SpanRecords and temporary database files that clean up. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { SpanRecord } from "@meshscope/model";
import { afterEach, beforeEach } from "vitest";
import { openSqliteStore, type SqliteStore, type SqliteStoreOptions } from "../store/sqlite-store.js";

export function makeSpan(overrides: Partial<SpanRecord> = {}): SpanRecord {
  return {
    traceId: "0af7651916cd43dd8448eb211c80319c",
    spanId: "b7ad6b7169203331",
    parentSpanId: null,
    service: "frontend",
    namespace: "shop",
    name: "GET /",
    kind: "server",
    startUs: 1_700_000_000_000_000,
    durationUs: 1_000,
    status: { code: "unset" },
    attributes: {},
    resource: { "service.name": "frontend", "k8s.namespace.name": "shop" },
    scope: null,
    events: [],
    links: [],
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
    ...overrides,
  };
}

/** Hex id of `bytes` bytes derived from n, so tests can name traces and spans by number. */
export function hexId(n: number, bytes: number): string {
  return n.toString(16).padStart(bytes * 2, "0");
}

export interface TempDir {
  path: string;
  file(name: string): string;
  remove(): void;
}

export function tempDir(prefix = "meshscope-store-"): TempDir {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, file: (name) => join(path, name), remove: () => rmSync(path, { recursive: true, force: true }) };
}

/**
 * Registers beforeEach/afterEach hooks that give every test a fresh temporary directory and close the stores it
 * opened. Stores use the same-thread writer unless a test asks otherwise: the SQL is identical and it starts
 * without a worker.
 */
export function useTempStores(fileName: string) {
  let dir: TempDir | null = null;
  const open: SqliteStore[] = [];
  const current = (): TempDir => {
    if (!dir) throw new Error("useTempStores: used outside a test");
    return dir;
  };
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
    current().remove();
    dir = null;
  });
  return {
    openStore(opts: Partial<SqliteStoreOptions> = {}): SqliteStore {
      const store = openSqliteStore({
        path: current().file(fileName),
        retentionIntervalMs: 0,
        writerThread: "main",
        ...opts,
      });
      open.push(store);
      return store;
    },
    /** Closes a store before the test ends (e.g. to reopen the same file), so the hook does not close it again. */
    async closeStore(store: SqliteStore): Promise<void> {
      open.splice(open.indexOf(store), 1);
      await store.close();
    },
    file: (name: string): string => current().file(name),
  };
}
