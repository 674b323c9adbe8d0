/**
 * Service-to-service calls seen in spans, for the graph's trace-derived edges (DESIGN §4 "Spans add edges where no
 * proxy metrics exist"): plain OpenTelemetry services have no Envoy to count their requests, but each call leaves a
 * server (or consumer) span whose parent belongs to the calling service.
 *
 * Plan, on its own read-only connection (WAL: reads never block the writer):
 *  1. one walk of the (service_id, start_us, duration_us) index per service over [start − PARENT_LOOKBACK_US, end]
 *     (`service_id IN (SELECT id FROM services)` turns the range on the second column into per-service range
 *     scans); the server/consumer spans that start inside the window are the requests counted, each joined in
 *     SQL to its parent span among the spans read (same trace, parent id = span id);
 *  2. a counted span whose parent is not in the map (a long-running parent, or clock skew) is resolved by reading
 *     its trace through `traces.segments` (rowid ranges), for at most MAX_PARENT_TRACE_READS traces per call;
 *  3. durations are kept per service pair and per service and sorted once: exact percentiles (nearest rank).
 */
import type Database from "better-sqlite3";
import { openConnection } from "./connection.js";

/** A service as the trace store knows it; namespace "" when its spans carried none. */
export interface SpanService {
  name: string;
  namespace: string;
}

/** Request/error/duration numbers of a set of server spans over the window (counts, not rates). */
export interface SpanRed {
  /** "grpc" when every counted span is a gRPC server span (`rpc.system=grpc`), else "http". */
  protocol: "http" | "grpc";
  requests: number;
  /**
   * Status error, or (status unset) an HTTP status ≥ 500 or a gRPC status ≠ 0 (OpenTelemetry's semantic
   * conventions leave the server span's status unset for 4xx, so 4xx is not an error here either).
   */
  errors: number;
  /** HTTP 4xx responses (Kiali's 4xx tolerance), whatever the span status. */
  clientErrors: number;
  /** Exact nearest-rank percentiles of the spans' durations, µs; null when there are no requests. */
  p50Us: number | null;
  p95Us: number | null;
  p99Us: number | null;
}

export interface SpanEdge {
  caller: SpanService;
  callee: SpanService;
  /** The callee's server spans whose parent span belongs to the caller. */
  red: SpanRed;
}

export interface SpanServiceRed {
  service: SpanService;
  /** All the service's server/consumer spans in the window, whoever (if anyone) called them. */
  red: SpanRed;
  /** True when none of those spans has a parent in another service: an entry point (or uninstrumented callers). */
  rootOnly: boolean;
}

export interface SpanEdgeSummary {
  edges: SpanEdge[];
  services: SpanServiceRed[];
}

export interface SpanEdgeQuery {
  /** Window, µs since the epoch: server spans with startUs ≤ start ≤ endUs are counted. */
  startUs: number;
  endUs: number;
}

export interface SpanEdgeReader {
  spanEdges(query: SpanEdgeQuery): SpanEdgeSummary;
  close(): void;
}

/** A client span usually starts a few ms before its server span; 30 s also covers ordinary clock skew. */
const PARENT_LOOKBACK_US = 30_000_000;
/** Bounds the work of step 2 (each read is one trace row plus its rowid ranges). */
const MAX_PARENT_TRACE_READS = 10_000;

/** SPAN_KINDS indexes (packages/model span.ts): the receiving side of a call. */
const KIND_SERVER = 2;
const KIND_CONSUMER = 5;
/** STATUS_CODES indexes. */
const STATUS_UNSET = 0;
const STATUS_ERROR = 2;

/** attr-codec layout: `RS key US value US type` per attribute, the value in its string form (500 → "500"). */
const RS = "\x1e";
const US = "\x1f";
const valuePrefix = (key: string, prefix: string) => `${RS}${key}${US}${prefix}`;

/** Bits of the `flags` column. */
const ERROR = 1;
const CLIENT_ERROR = 2;
const GRPC = 4;

/** A span counted as a request: a server/consumer span starting inside the window (fixed SQL text, no data). */
const COUNTED = "(o.kind IN (@server, @consumer) AND s.start_us >= @start)";

/**
 * Request classification in SQL (instr on the encoded attributes is far cheaper than shipping them to JS):
 * error = status error, or status unset with an HTTP status 5xx (`http.response.status_code`, or the older
 * `http.status_code`) or a gRPC status other than 0 (OpenTelemetry leaves a server span's status unset for 4xx);
 * client error = HTTP 4xx; grpc = `rpc.system=grpc`.
 */
