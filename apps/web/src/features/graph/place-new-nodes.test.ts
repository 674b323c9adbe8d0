import { describe, expect, it } from "vitest";
import { placeNewNodes, RANK_STEP, ROW_STEP } from "./place-new-nodes";

const none = () => [];

describe("placeNewNodes", () => {
  it("puts a new callee one rank right of its caller, at the caller's height", () => {
    const placed = new Map([["a", { x: 0, y: 100 }]]);
    const out = placeNewNodes({ newIds: ["b"], placed, edges: [{ source: "a", target: "b" }], siblings: none });
    expect(out.get("b")).toEqual({ x: RANK_STEP, y: 100 });
  });

  it("puts a new caller one rank left of its callee", () => {
    const placed = new Map([["b", { x: 500, y: 0 }]]);
    const out = placeNewNodes({ newIds: ["a"], placed, edges: [{ source: "a", target: "b" }], siblings: none });
    expect(out.get("a")).toEqual({ x: 500 - RANK_STEP, y: 0 });
  });

  it("never moves the nodes already placed and steps down past an occupied spot", () => {
    const placed = new Map([
      ["a", { x: 0, y: 0 }],
      ["b", { x: RANK_STEP, y: 0 }],
    ]);
    const out = placeNewNodes({ newIds: ["c"], placed, edges: [{ source: "a", target: "c" }], siblings: none });
    expect(out.get("c")).toEqual({ x: RANK_STEP, y: ROW_STEP });
    expect(out.has("a")).toBe(false);
    expect(placed.get("b")).toEqual({ x: RANK_STEP, y: 0 });
  });

  it("keeps a new chain a chain, whatever order the new nodes come in", () => {
    const placed = new Map([["a", { x: 0, y: 0 }]]);
    const edges = [
      { source: "a", target: "b" },
      { source: "b", target: "c" },
    ];
    const out = placeNewNodes({ newIds: ["c", "b"], placed, edges, siblings: none });
    expect(out.get("b")).toEqual({ x: RANK_STEP, y: 0 });
    expect(out.get("c")).toEqual({ x: 2 * RANK_STEP, y: 0 });
  });

  it("puts a node without neighbours under its box siblings, or under the graph", () => {
    const placed = new Map([
      ["v1", { x: 300, y: 40 }],
      ["other", { x: -200, y: 400 }],
    ]);
    const out = placeNewNodes({
      newIds: ["v2", "lonely"],
      placed,
      edges: [],
      siblings: (id) => (id === "v2" ? ["v1"] : []),
    });
    expect(out.get("v2")).toEqual({ x: 300, y: 40 + ROW_STEP });
    expect(out.get("lonely")).toEqual({ x: -200, y: 400 + ROW_STEP });
  });
});
