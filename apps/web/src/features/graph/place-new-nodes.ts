/**
 * Places nodes that appeared on a refresh without moving the others (issue #5: "a layout that stays put across
 * refreshes"). A new node goes one rank to the right of its callers (the dagre layout flows left to right), or
 * one rank to the left of its callees, or under its box siblings, or under the whole graph; then down until it
 * overlaps nothing. Nodes placed earlier in the same pass count as placed, so a new chain a → b → c stays a chain.
 */
export interface Point {
  x: number;
  y: number;
}

export interface PlaceInput {
  newIds: readonly string[];
  /** Positions of the nodes already on the canvas (leaf nodes). */
  placed: ReadonlyMap<string, Point>;
  edges: readonly { source: string; target: string }[];
  /** Leaf node ids sharing a box with each new node (for a node with no placed neighbour). */
  siblings: (id: string) => readonly string[];
}

/** Horizontal distance between ranks and vertical step between rows, px at zoom 1 (match compute-layout). */
export const RANK_STEP = 170;
export const ROW_STEP = 64;
const CLEARANCE_X = 110;
const CLEARANCE_Y = 56;
const MAX_TRIES = 500;

function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

export function placeNewNodes(input: PlaceInput): Map<string, Point> {
  const at = new Map(input.placed);
  const result = new Map<string, Point>();
  const callers = new Map<string, string[]>();
  const callees = new Map<string, string[]>();
  for (const e of input.edges) {
    callers.set(e.target, [...(callers.get(e.target) ?? []), e.source]);
    callees.set(e.source, [...(callees.get(e.source) ?? []), e.target]);
  }
  const free = (p: Point) => {
    for (const q of at.values()) {
      if (Math.abs(q.x - p.x) < CLEARANCE_X && Math.abs(q.y - p.y) < CLEARANCE_Y) return false;
    }
    return true;
  };
  const settle = (id: string, wanted: Point) => {
    const p = { ...wanted };
    for (let i = 0; i < MAX_TRIES && !free(p); i++) p.y += ROW_STEP;
    at.set(id, p);
    result.set(id, p);
  };
  const anchored = (id: string): Point | null => {
    const from = (callers.get(id) ?? []).flatMap((n) => at.get(n) ?? []);
    if (from.length > 0) return { x: Math.max(...from.map((p) => p.x)) + RANK_STEP, y: mean(from.map((p) => p.y)) };
    const to = (callees.get(id) ?? []).flatMap((n) => at.get(n) ?? []);
    if (to.length > 0) return { x: Math.min(...to.map((p) => p.x)) - RANK_STEP, y: mean(to.map((p) => p.y)) };
    return null;
  };

  let waiting = [...input.newIds];
  // Repeat while some node found a placed neighbour: each pass can anchor the next link of a chain.
  for (let progress = true; progress && waiting.length > 0; ) {
    progress = false;
    const next: string[] = [];
    for (const id of waiting) {
      const p = anchored(id);
      if (p) {
        settle(id, p);
        progress = true;
      } else next.push(id);
    }
    waiting = next;
  }
  for (const id of waiting) {
    const sibs = input.siblings(id).flatMap((s) => at.get(s) ?? []);
    if (sibs.length > 0) {
      settle(id, { x: mean(sibs.map((p) => p.x)), y: Math.max(...sibs.map((p) => p.y)) + ROW_STEP });
      continue;
    }
    const all = [...at.values()];
    settle(
      id,
      all.length > 0
        ? { x: Math.min(...all.map((p) => p.x)), y: Math.max(...all.map((p) => p.y)) + ROW_STEP }
        : { x: 0, y: 0 },
    );
  }
  return result;
}
