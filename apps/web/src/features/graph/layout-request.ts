/**
 * What the layout worker is asked for a model, and how its answer becomes canvas positions. Pure (no cytoscape),
 * so the page can start the first layout before the canvas code has loaded (early-layout.ts) and the canvas
 * reads the answer the same way either way.
 */
import { layoutSize, NODE_SIZE, SERVICE_SIZE } from "./cy-elements";
import type { GraphModel } from "./graph-model";
import type { LayoutAnswer, LayoutRequest } from "./layout-types";
import type { Point } from "./place-new-nodes";
import type { LayoutName } from "./url";

export function layoutRequestFor(model: GraphModel, layout: LayoutName): Omit<LayoutRequest, "id"> {
  return {
    layout,
    nodes: model.nodes.map((n) => ({ id: n.id, parent: n.parent, ...layoutSize(n) })),
    boxes: model.boxes.map((b) => ({ id: b.id, parent: b.parent })),
    edges: model.edges.map((e) => ({ id: e.id, source: e.edge.source, target: e.edge.target })),
  };
}

/**
 * Node positions on the canvas from a layout answer. The layout box holds the shape with its label underneath:
 * the shape goes at the top of the box.
 */
export function canvasPositions(model: GraphModel, answer: LayoutAnswer): Map<string, Point> {
  const positions = new Map<string, Point>();
  for (const n of model.nodes) {
    const p = answer.positions[n.id];
    if (!p) continue;
    const shape = n.node.kind === "service" ? SERVICE_SIZE : NODE_SIZE;
    positions.set(n.id, { x: p.x, y: p.y - (layoutSize(n).height - shape) / 2 });
  }
  return positions;
}
