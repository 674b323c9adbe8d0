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
import type { OutlineSpan } from "@meshscope/model";

/** spanId → position: the part of a Map the page needs, so the model can answer it without a second Map. */
export interface SpanIndex {
  get(spanId: string): number | undefined;
  has(spanId: string): boolean;
}

export interface TraceModel {
  traceId: string;
  /** Depth-first order; every array below is indexed by a position in this list. */
  spans: readonly OutlineSpan[];
  /** spanId → position (the first position holding that id). */
  indexOf: SpanIndex;
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

function byStartThenId(a: OutlineSpan, b: OutlineSpan): number {
  return a.start - b.start || (a.spanId < b.spanId ? -1 : a.spanId > b.spanId ? 1 : 0);
}

/** The spans by start time (then id). The server already answers in start order, so usually only a check. */
function sortedByStart(input: readonly OutlineSpan[]): readonly OutlineSpan[] {
  for (let i = 1; i < input.length; i++) {
    if (byStartThenId(input[i - 1] as OutlineSpan, input[i] as OutlineSpan) > 0) return [...input].sort(byStartThenId);
  }
  return input;
}

/** Each span's parent position in `sorted` (-1 when it has none in the trace), through the id → position map. */
function parentsById(sorted: readonly OutlineSpan[], byId: ReadonlyMap<string, number>): Int32Array {
  const parentOf = new Int32Array(sorted.length);
  for (let i = 0; i < sorted.length; i++) {
    const span = sorted[i] as OutlineSpan;
    const p = span.parentSpanId === null || span.parentSpanId === span.spanId ? undefined : byId.get(span.parentSpanId);
    parentOf[i] = p ?? -1;
  }
  return parentOf;
}

/**
 * The children of every span as one flat list (children of p are kids[first[p] .. first[p + 1]), in start order).
 * Flat typed arrays instead of an array per parent: 100,000 spans cost no 100,000 small arrays.
 */
function childLists(parentOf: Int32Array) {
  const n = parentOf.length;
  const first = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    const p = parentOf[i] as number;
    if (p >= 0) first[p + 1] = (first[p + 1] as number) + 1;
  }
  for (let i = 0; i < n; i++) first[i + 1] = (first[i + 1] as number) + (first[i] as number);
  const fill = first.slice(0, n);
  const kids = new Int32Array(first[n] as number);
  for (let i = 0; i < n; i++) {
    const p = parentOf[i] as number;
    if (p >= 0) kids[(fill[p] as number)++] = i;
  }
  return { first, kids };
}

/**
 * Depth-first order over `sorted` positions, roots (and children) by start time. Iterative: a 10,000-deep chain
 * would overflow the call stack of a recursive walk. Spans never reached from a root (parent cycles in malformed
 * input, A → B → A) are walked afterwards as roots, so none is lost and nothing loops.
 */
function depthFirst(parentOf: Int32Array, first: Int32Array, kids: Int32Array) {
  const n = parentOf.length;
  const order = new Int32Array(n);
  const depthOf = new Int32Array(n);
  const treeParent = new Int32Array(n).fill(-1);
  const visited = new Uint8Array(n);
  const stack = new Int32Array(n);
  let k = 0;
  const walk = (root: number) => {
    let top = 0;
    stack[top++] = root;
    depthOf[root] = 0;
    while (top > 0) {
      const i = stack[--top] as number;
      if (visited[i]) continue;
      visited[i] = 1;
      order[k++] = i;
      for (let c = (first[i + 1] as number) - 1; c >= (first[i] as number); c--) {
        const child = kids[c] as number;
        if (!visited[child]) {
          depthOf[child] = (depthOf[i] as number) + 1;
          treeParent[child] = i;
          stack[top++] = child;
        }
      }
    }
  };
  for (let i = 0; i < n; i++) if (parentOf[i] === -1) walk(i);
  for (let i = 0; i < n; i++) if (!visited[i]) walk(i);
  return { order, depthOf, treeParent };
}

/**
 * The model of a trace's spans. `parents`, when given, is each span's parent position in `input` (-1 for none in
 * the trace), as the trace outline carries it: then no id → position Map is built up front (on 100,000 spans
 * that Map is a good part of the model's cost), only on the first lookup by id.
 */
export function buildTraceModel(
  traceId: string,
  input: readonly OutlineSpan[],
  parents?: ArrayLike<number>,
): TraceModel {
  if (parents !== undefined && parents.length === input.length && sortedByStart(input) === input) {
    return buildFromParents(traceId, input, parents);
  }
  const sorted = sortedByStart(input);
  const n = sorted.length;
  const byId = new Map<string, number>();
  let duplicates = false;
  // The first span with an id wins; a duplicate id (a sender bug) is still shown, under the first as parent.
  for (let i = 0; i < n; i++) {
    const id = (sorted[i] as OutlineSpan).spanId;
    if (byId.has(id)) duplicates = true;
    else byId.set(id, i);
  }
  const parentOf = parentsById(sorted, byId);
  const walk = walkInOrder(sorted, parentOf);
  const orphan = (i: number) => {
    const parentId = (sorted[i] as OutlineSpan).parentSpanId;
    return parentId !== null && !byId.has(parentId);
  };
  return finishModel(traceId, walk, orphan, spanIndex(walk.spans, byId, walk.positionOf, duplicates));
}

