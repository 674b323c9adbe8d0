/**
 * The SQLite schema as versioned migrations. Each migration runs once, in order, inside a transaction, and
 * records its version in `schema_migrations`; reopening a database applies only what is missing.
 *
 * Why the trace tables look like this (measured numbers in docs/adr/0001 and bench/search.ts):
 *  - Secondary indexes whose keys arrive in random order (trace id, duration) dominate the insert cost and get
 *    worse as the table grows. So `spans` has rowids in arrival order and ONE secondary index,
 *    (service_id, start_us, duration_us): per service its keys arrive almost in order (append at ~50 hot
 *    leaf pages), it turns "service over a time range, newest first" into a range scan, and it covers the
 *    duration filter so spans that are too short are rejected without reading the row.
 *  - The only random-key index is on `traces.trace_id`: one entry per trace (not per span). Each batch is
 *    sorted by trace id, so the spans of one trace in one batch get consecutive rowids; `traces.segments`
 *    lists those rowid runs ("first+count,"), and trace-by-id is one index probe plus rowid range scans.
 *  - `traces` also holds the summary the search results need (start, end, root, counts, per-service
 *    counts), upserted per batch, so a search result costs one row read instead of reading the whole trace.
 *  - Service, operation, resource and instrumentation scope are dictionary ids in the hot table; resource
 *    attributes (repeated on every span on the wire) are stored once per distinct resource.
 *  - `batches` records the rowid ranges each commit wrote: retention deletes the oldest batches by rowid
 *    range in small chunks, without any index on time.
 */
import type Database from "better-sqlite3";

interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "trace store",
    sql: `
      CREATE TABLE services (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        -- '' when the span has no namespace: NULLs would defeat the UNIQUE constraint.
        namespace TEXT NOT NULL,
        UNIQUE (name, namespace)
      );
      CREATE TABLE operations (
        id INTEGER PRIMARY KEY,
        service_id INTEGER NOT NULL REFERENCES services (id),
        name TEXT NOT NULL,
        -- index into SPAN_KINDS
        kind INTEGER NOT NULL,
        UNIQUE (service_id, name, kind)
      );
      CREATE TABLE resources (
        id INTEGER PRIMARY KEY,
        hash TEXT NOT NULL UNIQUE,
        -- attr-codec encoding
        attrs TEXT NOT NULL
      );
      CREATE TABLE scopes (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        -- '' when absent
        version TEXT NOT NULL,
        UNIQUE (name, version)
      );
      CREATE TABLE traces (
        id INTEGER PRIMARY KEY,
        trace_id BLOB NOT NULL UNIQUE,
        start_us INTEGER NOT NULL,
        end_us INTEGER NOT NULL,
        root_op_id INTEGER NOT NULL,
        -- 0 when the root candidate has no parent: such a span always wins over one with a parent.
        root_has_parent INTEGER NOT NULL,
        root_start_us INTEGER NOT NULL,
        span_count INTEGER NOT NULL,
        error_count INTEGER NOT NULL,
        -- "service_id:count," per batch, appended; readers sum duplicates.
        services TEXT NOT NULL,
        -- "first_span_rowid+count," per batch, appended.
        segments TEXT NOT NULL
      );
      CREATE TABLE spans (
        id INTEGER PRIMARY KEY,
        trace_ref INTEGER NOT NULL,
        service_id INTEGER NOT NULL,
        op_id INTEGER NOT NULL,
        resource_id INTEGER NOT NULL,
        -- 0: the span has no instrumentation scope
        scope_id INTEGER NOT NULL,
        start_us INTEGER NOT NULL,
        duration_us INTEGER NOT NULL,
        -- index into STATUS_CODES
        status INTEGER NOT NULL,
        -- attr-codec encoding of the span attributes: searched with instr()
        attrs TEXT NOT NULL,
        -- JSON of everything else (ids, status message, events, links, dropped counts)
        body TEXT NOT NULL
      );
      CREATE INDEX spans_service_time ON spans (service_id, start_us, duration_us);
      CREATE TABLE batches (
        id INTEGER PRIMARY KEY,
        span_lo INTEGER NOT NULL,
        span_hi INTEGER NOT NULL,
        -- traces created by this batch have ids <= trace_hi (and > the previous batch's)
        trace_hi INTEGER NOT NULL,
        max_start_us INTEGER NOT NULL,
        committed_us INTEGER NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: "metric store",
    // See metric-inserter.ts for why points hold reset-corrected running totals, one row per stream and sample.
    sql: `
      -- One row per distinct edge key; columns are the Istio label names (metrics/edge-key.ts).
      CREATE TABLE metric_edge_keys (
        id INTEGER PRIMARY KEY,
        -- the values NUL-joined in column order: the dictionary lookup key
        key TEXT NOT NULL UNIQUE,
        reporter TEXT NOT NULL,
        source_workload TEXT NOT NULL,
        source_workload_namespace TEXT NOT NULL,
        source_app TEXT NOT NULL,
        source_version TEXT NOT NULL,
        source_canonical_service TEXT NOT NULL,
        source_canonical_revision TEXT NOT NULL,
        destination_service TEXT NOT NULL,
        destination_service_name TEXT NOT NULL,
        destination_service_namespace TEXT NOT NULL,
        destination_workload TEXT NOT NULL,
        destination_workload_namespace TEXT NOT NULL,
        destination_app TEXT NOT NULL,
        destination_version TEXT NOT NULL,
        destination_canonical_service TEXT NOT NULL,
        destination_canonical_revision TEXT NOT NULL,
        request_protocol TEXT NOT NULL,
        response_code TEXT NOT NULL,
        grpc_response_status TEXT NOT NULL,
        response_flags TEXT NOT NULL,
        connection_security_policy TEXT NOT NULL
      );
      -- A stream is one edge key as reported by one origin (a scrape target or a pushed instance): the unit whose
      -- samples share timestamps, so PromQL's per-series extrapolation applies to it as a whole.
      CREATE TABLE metric_streams (
        id INTEGER PRIMARY KEY,
        edge_key_id INTEGER NOT NULL REFERENCES metric_edge_keys (id),
        origin TEXT NOT NULL,
        -- duration histogram bounds, comma-separated canonical le values, append-only (bucket blob positions)
        les TEXT NOT NULL,
        UNIQUE (edge_key_id, origin)
      );
      -- One row per stream and sample timestamp: running totals (reset-corrected, never decreasing) of every
      -- kept counter at that sample, and ord = the sample's number within the stream.
      CREATE TABLE metric_points (
        stream_id INTEGER NOT NULL,
        ts_ms INTEGER NOT NULL,
        ord INTEGER NOT NULL,
        requests REAL NOT NULL,
        duration_sum REAL NOT NULL,
        duration_count REAL NOT NULL,
        request_bytes REAL NOT NULL,
        response_bytes REAL NOT NULL,
        tcp_sent_bytes REAL NOT NULL,
        tcp_received_bytes REAL NOT NULL,
        tcp_opened REAL NOT NULL,
        tcp_closed REAL NOT NULL,
        -- little-endian float64 per le of metric_streams.les (a prefix when les grew later); NULL: no histogram
        buckets BLOB,
        PRIMARY KEY (stream_id, ts_ms)
      ) WITHOUT ROWID;
      -- retention deletes by time
      CREATE INDEX metric_points_time ON metric_points (ts_ms);
    `,
  },
];

export function applyMigrations(db: Database.Database): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_us INTEGER NOT NULL)`);
  const applied = new Set(
    db
      .prepare<[], { version: number }>("SELECT version FROM schema_migrations")
      .all()
      .map((r) => r.version),
  );
  const record = db.prepare<[number, string, number]>(
    "INSERT INTO schema_migrations (version, name, applied_us) VALUES (?, ?, ?)",
  );
  for (const m of MIGRATIONS) {
    if (applied.has(m.version)) continue;
    // IMMEDIATE: two processes opening the same file at once must not both apply a migration.
    db.transaction(() => {
      const again = db.prepare("SELECT 1 FROM schema_migrations WHERE version = ?").get(m.version);
      if (again !== undefined) return;
      db.exec(m.sql);
      record.run(m.version, m.name, Date.now() * 1000);
    }).immediate();
  }
}

export function schemaVersion(db: Database.Database): number {
  const row = db.prepare<[], { v: number | null }>("SELECT max(version) AS v FROM schema_migrations").get();
  return row?.v ?? 0;
}
