/**
 * A fast layered layout for big graphs, where dagre is far too slow (measured: 1,000 nodes / 3,000 edges took
 * over two minutes without boxes; 200 nodes with boxes took 10 s). Same picture as dagre's: ranks flow left to
 * right, and boxes stay whole:
 *
 * 1. Units: an app box (its service and versions, laid out inside: callers left, callees right) or a lone node.
 * 2. Ranks: longest path from the sources over the unit graph, after dropping the edges that close cycles.
 * 3. Columns share x across the whole graph (a rank is a column), so cross-namespace calls still point right.
 * 4. Namespaces are horizontal bands, one under the other; inside a band each column stacks its units, ordered by
 *    the mean height of their callers (one barycenter sweep, which is what keeps edges short).
 *
 * Linear in nodes and edges (plus a sort per column); 1,000 nodes lay out in a few milliseconds.
 */
import type { LayoutRequest } from "./layout-types";
import type { LayoutName } from "./url";

/**
 * Up to this many nodes the hierarchical layout is dagre itself; above, this layered layout (same left-to-right
 * picture, linear time). Dagre with app and namespace boxes took ~0.4 s for Bookinfo, 10 s for 200 nodes and
 * minutes for 1,000 in this browser (bench/ui-graph.ts).
 */
export const DAGRE_MAX_NODES = 80;

/** Whether a request is laid out here rather than by a cytoscape layout (dagre, fcose). */
export function usesLayeredLayout(layout: LayoutName, nodeCount: number): boolean {
  return layout === "dagre" && nodeCount > DAGRE_MAX_NODES;
}

type Point = { x: number; y: number };

const RANK_GAP = 70;
const ROW_GAP = 18;
const BAND_GAP = 60;
/** Room a box adds around its members (cytoscape box padding + its title). */
const BOX_PAD = 34;

interface Unit {
  id: string;
  band: string;
  width: number;
  height: number;
  /** Member centres relative to the unit's top-left corner. */
  offsets: Map<string, Point>;
}

function appBoxes(request: LayoutRequest): Set<string> {
  // Namespace boxes are top level; anything inside one is an app box.
  return new Set(request.boxes.filter((b) => b.parent !== null).map((b) => b.id));
}

/** Appends `value` to the list under `key`, starting the list (groups in one pass, no array copied per item). */
function pushTo<K, V>(lists: Map<K, V[]>, key: K, value: V): void {
  const list = lists.get(key);
  if (list) list.push(value);
  else lists.set(key, [value]);
}

/**
 * Lays an app box's members out: internal ranks left to right, each rank a stacked column. `edges`: the box's
 * internal edges (both ends inside it, no loops), in request order.
 */
function boxUnit(id: string, band: string, members: LayoutRequest["nodes"], edges: LayoutRequest["edges"]): Unit {
  const rank = new Map<string, number>(members.map((m) => [m.id, 0]));
  // Boxes are small (a service and its versions): a few relaxation passes settle the internal ranks.
  for (let pass = 0; pass < members.length; pass++) {
    let changed = false;
    for (const e of edges) {
      const want = (rank.get(e.source) ?? 0) + 1;
      if (want > (rank.get(e.target) ?? 0) && want < members.length) {
        rank.set(e.target, want);
        changed = true;
      }
    }
    if (!changed) break;
  }
  const columns = new Map<number, LayoutRequest["nodes"]>();
  for (const m of members) columns.set(rank.get(m.id) ?? 0, [...(columns.get(rank.get(m.id) ?? 0) ?? []), m]);
  const offsets = new Map<string, Point>();
  let x = BOX_PAD / 2;
  let height = 0;
  for (const r of [...columns.keys()].sort((a, b) => a - b)) {
    const column = (columns.get(r) ?? []).sort((a, b) => a.id.localeCompare(b.id));
    const width = Math.max(...column.map((n) => n.width));
    const columnHeight = column.reduce((a, n) => a + n.height + ROW_GAP, -ROW_GAP);
    let y = BOX_PAD;
    for (const n of column) {
      offsets.set(n.id, { x: x + width / 2, y: y + n.height / 2 });
      y += n.height + ROW_GAP;
    }
    height = Math.max(height, columnHeight);
    x += width + RANK_GAP / 2;
  }
  // Centre short columns vertically against the tallest one.
  for (const [nodeId, p] of offsets) {
    const r = rank.get(nodeId) ?? 0;
    const column = columns.get(r) ?? [];
    const columnHeight = column.reduce((a, n) => a + n.height + ROW_GAP, -ROW_GAP);
    offsets.set(nodeId, { x: p.x, y: p.y + (height - columnHeight) / 2 });
  }
  return { id, band, width: x - RANK_GAP / 2 + BOX_PAD / 2, height: height + BOX_PAD * 1.5, offsets };
}

function buildUnits(request: LayoutRequest): { units: Map<string, Unit>; unitOf: Map<string, string> } {
  const apps = appBoxes(request);
  const boxParent = new Map(request.boxes.map((b) => [b.id, b.parent]));
  const units = new Map<string, Unit>();
  const unitOf = new Map<string, string>();
  const byBox = new Map<string, LayoutRequest["nodes"]>();
  for (const n of request.nodes) {
    if (n.parent !== null && apps.has(n.parent)) {
      pushTo(byBox, n.parent, n);
      unitOf.set(n.id, n.parent);
      continue;
    }
    unitOf.set(n.id, n.id);
    const offsets = new Map([[n.id, { x: n.width / 2, y: n.height / 2 }]]);
    units.set(n.id, { id: n.id, band: n.parent ?? "", width: n.width, height: n.height, offsets });
  }
  // Each box's internal edges, grouped once: scanning every edge per box and pass was most of the layout's time
  // on 1,000 nodes / 3,000 edges (bench/ui-graph.ts, ~200 ms in the worker).
  const inner = new Map<string, LayoutRequest["edges"]>();
  for (const e of request.edges) {
    const box = unitOf.get(e.source);
    if (e.source === e.target || box === undefined || box !== unitOf.get(e.target) || !byBox.has(box)) continue;
    pushTo(inner, box, e);
  }
  for (const [box, members] of byBox) {
    units.set(box, boxUnit(box, boxParent.get(box) ?? "", members, inner.get(box) ?? []));
  }
  return { units, unitOf };
}