function buildFromParents(traceId: string, sorted: readonly OutlineSpan[], parents: ArrayLike<number>): TraceModel {
  const n = sorted.length;
  const parentOf = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const p = parents[i] as number;
    // A span naming itself as parent is a root, as in parentsById.
    parentOf[i] = p >= 0 && p < n && p !== i ? p : -1;
  }
  const walk = walkInOrder(sorted, parentOf);
  const orphan = (i: number) => (sorted[i] as OutlineSpan).parentSpanId !== null && (parents[i] as number) < 0;
  return finishModel(traceId, walk, orphan, lazySpanIndex(walk.spans));
}

function walkInOrder(sorted: readonly OutlineSpan[], parentOf: Int32Array): Walk {
  const n = sorted.length;
  const { first, kids } = childLists(parentOf);
  const { order, depthOf, treeParent } = depthFirst(parentOf, first, kids);
  const positionOf = new Int32Array(n);
  const spans: OutlineSpan[] = new Array(n);
  for (let pos = 0; pos < n; pos++) {
    const i = order[pos] as number;
    positionOf[i] = pos;
    spans[pos] = sorted[i] as OutlineSpan;
  }
  return { spans, order, depthOf, treeParent, positionOf };
}

/** spanId → depth-first position, the first position holding an id winning; the Map is built on first use. */
function lazySpanIndex(spans: readonly OutlineSpan[]): SpanIndex {
  let map: Map<string, number> | undefined;
  const index = () => {
    if (map === undefined) {
      map = new Map();
      // Backwards, so the first position of an id is set last and wins.
      for (let i = spans.length - 1; i >= 0; i--) map.set((spans[i] as OutlineSpan).spanId, i);
    }
    return map;
  };
  return { get: (spanId) => index().get(spanId), has: (spanId) => index().has(spanId) };
}

/** spanId → depth-first position through the by-start index, unless an id repeats: then the first position in
 * depth-first order wins, which a Map built over that order gives. */
function spanIndex(
  spans: readonly OutlineSpan[],
  byId: ReadonlyMap<string, number>,
  positionOf: Int32Array,
  duplicates: boolean,
): SpanIndex {
  if (duplicates) {
    const map = new Map<string, number>();
    spans.forEach((s, i) => {
      if (!map.has(s.spanId)) map.set(s.spanId, i);
    });
    return map;
  }
  return {
    get: (spanId) => {
      const i = byId.get(spanId);
      return i === undefined ? undefined : positionOf[i];
    },
    has: (spanId) => byId.has(spanId),
  };
}

interface Walk {
  /** Depth-first order. */
  spans: readonly OutlineSpan[];
  order: Int32Array;
  depthOf: Int32Array;
  treeParent: Int32Array;
  positionOf: Int32Array;
}

/** `orphan(i)`: the span at by-start position i names a parent that is not in the trace. */
function finishModel(traceId: string, walk: Walk, orphan: (i: number) => boolean, indexOf: SpanIndex): TraceModel {
  const { spans, order, depthOf, treeParent, positionOf } = walk;
  const n = spans.length;
  const depth = new Int32Array(n);
  const parent = new Int32Array(n).fill(-1);
  const orphanAt = new Uint8Array(n);
  const childCount = new Int32Array(n);
  const size = new Int32Array(n).fill(1);
  const errorBelow = new Uint8Array(n);
  let startUs = Number.POSITIVE_INFINITY;
  let endUs = Number.NEGATIVE_INFINITY;
  let maxDepth = 0;
  for (let i = 0; i < n; i++) {
    const span = spans[i] as OutlineSpan;
    const sortedIndex = order[i] as number;
    const d = depthOf[sortedIndex] as number;
    depth[i] = d;
    if (d > maxDepth) maxDepth = d;
    const tp = treeParent[sortedIndex] as number;
    if (tp >= 0) {
      const p = positionOf[tp] as number;
      parent[i] = p;
      childCount[p] = (childCount[p] as number) + 1;
    } else if (orphan(sortedIndex)) {
      orphanAt[i] = 1;
    }
    if (span.start < startUs) startUs = span.start;
    const end = span.start + span.duration;
    if (end > endUs) endUs = end;
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
    orphan: orphanAt,
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
  root: OutlineSpan | null;
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
