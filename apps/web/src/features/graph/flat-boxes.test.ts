import { describe, expect, it } from "vitest";
import { BOX_PADDING, drawsFlatBoxes, FLAT_BOXES_ABOVE, flatBoxGeometry, type Rect } from "./flat-boxes";
import { bookinfoGraph, node } from "./graph-fixture.test-support";
import { buildGraphModel } from "./graph-model";

/** Bookinfo's nodes spread on a grid, each 40 × 60 px. */
function gridExtents(ids: readonly string[]): Map<string, Rect> {
  return new Map(
    ids.map((id, i) => {
      const x = (i % 4) * 120;
      const y = Math.floor(i / 4) * 150;
      return [id, { x1: x, y1: y, x2: x + 40, y2: y + 60 }];
    }),
  );
}

function contains(frame: { x: number; y: number; width: number; height: number }, r: Rect, margin: number): boolean {
  return (
    frame.x - frame.width / 2 <= r.x1 - margin &&
    frame.x + frame.width / 2 >= r.x2 + margin &&
    frame.y - frame.height / 2 <= r.y1 - margin &&
    frame.y + frame.height / 2 >= r.y2 + margin
  );
}

describe("flat boxes", () => {
  it("are used only on graphs above the node threshold", () => {
    expect(drawsFlatBoxes(buildGraphModel(bookinfoGraph()))).toBe(false);
    const big = bookinfoGraph();
    for (let i = 0; i < FLAT_BOXES_ABOVE; i++) {
      big.nodes.push(node({ id: `w${i}`, kind: "workload", workload: `w${i}`, app: `app${i % 7}`, version: "v1" }));
    }
    expect(drawsFlatBoxes(buildGraphModel(big))).toBe(true);
  });

  it("frame every app box around its members with padding, and every namespace box around its app boxes", () => {
    const model = buildGraphModel(bookinfoGraph());
    const extents = gridExtents(model.nodes.map((n) => n.id));
    const geometry = flatBoxGeometry(model, (id) => extents.get(id) ?? null);
    expect(model.boxes.length).toBeGreaterThan(1);
    for (const box of model.boxes) {
      const frame = geometry.get(box.id);
      if (!frame) throw new Error(`${box.id} has members and must be framed`);
      for (const member of box.members) {
        const extent = extents.get(member);
        if (extent) expect(contains(frame, extent, BOX_PADDING)).toBe(true);
      }
      if (box.parent) {
        const outer = geometry.get(box.parent);
        if (!outer) throw new Error(`${box.parent} holds ${box.id} and must be framed`);
        const inner = {
          x1: frame.x - frame.width / 2,
          y1: frame.y - frame.height / 2,
          x2: frame.x + frame.width / 2,
          y2: frame.y + frame.height / 2,
        };
        // Room above the inner frame for its label, inside the outer one.
        expect(contains(outer, { ...inner, y1: inner.y1 - 16 }, BOX_PADDING)).toBe(true);
      }
    }
  });

  it("fit an app box tightly: its frame is its members' extent plus the padding", () => {
    const model = buildGraphModel(bookinfoGraph());
    const appBox = model.boxes.find((b) => b.boxType === "app" && b.members.length > 1);
    if (!appBox) throw new Error("Bookinfo has an app with several versions");
    const extents = gridExtents(model.nodes.map((n) => n.id));
    const frame = flatBoxGeometry(model, (id) => extents.get(id) ?? null).get(appBox.id);
    const rects = appBox.members.map((m) => extents.get(m)).filter((r): r is Rect => r !== undefined);
    const x1 = Math.min(...rects.map((r) => r.x1));
    const x2 = Math.max(...rects.map((r) => r.x2));
    expect(frame?.width).toBe(x2 - x1 + 2 * BOX_PADDING);
  });

  it("leave out boxes with nothing placed inside", () => {
    const model = buildGraphModel(bookinfoGraph());
    expect(flatBoxGeometry(model, () => null).size).toBe(0);
  });
});
