/**
 * Pure derivations of a trace for display: the span tree flattened into rows, and the header summary.
 *
 * Spans arrive in any order and a trace can be incomplete: a span whose parent is missing (not yet received,
 * dropped, or from another trace) is shown as a root, as Jaeger does, instead of being hidden.
 */
import type { ApiSpan } from "@meshscope/model";

export interface SpanRow {
  span: ApiSpan;
  /** 0 for roots. */
  depth: number;
  childCount: number;
  /** The parent span id is set but that span is not in the trace. */
  orphan: boolean;
}

/** Depth-first rows, siblings by start time (then id, so the order is stable). */
export function buildSpanRows(spans: readonly ApiSpan[]): SpanRow[] {
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  const children = new Map<string, ApiSpan[]>();
  const roots: ApiSpan[] = [];
  for (const span of spans) {
    const parent = span.parentSpanId;
    if (parent !== null && parent !== span.spanId && byId.has(parent)) {
      const list = children.get(parent);
      if (list) list.push(span);
      else children.set(parent, [span]);
    } else {
      roots.push(span);
    }
  }

  const rows: SpanRow[] = [];
  const visited = new Set<string>();
  const visit = (span: ApiSpan, depth: number) => {
    // Guards against parent cycles in malformed input (A → B → A); such spans are not reachable from a
    // root and are appended below as roots.
    if (visited.has(span.spanId)) return;
    visited.add(span.spanId);
    const kids = sortByStart(children.get(span.spanId) ?? []);
    const orphan = span.parentSpanId !== null && !byId.has(span.parentSpanId);
    rows.push({ span, depth, childCount: kids.length, orphan });
    for (const child of kids) visit(child, depth + 1);
  };
  for (const root of sortByStart(roots)) visit(root, 0);
  for (const span of sortByStart(spans.filter((s) => !visited.has(s.spanId)))) visit(span, 0);
  return rows;
}

/** Rows left visible when the subtrees under `collapsed` span ids are folded away. */
export function visibleRows(rows: readonly SpanRow[], collapsed: ReadonlySet<string>): SpanRow[] {
  const out: SpanRow[] = [];
  let hideDeeperThan = Number.POSITIVE_INFINITY;
  for (const row of rows) {
    if (row.depth > hideDeeperThan) continue;
    hideDeeperThan = collapsed.has(row.span.spanId) ? row.depth : Number.POSITIVE_INFINITY;
    out.push(row);
  }
  return out;
}

export interface TraceOverview {
  /** The earliest root span, or the earliest span when the trace has no root. */
  root: ApiSpan | null;
  startUs: number;
  durationUs: number;
  spanCount: number;
  errorCount: number;
  /** Services with their span counts, most spans first. */
  services: { name: string; spanCount: number }[];
}

export function summarizeTrace(spans: readonly ApiSpan[]): TraceOverview {
  if (spans.length === 0) {
    return { root: null, startUs: 0, durationUs: 0, spanCount: 0, errorCount: 0, services: [] };
  }
  let startUs = Number.POSITIVE_INFINITY;
  let endUs = Number.NEGATIVE_INFINITY;
  let errorCount = 0;
  const perService = new Map<string, number>();
  for (const span of spans) {
    startUs = Math.min(startUs, span.start);
    endUs = Math.max(endUs, span.start + span.duration);
    if (span.status.code === "error") errorCount++;
    perService.set(span.service, (perService.get(span.service) ?? 0) + 1);
  }
  const roots = sortByStart(spans.filter((s) => s.parentSpanId === null));
  const root = roots[0] ?? sortByStart(spans)[0] ?? null;
  const services = [...perService]
    .map(([name, spanCount]) => ({ name, spanCount }))
    .sort((a, b) => b.spanCount - a.spanCount || a.name.localeCompare(b.name));
  return { root, startUs, durationUs: endUs - startUs, spanCount: spans.length, errorCount, services };
}

function sortByStart(spans: readonly ApiSpan[]): ApiSpan[] {
  return [...spans].sort((a, b) => a.start - b.start || a.spanId.localeCompare(b.spanId));
}