/** Longest-path ranks of the unit graph; edges closing a cycle (found by an iterative DFS) are ignored. */
function rankUnits(ids: string[], out: Map<string, Set<string>>, into: Map<string, Set<string>>): Map<string, number> {
  const state = new Map<string, 1 | 2>();
  const order: string[] = [];
  const back = new Set<string>();
  // Traffic sources first: the DFS then meets a cycle from its natural start, and cuts its closing edge.
  const roots = [...ids.filter((id) => !into.has(id)), ...ids.filter((id) => into.has(id))];
  for (const root of roots) {
    if (state.has(root)) continue;
    const stack: [string, Iterator<string>][] = [[root, (out.get(root) ?? new Set()).values()]];
    state.set(root, 1);
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      if (!top) break;
      const next = top[1].next();
      if (next.done) {
        state.set(top[0], 2);
        order.push(top[0]);
        stack.pop();
        continue;
      }
      const child = next.value;
      const s = state.get(child);
      if (s === 1) back.add(`${top[0]}\u0000${child}`);
      else if (s === undefined) {
        state.set(child, 1);
        stack.push([child, (out.get(child) ?? new Set()).values()]);
      }
    }
  }
  const rank = new Map<string, number>(ids.map((id) => [id, 0]));
  // Reverse post-order is a topological order of the graph without its back edges.
  for (const id of order.reverse()) {
    for (const child of out.get(id) ?? []) {
      if (back.has(`${id}\u0000${child}`)) continue;
      rank.set(child, Math.max(rank.get(child) ?? 0, (rank.get(id) ?? 0) + 1));
    }
  }
  return rank;
}

export function layeredLayout(request: LayoutRequest): Record<string, Point> {
  const { units, unitOf } = buildUnits(request);
  const ids = [...units.keys()].sort();
  const out = new Map<string, Set<string>>();
  const into = new Map<string, Set<string>>();
  for (const e of request.edges) {
    const a = unitOf.get(e.source);
    const b = unitOf.get(e.target);
    if (!a || !b || a === b) continue;
    out.set(a, (out.get(a) ?? new Set()).add(b));
    into.set(b, (into.get(b) ?? new Set()).add(a));
  }
  const rank = rankUnits(ids, out, into);
  const maxRank = Math.max(0, ...rank.values());
  const colWidth = new Array<number>(maxRank + 1).fill(0);
  for (const u of units.values()) {
    const r = rank.get(u.id) ?? 0;
    colWidth[r] = Math.max(colWidth[r] ?? 0, u.width);
  }
  const colX: number[] = [];
  let x = 0;
  for (let r = 0; r <= maxRank; r++) {
    colX.push(x);
    x += (colWidth[r] ?? 0) + RANK_GAP;
  }

  // Bands in order of where their traffic starts, then by name.
  const bands = new Map<string, Unit[]>();
  for (const u of units.values()) pushTo(bands, u.band, u);
  const bandOrder = [...bands.entries()]
    .map(([band, list]) => ({ band, list, first: Math.min(...list.map((u) => rank.get(u.id) ?? 0)) }))
    .sort((a, b) => a.first - b.first || a.band.localeCompare(b.band));

  const centreY = new Map<string, number>();
  const topLeft = new Map<string, Point>();
  let bandTop = 0;
  for (const { list } of bandOrder) {
    const columns = new Map<number, Unit[]>();
    for (const u of list) pushTo(columns, rank.get(u.id) ?? 0, u);
    let bandHeight = 0;
    for (const r of [...columns.keys()].sort((a, b) => a - b)) {
      const column = columns.get(r) ?? [];
      const barycenter = (u: Unit) => {
        const ys = [...(into.get(u.id) ?? [])].flatMap((p) => centreY.get(p) ?? []);
        return ys.length > 0 ? ys.reduce((a, b) => a + b, 0) / ys.length : Number.POSITIVE_INFINITY;
      };
      const keyed = column.map((u) => ({ u, key: barycenter(u) }));
      keyed.sort((a, b) => a.key - b.key || a.u.id.localeCompare(b.u.id));
      let y = bandTop;
      for (const { u } of keyed) {
        const left = (colX[r] ?? 0) + ((colWidth[r] ?? 0) - u.width) / 2;
        topLeft.set(u.id, { x: left, y });
        centreY.set(u.id, y + u.height / 2);
        y += u.height + ROW_GAP;
      }
      bandHeight = Math.max(bandHeight, y - bandTop);
    }
    bandTop += bandHeight + BAND_GAP;
  }

  const positions: Record<string, Point> = {};
  for (const u of units.values()) {
    const corner = topLeft.get(u.id) ?? { x: 0, y: 0 };
    for (const [nodeId, offset] of u.offsets) positions[nodeId] = { x: corner.x + offset.x, y: corner.y + offset.y };
  }
  return positions;
}
