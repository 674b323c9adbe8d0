/**
 * The critical path with Jaeger's semantics (jaeger-ui `components/TracePage/CriticalPath/`, reference
 * jaeger.md §1.5), per root span:
 *  1. A CONSUMER child of a PRODUCER span does not block its parent: it is left out with its subtree (the one
 *     non-blocking case OTel data can express).
 *  2. Children are sanitized against their (already sanitized) parent, in depth-first order: a child lying wholly
 *     outside the parent's [start, end] is dropped with its descendants; one that spills over is truncated.
 *  3. From the root, take the last-finishing child (LFC): the section [LFC.end, end] belongs to the span, then
 *     continue in the LFC. A span with no (more) candidate child owns [start, threshold] and hands its start
 *     back to its parent, which then looks for the child that finished strictly before that time.
 *  Zero-length sections are skipped. Unlike Jaeger's recursion this walks iteratively (a 10,000-deep trace must
 *  not overflow the stack), and each parent keeps its children sorted by end time with a cursor: the threshold
 *  only ever decreases, so finding the next candidate never rescans (O(n log n) overall instead of O(n·k)).
 */
import type { TraceModel } from "./trace-model";

export interface CriticalSection {
  /** DFS position of the span in the trace model. */
  span: number;
  startUs: number;
  endUs: number;
}

/** Sanitized [start, end] per span, NaN for spans dropped from the critical path computation. */
function sanitize(model: TraceModel, root: number): { start: Float64Array; end: Float64Array } {
  const n = model.spans.length;
  const start = new Float64Array(n).fill(Number.NaN);
  const end = new Float64Array(n).fill(Number.NaN);
  const rootSpan = model.spans[root];
  if (!rootSpan) return { start, end };
  start[root] = rootSpan.start;
  end[root] = rootSpan.start + rootSpan.duration;
  const stop = model.subtreeEnd[root] as number;
  for (let i = root + 1; i < stop; i++) {
    const p = model.parent[i] as number;
    const ps = start[p] as number;
    const pe = end[p] as number;
    const span = model.spans[i];
    const parentSpan = model.spans[p];
    // A dropped parent (NaN) drops the child; so does a non-blocking producer → consumer edge.
    if (!span || !parentSpan || Number.isNaN(ps)) continue;
    if (parentSpan.kind === "producer" && span.kind === "consumer") continue;
    const cs = span.start;
    const ce = span.start + span.duration;
    if (cs >= pe || ce <= ps) continue;
    start[i] = Math.max(cs, ps);
    end[i] = Math.min(ce, pe);
  }
  return { start, end };
}

/** Children of `i` still in the computation, by end time descending (stable: earlier-starting first on ties). */
function sortedChildren(model: TraceModel, i: number, end: Float64Array): number[] {
  const kids: number[] = [];
  const stop = model.subtreeEnd[i] as number;
  for (let c = i + 1; c < stop; c = model.subtreeEnd[c] as number) if (!Number.isNaN(end[c] as number)) kids.push(c);
  return kids.sort((a, b) => (end[b] as number) - (end[a] as number));
}

function pathFromRoot(model: TraceModel, root: number, out: CriticalSection[]): void {
  const { start, end } = sanitize(model, root);
  const kids = new Map<number, { list: number[]; cursor: number }>();
  const emit = (span: number, s: number, e: number) => {
    if (s !== e) out.push({ span, startUs: s, endUs: e });
  };
  let current = root;
  let threshold: number | null = null;
  for (;;) {
    let entry = kids.get(current);
    if (!entry) {
      entry = { list: sortedChildren(model, current, end), cursor: 0 };
      kids.set(current, entry);
    }
    // Candidates end strictly before the threshold (Jaeger: `childEndTime < returningChildStartTime`).
    while (threshold !== null && entry.cursor < entry.list.length) {
      if ((end[entry.list[entry.cursor] as number] as number) < threshold) break;
      entry.cursor++;
    }
    const sectionEnd = threshold ?? (end[current] as number);
    const lfc = entry.list[entry.cursor];
    if (lfc !== undefined) {
      entry.cursor++;
      emit(current, end[lfc] as number, sectionEnd);
      current = lfc;
      threshold = null;
      continue;
    }
    emit(current, start[current] as number, sectionEnd);
    if (current === root) return;
    threshold = start[current] as number;
    current = model.parent[current] as number;
  }
}

/** All critical sections of the trace, root by root, in the order Jaeger emits them (latest first). */
export function criticalPath(model: TraceModel): CriticalSection[] {
  const out: CriticalSection[] = [];
  for (let i = 0; i < model.spans.length; i = model.subtreeEnd[i] as number) pathFromRoot(model, i, out);
  return out;
}

/** Sections sorted by span position, so the sections of a subtree (a position range) are one slice. */
export interface CriticalIndex {
  sorted: readonly CriticalSection[];
}

export function indexSections(sections: readonly CriticalSection[]): CriticalIndex {
  return { sorted: [...sections].sort((a, b) => a.span - b.span || a.startUs - b.startUs) };
}

function lowerBound(sorted: readonly CriticalSection[], span: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] as CriticalSection).span < span) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The sections to draw on a row: the span's own, or, when its subtree is collapsed, those of the whole subtree
 * merged onto it (Jaeger's mergeChildrenCriticalPath), so folding rows never hides the critical path.
 * Undefined when there are none.
 */
export function sectionsForRow(index: CriticalIndex, from: number, to: number): CriticalSection[] | undefined {
  const a = lowerBound(index.sorted, from);
  const b = lowerBound(index.sorted, to);
  return a === b ? undefined : index.sorted.slice(a, b);
}
