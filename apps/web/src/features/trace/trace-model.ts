/**
 * The trace as the waterfall needs it, built once per trace: spans in depth-first order (siblings by start time)
 * and flat typed arrays of tree facts indexed by that order. Everything the page does per interaction
 * (collapse, expand all, find, critical path, self time) is then a linear pass over these arrays, which is what
 * keeps a 100,000-span trace responsive (issue #6 scope 5; Jaeger's own generateRowStates is one linear pass
 * over DFS-ordered spans too).
 *
 * Spans arrive in any order and a trace can be incomplete: a span whose parent is missing (not yet received,
 * dropped, or from another trace) is shown as a root marked orphan, as Jaeger does, instead of being hidden.
 * Parent cycles in malformed input (A → B → A) cannot loop: such spans are appended as roots.
 */
import type { ApiSpan } from "@meshscope/model";

export interface TraceModel {
  traceId: string;
  /** Depth-first order; every array below is indexed by a position in this list. */
  spans: readonly ApiSpan[];
  /** spanId → position. */
  indexOf: ReadonlyMap<string, number>;
  /** Position of the parent, -1 for a root. */
  parent: Int32Array;
  depth: Int32Array;
  /** Exclusive end of the span's subtree: its descendants are exactly the positions (i, subtreeEnd[i]). */
  subtreeEnd: Int32Array;
  childCount: Int32Array;
  /** 1 when the parent span id is set but that span is not in the trace. */
  orphan: Uint8Array;
  /** 1 when the span or one of its descendants has an error status (Jaeger's hollow error icon). */
  errorBelow: Uint8Array;
  startUs: number;
  endUs: number;
  maxDepth: number;
}

function byStartThenId(a: ApiSpan, b: ApiSpan): number {
  return a.start - b.start || (a.spanId < b.spanId ? -1 : a.spanId > b.spanId ? 1 : 0);
}

/** Children lists (positions in `sorted`), already in start order because `sorted` is. */
function childLists(sorted: readonly ApiSpan[], byId: ReadonlyMap<string, number>) {
  const children: number[][] = new Array(sorted.length);
  const roots: number[] = [];
  for (let i = 0; i < sorted.length; i++) {
    const span = sorted[i] as ApiSpan;
    const p = span.parentSpanId === null || span.parentSpanId === span.spanId ? undefined : byId.get(span.parentSpanId);
    if (p === undefined) roots.push(i);
    else {
      const list = children[p];
      if (list) list.push(i);
      else children[p] = [i];
    }
  }
  return { children, roots };
}

export function buildTraceModel(traceId: string, input: readonly ApiSpan[]): TraceModel {
  const sorted = [...input].sort(byStartThenId);
  const n = sorted.length;
  const byId = new Map<string, number>();
  // The first span with an id wins; a duplicate id (a sender bug) is still shown, under the first as parent.
  for (let i = 0; i < n; i++) if (!byId.has((sorted[i] as ApiSpan).spanId)) byId.set((sorted[i] as ApiSpan).spanId, i);
  const { children, roots } = childLists(sorted, byId);

  const order: number[] = [];
  const depthOf = new Int32Array(n);
  const visited = new Uint8Array(n);
  // Iterative depth-first walk: a 10,000-deep chain would overflow the call stack of a recursive one.
  const walk = (root: number) => {
    const stack = [root];
    depthOf[root] = 0;
    while (stack.length > 0) {
      const i = stack.pop() as number;
      if (visited[i]) continue;
      visited[i] = 1;
      order.push(i);
      const kids = children[i];
      if (!kids) continue;
      for (let k = kids.length - 1; k >= 0; k--) {
        const c = kids[k] as number;
        if (!visited[c]) {
          depthOf[c] = (depthOf[i] as number) + 1;
          stack.push(c);
        }
      }
    }
  };
  for (const r of roots) walk(r);
  for (let i = 0; i < n; i++) if (!visited[i]) walk(i);
  return finishModel(traceId, sorted, order, depthOf, byId);
}

