/**
 * Writes one EncodedBatch in one transaction. This is the whole SQL of the write path; the worker-thread
 * writer, the same-thread writer and the raw inserter of bench/ingest.ts all run exactly this.
 *
 * Runs inside the writer worker, so it imports nothing from @meshscope/model at runtime (types only).
 */
import type Database from "better-sqlite3";
import type { EncodedBatch } from "./span-rows.js";

/** Dictionary caches grow with distinct services/operations/resources; past this they are simply cleared. */
const MAX_CACHED_KEYS = 50_000;

type Stmt<P extends unknown[]> = Database.Statement<P>;

export class BatchInserter {
  private readonly serviceIds = new Map<string, number>();
  private readonly opIds = new Map<string, number>();
  private readonly resourceIds = new Map<string, number>();
  private readonly scopeIds = new Map<string, number>();
  private readonly insertService: Stmt<[string, string]>;
  private readonly selectService: Stmt<[string, string]>;
  private readonly insertOp: Stmt<[number, string, number]>;
  private readonly selectOp: Stmt<[number, string, number]>;
  private readonly insertResource: Stmt<[string, string]>;
  private readonly selectResource: Stmt<[string]>;
  private readonly insertScope: Stmt<[string, string]>;
  private readonly selectScope: Stmt<[string, string]>;
  private readonly maxSpanId: Stmt<[]>;
  private readonly upsertTrace: Stmt<unknown[]>;
  private readonly insertSpan: Stmt<unknown[]>;
  private readonly insertBatch: Stmt<unknown[]>;
  private readonly maxTraceId: Stmt<[]>;
  private readonly tx: (batch: EncodedBatch) => void;

