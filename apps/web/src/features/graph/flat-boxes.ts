/**
 * Boxes drawn as plain background shapes on big graphs. Cytoscape's compound nodes make every style change of
 * every element walk the element's parents, descendants and their edges (`dirtyStyleCache` on a graph with
 * compounds): on 1,000 nodes that alone cost seconds of the first layout (bench/ui-graph.ts, CPU profile). Above
 * `FLAT_BOXES_ABOVE` nodes the app and namespace boxes are therefore ordinary nodes sized and placed here, from
 * the positions of what they hold, drawn under the edges and nodes; they follow their members when those move.
 */
import type { GraphModel } from "./graph-model";

/** Above this many nodes boxes are background shapes rather than compound nodes. */
export const FLAT_BOXES_ABOVE = 300;

/** Room between a box's border and what it holds, px at zoom 1 (the compound boxes' `padding`). */
export const BOX_PADDING = 14;
/** Room above a namespace box's contents for the app boxes' labels, which are drawn above their frames. */
const LABEL_ROOM = 16;

export interface Rect {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

export interface BoxGeometry {
  /** Centre, px at zoom 1 (cytoscape positions are centres). */
  x: number;
  y: number;
  width: number;
  height: number;
}

export function drawsFlatBoxes(model: GraphModel): boolean {
  return model.nodes.length > FLAT_BOXES_ABOVE && model.boxes.length > 0;
}

function union(a: Rect | null, b: Rect): Rect {
  if (!a) return { ...b };
  return { x1: Math.min(a.x1, b.x1), y1: Math.min(a.y1, b.y1), x2: Math.max(a.x2, b.x2), y2: Math.max(a.y2, b.y2) };
}

/**
 * Each box's frame: the union of its members' extents (and of the boxes inside it) plus padding. `extentOf`
 * answers a leaf node's drawn extent, or null when the node is not on the canvas. Boxes with nothing placed
 * inside are left out.
 */
export function flatBoxGeometry(model: GraphModel, extentOf: (id: string) => Rect | null): Map<string, BoxGeometry> {
  const inner = new Map<string, Rect>();
  const childBoxes = new Map<string, string[]>();
  for (const box of model.boxes) {
    if (box.parent) childBoxes.set(box.parent, [...(childBoxes.get(box.parent) ?? []), box.id]);
  }
  const frames = new Map<string, Rect>();
  // App boxes first (they hold only leaves), then namespace boxes (which also hold app boxes).
  const ordered = [...model.boxes].sort((a, b) => (a.boxType === b.boxType ? 0 : a.boxType === "app" ? -1 : 1));
  for (const box of ordered) {
    let rect: Rect | null = null;
    for (const id of box.members) {
      const extent = extentOf(id);
      if (extent) rect = union(rect, extent);
    }
    for (const child of childBoxes.get(box.id) ?? []) {
      const frame = frames.get(child);
      // A nested box's label sits above its frame: keep room for it inside this one.
      if (frame) rect = union(rect, { ...frame, y1: frame.y1 - LABEL_ROOM });
    }
    if (!rect) continue;
    inner.set(box.id, rect);
    frames.set(box.id, {
      x1: rect.x1 - BOX_PADDING,
      y1: rect.y1 - BOX_PADDING,
      x2: rect.x2 + BOX_PADDING,
      y2: rect.y2 + BOX_PADDING,
    });
  }
  const out = new Map<string, BoxGeometry>();
  for (const [id, f] of frames) {
    out.set(id, { x: (f.x1 + f.x2) / 2, y: (f.y1 + f.y2) / 2, width: f.x2 - f.x1, height: f.y2 - f.y1 });
  }
  return out;
}
