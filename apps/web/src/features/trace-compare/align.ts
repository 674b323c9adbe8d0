/**
 * Aligns two traces by structure, as Jaeger's trace comparison does (TraceDag keyed by the ancestral path of
 * (service, operation), jaeger.md §1.6): every span falls on the node of its path root → … → itself, so two
 * calls of `reviews GET /reviews` under the same parent path are one node counted twice. The merged tree says,
 * per node, how many spans and how much time each trace spent there, and whether the node was added (only in
 * B), removed (only in A) or changed (count differs, or total duration moved by more than the threshold).
 *
 * Pure and iterative (no recursion over spans), so a deep 100,000-span trace cannot overflow the stack.
 */
import type { ApiSpan } from "@meshscope/model";

export type SpanForAlignment = Pick<ApiSpan, "spanId" | "parentSpanId" | "service" | "name" | "start" | "duration">;

export interface PathStats {
  /** Spans of the trace on this path. */
  count: number;
  /** Sum of their durations, µs. */
  totalUs: number;
}

export type DiffStatus = "same" | "changed" | "added" | "removed";

export interface AlignedNode {
  /** Unique per path (root → … → this node's service and operation) within one alignment. */
  key: string;
  service: string;
  name: string;
  /** 0 for roots. */
  depth: number;
  a: PathStats;
  b: PathStats;
  status: DiffStatus;
  /** (B − A) / A of the total duration; null when the node is missing from one side or A spent no time. */
  durationDelta: number | null;
  children: AlignedNode[];
}

export interface TraceAlignment {
  roots: AlignedNode[];
  counts: Record<DiffStatus, number>;
}

/** Jaeger-like default: a node whose time moved by more than 10% is "changed". */
export const DEFAULT_DURATION_THRESHOLD = 0.1;

interface PathEntry {
  parentKey: string | null;
  service: string;
  name: string;
  depth: number;
  stats: PathStats;
  /** Earliest start of a span on this path, µs from its trace's start: orders siblings on screen. */
  firstOffsetUs: number;
}

export function alignTraces(
  a: readonly SpanForAlignment[],
  b: readonly SpanForAlignment[],
  durationThreshold = DEFAULT_DURATION_THRESHOLD,
): TraceAlignment {
  // One interner for both traces: the same path gets the same key in A and in B.
  const intern = pathInterner();
  const pathsA = collectPaths(a, intern);
  const pathsB = collectPaths(b, intern);
  const nodes = new Map<string, AlignedNode>();
  const order = new Map<string, number>();
  const keys = new Set([...pathsA.keys(), ...pathsB.keys()]);
  for (const key of keys) {
    const ea = pathsA.get(key);
    const eb = pathsB.get(key);
    const entry = ea ?? eb;
    if (!entry) continue;
    const statsA = ea?.stats ?? { count: 0, totalUs: 0 };
    const statsB = eb?.stats ?? { count: 0, totalUs: 0 };
    const durationDelta =
      statsA.count > 0 && statsB.count > 0 && statsA.totalUs > 0
        ? (statsB.totalUs - statsA.totalUs) / statsA.totalUs
        : null;
    nodes.set(key, {
      key,
      service: entry.service,
      name: entry.name,
      depth: entry.depth,
      a: statsA,
      b: statsB,
      status: statusOf(statsA, statsB, durationThreshold),
      durationDelta,
      children: [],
    });
    order.set(
      key,
      Math.min(ea?.firstOffsetUs ?? Number.POSITIVE_INFINITY, eb?.firstOffsetUs ?? Number.POSITIVE_INFINITY),
    );
  }
  return {
    roots: linkChildren(nodes, order, (key) => (pathsA.get(key) ?? pathsB.get(key))?.parentKey ?? null),
    counts: countStatuses(nodes),
  };
}

function statusOf(a: PathStats, b: PathStats, threshold: number): DiffStatus {
  if (a.count === 0) return "added";
  if (b.count === 0) return "removed";
  if (a.count !== b.count) return "changed";
  if (a.totalUs === 0) return b.totalUs === 0 ? "same" : "changed";
  return Math.abs(b.totalUs - a.totalUs) / a.totalUs > threshold ? "changed" : "same";
}

