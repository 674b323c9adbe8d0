/**
 * The statistics view's table (Jaeger's Trace Statistics): per service, or per service and operation, the span
 * count, total / avg / min / max duration, and the same for self time (self-time.ts).
 */
import type { TraceModel } from "./trace-model";

export type StatsGrouping = "service" | "operation";

export interface StatsRow {
  key: string;
  service: string;
  /** Null when grouped by service only. */
  operation: string | null;
  count: number;
  errors: number;
  totalUs: number;
  avgUs: number;
  minUs: number;
  maxUs: number;
  selfTotalUs: number;
  selfAvgUs: number;
  selfMinUs: number;
  selfMaxUs: number;
  /** Self time as a share of the trace's duration, 0–1. */
  selfShare: number;
}

export function traceStats(model: TraceModel, self: Float64Array, grouping: StatsGrouping): StatsRow[] {
  const rows = new Map<string, StatsRow>();
  const traceUs = Math.max(model.endUs - model.startUs, 1);
  model.spans.forEach((span, i) => {
    const operation = grouping === "operation" ? span.name : null;
    // NUL separates the parts: a separator a printable name cannot fake.
    const key = operation === null ? span.service : `${span.service}\u0000${operation}`;
    const selfUs = self[i] ?? 0;
    const row = rows.get(key);
    if (!row) {
      rows.set(key, {
        key,
        service: span.service,
        operation,
        count: 1,
        errors: span.status.code === "error" ? 1 : 0,
        totalUs: span.duration,
        avgUs: 0,
        minUs: span.duration,
        maxUs: span.duration,
        selfTotalUs: selfUs,
        selfAvgUs: 0,
        selfMinUs: selfUs,
        selfMaxUs: selfUs,
        selfShare: 0,
      });
      return;
    }
    row.count++;
    if (span.status.code === "error") row.errors++;
    row.totalUs += span.duration;
    row.minUs = Math.min(row.minUs, span.duration);
    row.maxUs = Math.max(row.maxUs, span.duration);
    row.selfTotalUs += selfUs;
    row.selfMinUs = Math.min(row.selfMinUs, selfUs);
    row.selfMaxUs = Math.max(row.selfMaxUs, selfUs);
  });
  return [...rows.values()].map((r) => ({
    ...r,
    avgUs: r.totalUs / r.count,
    selfAvgUs: r.selfTotalUs / r.count,
    selfShare: r.selfTotalUs / traceUs,
  }));
}

export type StatsColumn = Exclude<keyof StatsRow, "key">;

export function sortStats(rows: readonly StatsRow[], column: StatsColumn, descending: boolean): StatsRow[] {
  const sign = descending ? -1 : 1;
  return [...rows].sort((a, b) => {
    const x = a[column];
    const y = b[column];
    const cmp = typeof x === "number" && typeof y === "number" ? x - y : String(x ?? "").localeCompare(String(y ?? ""));
    return sign * cmp || a.key.localeCompare(b.key);
  });
}