const FLAGS_SQL = `CASE WHEN ${COUNTED} THEN
    (CASE WHEN s.status = @statusError THEN ${ERROR}
          WHEN s.status = @statusUnset AND (instr(s.attrs, @http5) > 0 OR instr(s.attrs, @http5old) > 0
            OR (instr(s.attrs, @grpcCode) > 0 AND instr(s.attrs, @grpcOk) = 0)) THEN ${ERROR}
          ELSE 0 END)
  | (CASE WHEN instr(s.attrs, @http4) > 0 OR instr(s.attrs, @http4old) > 0 THEN ${CLIENT_ERROR} ELSE 0 END)
  | (CASE WHEN instr(s.attrs, @grpc) > 0 THEN ${GRPC} ELSE 0 END)
  ELSE 0 END`;

const NEEDLES = {
  server: KIND_SERVER,
  consumer: KIND_CONSUMER,
  statusError: STATUS_ERROR,
  statusUnset: STATUS_UNSET,
  // 3-digit codes: a value starting with 5 (or 4) is a 5xx (or 4xx).
  http5: valuePrefix("http.response.status_code", "5"),
  http5old: valuePrefix("http.status_code", "5"),
  http4: valuePrefix("http.response.status_code", "4"),
  http4old: valuePrefix("http.status_code", "4"),
  grpcCode: valuePrefix("rpc.grpc.status_code", ""),
  grpcOk: valuePrefix("rpc.grpc.status_code", `0${US}`),
  grpc: valuePrefix("rpc.system", `grpc${US}`),
};

/** [trace_ref, callee service_id, parent span id, duration_us, flags, the parent's service_id or null]. */
type PairRow = [number, number, string | null, number, number, number | null];

interface TraceSpanRow {
  trace_ref: number;
  service_id: number;
  sid: string | null;
}

interface Counted {
  traceRef: number;
  service: number;
  parentId: string | null;
  /** The parent span's service; null for a root, or while the parent is not found yet. */
  caller: number | null;
  durationUs: number;
  flags: number;
}

class Acc {
  requests = 0;
  errors = 0;
  clientErrors = 0;
  grpc = 0;
  readonly durations: number[] = [];

  add(c: Counted): void {
    this.requests++;
    if (c.flags & ERROR) this.errors++;
    if (c.flags & CLIENT_ERROR) this.clientErrors++;
    if (c.flags & GRPC) this.grpc++;
    this.durations.push(c.durationUs);
  }

  red(): SpanRed {
    const d = Float64Array.from(this.durations).sort();
    const rank = (q: number): number | null =>
      d.length === 0 ? null : (d[Math.max(0, Math.ceil(q * d.length) - 1)] ?? null);
    return {
      protocol: this.requests > 0 && this.grpc === this.requests ? "grpc" : "http",
      requests: this.requests,
      errors: this.errors,
      clientErrors: this.clientErrors,
      p50Us: rank(0.5),
      p95Us: rank(0.95),
      p99Us: rank(0.99),
    };
  }
}

function parseSegments(text: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const seg of text.split(",")) {
    const plus = seg.indexOf("+");
    if (plus > 0) out.push([Number(seg.slice(0, plus)), Number(seg.slice(plus + 1))]);
  }
  return out;
}

type WindowParams = typeof NEEDLES & { lo: number; start: number; end: number };

export class SqliteSpanEdgeReader implements SpanEdgeReader {
  private readonly pairs: Database.Statement<[WindowParams], PairRow>;
  private readonly traceSegments: Database.Statement<[number], string>;
  private readonly spanRange: Database.Statement<[number, number], TraceSpanRow>;
  private readonly servicesStmt: Database.Statement<[], { id: number; name: string; namespace: string }>;