function linkChildren(
  nodes: Map<string, AlignedNode>,
  order: Map<string, number>,
  parentOf: (key: string) => string | null,
): AlignedNode[] {
  const roots: AlignedNode[] = [];
  for (const node of nodes.values()) {
    const parentKey = parentOf(node.key);
    const parent = parentKey === null ? undefined : nodes.get(parentKey);
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  const byOrder = (x: AlignedNode, y: AlignedNode) =>
    (order.get(x.key) ?? 0) - (order.get(y.key) ?? 0) || (x.key < y.key ? -1 : x.key > y.key ? 1 : 0);
  for (const node of nodes.values()) node.children.sort(byOrder);
  return roots.sort(byOrder);
}

function countStatuses(nodes: Map<string, AlignedNode>): Record<DiffStatus, number> {
  const counts: Record<DiffStatus, number> = { same: 0, changed: 0, added: 0, removed: 0 };
  for (const node of nodes.values()) counts[node.status]++;
  return counts;
}

/**
 * Every path of one trace with its span count and time. A span whose parent is missing (late, dropped, or in
 * another trace) starts a path of its own, as the trace page shows it as a root; a parent cycle in malformed
 * input is broken where the walk first meets a visited span.
 */
function collectPaths(spans: readonly SpanForAlignment[], intern: PathInterner): Map<string, PathEntry> {
  const byId = new Map<string, SpanForAlignment>();
  for (const span of spans) byId.set(span.spanId, span);
  const children = new Map<string, SpanForAlignment[]>();
  const roots: SpanForAlignment[] = [];
  for (const span of spans) {
    const parent = span.parentSpanId;
    if (parent !== null && parent !== span.spanId && byId.has(parent)) {
      const list = children.get(parent);
      if (list) list.push(span);
      else children.set(parent, [span]);
    } else roots.push(span);
  }
  const traceStart = spans.reduce((min, s) => Math.min(min, s.start), Number.POSITIVE_INFINITY);
  const paths = new Map<string, PathEntry>();
  const visited = new Set<string>();
  const stack: { span: SpanForAlignment; parentKey: string | null; depth: number }[] = [];
  const walkFrom = (root: SpanForAlignment) => {
    stack.push({ span: root, parentKey: null, depth: 0 });
    while (stack.length > 0) {
      const item = stack.pop();
      if (!item || visited.has(item.span.spanId)) continue;
      visited.add(item.span.spanId);
      const key = intern(item.parentKey, item.span);
      addToPath(paths, key, item, item.span.start - traceStart);
      for (const child of children.get(item.span.spanId) ?? []) {
        stack.push({ span: child, parentKey: key, depth: item.depth + 1 });
      }
    }
  };
  for (const root of roots) walkFrom(root);
  for (const span of spans) if (!visited.has(span.spanId)) walkFrom(span);
  return paths;
}

type PathInterner = (parentKey: string | null, span: SpanForAlignment) => string;

/**
 * Keys a path by its parent's key and its own (service, operation), as a short number: spelling out the whole
 * path would make keys grow with depth, quadratic work on a deep (or hostile) trace. JSON quoting keeps the
 * lookup unforgeable: a span named `a"]/["b` is still exactly one segment.
 */
function pathInterner(): PathInterner {
  const ids = new Map<string, string>();
  return (parentKey, span) => {
    const full = `${parentKey ?? ""}/${JSON.stringify([span.service, span.name])}`;
    let id = ids.get(full);
    if (id === undefined) {
      id = `p${ids.size}`;
      ids.set(full, id);
    }
    return id;
  };
}

function addToPath(
  paths: Map<string, PathEntry>,
  key: string,
  item: { span: SpanForAlignment; parentKey: string | null; depth: number },
  offsetUs: number,
): void {
  const existing = paths.get(key);
  if (existing) {
    existing.stats.count++;
    existing.stats.totalUs += item.span.duration;
    existing.firstOffsetUs = Math.min(existing.firstOffsetUs, offsetUs);
    return;
  }
  paths.set(key, {
    parentKey: item.parentKey,
    service: item.span.service,
    name: item.span.name,
    depth: item.depth,
    stats: { count: 1, totalUs: item.span.duration },
    firstOffsetUs: offsetUs,
  });
}

export interface AlignedRow {
  node: AlignedNode;
  /** The node has children and they are folded away. */
  collapsed: boolean;
}

/** Depth-first rows of the merged tree, skipping the subtrees of collapsed keys. */
export function visibleAlignedRows(roots: readonly AlignedNode[], collapsed: ReadonlySet<string>): AlignedRow[] {
  const rows: AlignedRow[] = [];
  const stack = [...roots].reverse();
  while (stack.length > 0) {
    const node = stack.pop();
    if (!node) continue;
    const folded = collapsed.has(node.key) && node.children.length > 0;
    rows.push({ node, collapsed: folded });
    if (!folded) stack.push(...[...node.children].reverse());
  }
  return rows;
}

/** Keys of every node with children: "collapse all". */
export function parentKeys(roots: readonly AlignedNode[]): Set<string> {
  const keys = new Set<string>();
  const stack = [...roots];
  while (stack.length > 0) {
    const node = stack.pop();
    if (!node) continue;
    if (node.children.length > 0) keys.add(node.key);
    stack.push(...node.children);
  }
  return keys;
}