function finishModel(
  traceId: string,
  sorted: readonly ApiSpan[],
  order: readonly number[],
  depthOf: Int32Array,
  byId: ReadonlyMap<string, number>,
): TraceModel {
  const n = order.length;
  const spans = order.map((i) => sorted[i] as ApiSpan);
  const indexOf = new Map<string, number>();
  spans.forEach((s, i) => {
    if (!indexOf.has(s.spanId)) indexOf.set(s.spanId, i);
  });
  const depth = new Int32Array(n);
  const parent = new Int32Array(n).fill(-1);
  const orphan = new Uint8Array(n);
  const childCount = new Int32Array(n);
  const size = new Int32Array(n).fill(1);
  const errorBelow = new Uint8Array(n);
  // In DFS order a span's parent is the nearest earlier span one level up: a stack of the open ancestors.
  const open: number[] = [];
  let startUs = Number.POSITIVE_INFINITY;
  let endUs = Number.NEGATIVE_INFINITY;
  let maxDepth = 0;
  for (let i = 0; i < n; i++) {
    const span = spans[i] as ApiSpan;
    const d = depthOf[order[i] as number] as number;
    depth[i] = d;
    maxDepth = Math.max(maxDepth, d);
    open.length = d;
    if (d > 0) {
      parent[i] = open[d - 1] as number;
      const p = parent[i] as number;
      childCount[p] = (childCount[p] as number) + 1;
    } else if (span.parentSpanId !== null && !byId.has(span.parentSpanId)) {
      orphan[i] = 1;
    }
    open.push(i);
    startUs = Math.min(startUs, span.start);
    endUs = Math.max(endUs, span.start + span.duration);
    if (span.status.code === "error") errorBelow[i] = 1;
  }
  for (let i = n - 1; i > 0; i--) {
    const p = parent[i] as number;
    if (p >= 0) {
      size[p] = (size[p] as number) + (size[i] as number);
      if (errorBelow[i]) errorBelow[p] = 1;
    }
  }
  const subtreeEnd = new Int32Array(n);
  for (let i = 0; i < n; i++) subtreeEnd[i] = i + (size[i] as number);
  if (n === 0) {
    startUs = 0;
    endUs = 0;
  }
  return {
    traceId,
    spans,
    indexOf,
    parent,
    depth,
    subtreeEnd,
    childCount,
    orphan,
    errorBelow,
    startUs,
    endUs,
    maxDepth,
  };
}

/** Positions of the direct children of `i`, in start order. */
export function childrenOf(model: TraceModel, i: number): number[] {
  const out: number[] = [];
  const end = model.subtreeEnd[i] as number;
  for (let c = i + 1; c < end; c = model.subtreeEnd[c] as number) out.push(c);
  return out;
}

/**
 * The rows left visible when the subtrees of collapsed spans are folded away: one pass that jumps over a collapsed
 * span's whole subtree (O(visible rows + collapsed spans), never more than O(n)).
 */
export function visibleRows(model: TraceModel, collapsed: Uint8Array): Int32Array {
  const n = model.spans.length;
  const out = new Int32Array(n);
  let k = 0;
  for (let i = 0; i < n; ) {
    out[k++] = i;
    i = collapsed[i] ? (model.subtreeEnd[i] as number) : i + 1;
  }
  return out.subarray(0, k);
}

/** Collapse state with every span that has children folded (Jaeger's "Collapse All"). */
export function collapseAll(model: TraceModel): Uint8Array {
  const collapsed = new Uint8Array(model.spans.length);
  for (let i = 0; i < collapsed.length; i++) if ((model.childCount[i] as number) > 0) collapsed[i] = 1;
  return collapsed;
}

/** A copy of `collapsed` with every ancestor of `i` unfolded, so `i` becomes a visible row. */
export function revealRow(model: TraceModel, collapsed: Uint8Array, i: number): Uint8Array {
  let changed = false;
  for (let p = model.parent[i] as number; p >= 0; p = model.parent[p] as number) if (collapsed[p]) changed = true;
  if (!changed) return collapsed;
  const next = collapsed.slice();
  for (let p = model.parent[i] as number; p >= 0; p = model.parent[p] as number) next[p] = 0;
  return next;
}

export interface TraceOverview {
  /** The earliest root span (DFS position 0), or null for an empty trace. */
  root: ApiSpan | null;
  startUs: number;
  durationUs: number;
  spanCount: number;
  errorCount: number;
  /** Levels of the deepest span, counting the root as 1 (Jaeger's "Depth"). */
  depth: number;
  /** Services with their span counts, most spans first. */
  services: { name: string; spanCount: number }[];
}

export function summarizeTrace(model: TraceModel): TraceOverview {
  let errorCount = 0;
  const perService = new Map<string, number>();
  for (const span of model.spans) {
    if (span.status.code === "error") errorCount++;
    perService.set(span.service, (perService.get(span.service) ?? 0) + 1);
  }
  const services = [...perService]
    .map(([name, spanCount]) => ({ name, spanCount }))
    .sort((a, b) => b.spanCount - a.spanCount || a.name.localeCompare(b.name));
  return {
    root: model.spans[0] ?? null,
    startUs: model.startUs,
    durationUs: model.endUs - model.startUs,
    spanCount: model.spans.length,
    errorCount,
    depth: model.spans.length === 0 ? 0 : model.maxDepth + 1,
    services,
  };
}