  constructor(
    private readonly db: Database.Database,
    private readonly ownsConnection = false,
  ) {
    // Span and parent ids live in the body JSON (span-rows.ts encodeBody); json_extract reads them in C. The
    // parent lookup is a scalar subquery on the materialised window (one row per counted span even if a trace
    // repeats a span id), for which SQLite builds an automatic index on (trace, span id): measured at 1M spans,
    // that costs less than shipping the ~110k window rows to JS to join there. Raw rows: per-row objects would
    // cost about as much as the scan.
    this.pairs = db
      .prepare<[WindowParams], PairRow>(
        `WITH w AS MATERIALIZED (
           SELECT s.trace_ref AS t, s.service_id AS svc, json_extract(s.body, '$.s') AS sid, ${COUNTED} AS counted,
             CASE WHEN ${COUNTED} THEN json_extract(s.body, '$.p') END AS pid, s.duration_us AS d, ${FLAGS_SQL} AS f
           FROM spans s INDEXED BY spans_service_time JOIN operations o ON o.id = s.op_id
           WHERE s.service_id IN (SELECT id FROM services) AND s.start_us >= @lo AND s.start_us <= @end)
         SELECT c.t, c.svc, c.pid, c.d, c.f, (SELECT p.svc FROM w p WHERE p.t = c.t AND p.sid = c.pid LIMIT 1)
         FROM w c WHERE c.counted = 1`,
      )
      .raw();
    this.traceSegments = db.prepare<[number], string>("SELECT segments FROM traces WHERE id = ?").pluck();
    this.spanRange = db.prepare(
      "SELECT trace_ref, service_id, json_extract(body, '$.s') AS sid FROM spans WHERE id BETWEEN ? AND ?",
    );
    this.servicesStmt = db.prepare("SELECT id, name, namespace FROM services");
  }

  spanEdges(query: SpanEdgeQuery): SpanEdgeSummary {
    if (!(query.endUs >= query.startUs)) return { edges: [], services: [] };
    const rows = this.pairs.all({
      ...NEEDLES,
      lo: query.startUs - PARENT_LOOKBACK_US,
      start: query.startUs,
      end: query.endUs,
    });
    const counted: Counted[] = rows.map(([traceRef, service, parentId, durationUs, flags, caller]) => ({
      traceRef,
      service,
      parentId,
      caller,
      durationUs,
      flags,
    }));
    this.resolveMissingParents(counted);
    return this.aggregate(counted);
  }

  /** Step 2: parents outside the scanned range, found by reading their traces (bounded). */
  private resolveMissingParents(counted: Counted[]): void {
    const missing = counted.filter((c) => c.parentId !== null && c.caller === null);
    const traces = new Set<number>();
    for (const c of missing) {
      if (traces.size >= MAX_PARENT_TRACE_READS) break;
      traces.add(c.traceRef);
    }
    /** `${trace_ref}:${span id}` → service id. */
    const owner = new Map<string, number>();
    for (const ref of traces) {
      const segments = this.traceSegments.get(ref);
      if (segments === undefined) continue;
      for (const [first, count] of parseSegments(segments)) {
        for (const s of this.spanRange.iterate(first, first + count - 1)) {
          if (s.trace_ref === ref && s.sid !== null) owner.set(`${ref}:${s.sid}`, s.service_id);
        }
      }
    }
    for (const c of missing) c.caller = owner.get(`${c.traceRef}:${c.parentId}`) ?? null;
  }

  private aggregate(counted: readonly Counted[]): SpanEdgeSummary {
    const perService = new Map<number, { acc: Acc; called: boolean }>();
    const perPair = new Map<string, { caller: number; callee: number; acc: Acc }>();
    for (const c of counted) {
      let svc = perService.get(c.service);
      if (svc === undefined) {
        svc = { acc: new Acc(), called: false };
        perService.set(c.service, svc);
      }
      svc.acc.add(c);
      const caller = c.caller;
      if (caller === null || caller === c.service) continue;
      svc.called = true;
      const key = `${caller}>${c.service}`;
      let pair = perPair.get(key);
      if (pair === undefined) {
        pair = { caller, callee: c.service, acc: new Acc() };
        perPair.set(key, pair);
      }
      pair.acc.add(c);
    }
    const names = new Map<number, SpanService>();
    for (const s of this.servicesStmt.all()) names.set(s.id, { name: s.name, namespace: s.namespace });
    const nameOf = (id: number): SpanService => names.get(id) ?? { name: `service#${id}`, namespace: "" };
    return {
      edges: [...perPair.values()].map((p) => ({
        caller: nameOf(p.caller),
        callee: nameOf(p.callee),
        red: p.acc.red(),
      })),
      services: [...perService].map(([id, s]) => ({ service: nameOf(id), red: s.acc.red(), rootOnly: !s.called })),
    };
  }

  close(): void {
    if (this.ownsConnection) this.db.close();
  }
}

/** Opens the reader on its own read-only connection to the store's database file (which must exist). */
export function openSpanEdgeReader(path: string): SpanEdgeReader {
  return new SqliteSpanEdgeReader(openConnection(path, { readonly: true, cacheKiB: 16384 }), true);
}