  constructor(private readonly db: Database.Database) {
    this.insertService = db.prepare("INSERT OR IGNORE INTO services (name, namespace) VALUES (?, ?)");
    this.selectService = db.prepare("SELECT id FROM services WHERE name = ? AND namespace = ?").pluck();
    this.insertOp = db.prepare("INSERT OR IGNORE INTO operations (service_id, name, kind) VALUES (?, ?, ?)");
    this.selectOp = db.prepare("SELECT id FROM operations WHERE service_id = ? AND name = ? AND kind = ?").pluck();
    this.insertResource = db.prepare("INSERT OR IGNORE INTO resources (hash, attrs) VALUES (?, ?)");
    this.selectResource = db.prepare("SELECT id FROM resources WHERE hash = ?").pluck();
    this.insertScope = db.prepare("INSERT OR IGNORE INTO scopes (name, version) VALUES (?, ?)");
    this.selectScope = db.prepare("SELECT id FROM scopes WHERE name = ? AND version = ?").pluck();
    this.maxSpanId = db.prepare("SELECT max(id) FROM spans").pluck();
    this.maxTraceId = db.prepare("SELECT max(id) FROM traces").pluck();
    // On conflict every SET expression sees the row's old values, so the root choice compares old and new.
    this.upsertTrace = db
      .prepare(
        `INSERT INTO traces (trace_id, start_us, end_us, root_op_id, root_has_parent, root_start_us,
           span_count, error_count, services, segments)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (trace_id) DO UPDATE SET
           start_us = min(start_us, excluded.start_us),
           end_us = max(end_us, excluded.end_us),
           root_op_id = CASE WHEN excluded.root_has_parent < root_has_parent
               OR (excluded.root_has_parent = root_has_parent AND excluded.root_start_us < root_start_us)
             THEN excluded.root_op_id ELSE root_op_id END,
           root_start_us = CASE WHEN excluded.root_has_parent < root_has_parent
               OR (excluded.root_has_parent = root_has_parent AND excluded.root_start_us < root_start_us)
             THEN excluded.root_start_us ELSE root_start_us END,
           root_has_parent = min(root_has_parent, excluded.root_has_parent),
           span_count = span_count + excluded.span_count,
           error_count = error_count + excluded.error_count,
           services = services || excluded.services,
           segments = segments || excluded.segments
         RETURNING id`,
      )
      .pluck();
    this.insertSpan = db.prepare(
      `INSERT INTO spans (id, trace_ref, service_id, op_id, resource_id, scope_id, start_us, duration_us, status,
         attrs, body)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insertBatch = db.prepare(
      "INSERT INTO batches (span_lo, span_hi, trace_hi, max_start_us, committed_us) VALUES (?, ?, ?, ?, ?)",
    );
    this.tx = db.transaction((batch: EncodedBatch) => this.write(batch));
  }

  /** Inserts the batch in one transaction (IMMEDIATE would only matter with concurrent writers; there is one). */
  insert(batch: EncodedBatch): void {
    if (batch.spanCount === 0) return;
    try {
      this.tx(batch);
    } catch (error) {
      // The rollback took back any dictionary rows this batch inserted, but their ids are in the caches: a
      // later batch would point at rows that do not exist, or that a different name gets next (rowids are
      // reused). Seen after SQLITE_FULL, which does not stop the store.
      this.clearCaches();
      throw error;
    }
  }

  private dictionaryId(cache: Map<string, number>, key: string, insert: () => void, select: () => unknown): number {
    const known = cache.get(key);
    if (known !== undefined) return known;
    insert();
    const id = select();
    if (typeof id !== "number") throw new Error(`dictionary row missing after insert: ${key}`);
    if (cache.size >= MAX_CACHED_KEYS) cache.clear();
    cache.set(key, id);
    return id;
  }

  private write(batch: EncodedBatch): void {
    const serviceIds = batch.services.map((s) =>
      this.dictionaryId(
        this.serviceIds,
        `${s.name}\0${s.namespace}`,
        () => this.insertService.run(s.name, s.namespace),
        () => this.selectService.get(s.name, s.namespace),
      ),
    );
    const opServiceIds: number[] = [];
    const opIds = batch.operations.map((o) => {
      const serviceId = serviceIds[o.service] ?? 0;
      opServiceIds.push(serviceId);
      return this.dictionaryId(
        this.opIds,
        `${serviceId}\0${o.kind}\0${o.name}`,
        () => this.insertOp.run(serviceId, o.name, o.kind),
        () => this.selectOp.get(serviceId, o.name, o.kind),
      );
    });
    const resourceIds = batch.resources.map((r) =>
      this.dictionaryId(
        this.resourceIds,
        r.hash,
        () => this.insertResource.run(r.hash, r.attrs),
        () => this.selectResource.get(r.hash),
      ),
    );
    const scopeIds = batch.scopes.map((sc) =>
      this.dictionaryId(
        this.scopeIds,
        `${sc.name}\0${sc.version}`,
        () => this.insertScope.run(sc.name, sc.version),
        () => this.selectScope.get(sc.name, sc.version),
      ),
    );

    // Rowids are given explicitly so each trace's segment ("first+count") is known before the spans exist.
    const maxSpan = this.maxSpanId.get();
    const firstSpanId = (typeof maxSpan === "number" ? maxSpan : 0) + 1;
    let spanId = firstSpanId;
    let i = 0;
    const s = batch.spans;
    for (const t of batch.traces) {
      let services = "";
      for (let k = 0; k + 1 < t.serviceCounts.length; k += 2) {
        services += `${serviceIds[t.serviceCounts[k] ?? 0]}:${t.serviceCounts[k + 1]},`;
      }
      const traceRef = this.upsertTrace.get(
        Buffer.from(t.traceId, "hex"),
        t.startUs,
        t.endUs,
        opIds[t.rootOp],
        t.rootHasParent,
        t.rootStartUs,
        t.count,
        t.errorCount,
        services,
        `${spanId}+${t.count},`,
      );
      if (typeof traceRef !== "number") throw new Error("trace upsert returned no id");
      for (let end = i + t.count; i < end; i++) {
        const op = s.op[i] ?? 0;
        this.insertSpan.run(
          spanId++,
          traceRef,
          opServiceIds[op],
          opIds[op],
          resourceIds[s.resource[i] ?? 0],
          scopeIds[s.scope[i] ?? -1] ?? 0,
          s.startUs[i],
          s.durationUs[i],
          s.status[i],
          s.attrs[i],
          s.body[i],
        );
      }
    }
    // Every trace this batch created has an id <= the current maximum (ids are handed out in order).
    const maxTrace = this.maxTraceId.get();
    this.insertBatch.run(
      firstSpanId,
      spanId - 1,
      typeof maxTrace === "number" ? maxTrace : 0,
      batch.maxStartUs,
      Date.now() * 1000,
    );
  }

  /** Dictionary caches must be dropped when rows they name may be gone (a rollback, another connection). */
  clearCaches(): void {
    this.serviceIds.clear();
    this.opIds.clear();
    this.resourceIds.clear();
    this.scopeIds.clear();
  }

  get database(): Database.Database {
    return this.db;
  }
}
