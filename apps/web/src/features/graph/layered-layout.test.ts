import { describe, expect, it } from "vitest";
import { layeredLayout } from "./layered-layout";
import type { LayoutRequest } from "./layout-types";

const size = { width: 60, height: 60 };

/** gateway → productpage (ns a) → reviews service → reviews v1/v2 (an app box in ns a); ratings in ns b. */
const request: LayoutRequest = {
  id: 1,
  layout: "dagre",
  boxes: [
    { id: "ns:a", parent: null },
    { id: "ns:b", parent: null },
    { id: "app:reviews", parent: "ns:a" },
  ],
  nodes: [
    { id: "gateway", parent: null, ...size },
    { id: "productpage", parent: "ns:a", ...size },
    { id: "svc:reviews", parent: "app:reviews", ...size },
    { id: "reviews-v1", parent: "app:reviews", ...size },
    { id: "reviews-v2", parent: "app:reviews", ...size },
    { id: "ratings", parent: "ns:b", ...size },
  ],
  edges: [
    { id: "e1", source: "gateway", target: "productpage" },
    { id: "e2", source: "productpage", target: "svc:reviews" },
    { id: "e3", source: "svc:reviews", target: "reviews-v1" },
    { id: "e4", source: "svc:reviews", target: "reviews-v2" },
    { id: "e5", source: "reviews-v2", target: "ratings" },
    // A call back (a cycle) must not break the ranking.
    { id: "e6", source: "ratings", target: "productpage" },
  ],
};

describe("layeredLayout", () => {
  const p = layeredLayout(request);
  const at = (id: string) => {
    const point = p[id];
    if (!point) throw new Error(`no position for ${id}`);
    return point;
  };

  it("places every node", () => {
    expect(Object.keys(p).sort()).toEqual(request.nodes.map((n) => n.id).sort());
  });

  it("flows left to right along the calls, across namespaces too", () => {
    expect(at("gateway").x).toBeLessThan(at("productpage").x);
    expect(at("productpage").x).toBeLessThan(at("svc:reviews").x);
    expect(at("reviews-v2").x).toBeLessThan(at("ratings").x);
  });

  it("keeps an app box whole: the service left of its versions, the versions stacked", () => {
    expect(at("svc:reviews").x).toBeLessThan(at("reviews-v1").x);
    expect(at("reviews-v1").x).toBe(at("reviews-v2").x);
    expect(Math.abs(at("reviews-v1").y - at("reviews-v2").y)).toBeGreaterThanOrEqual(size.height);
  });

  it("puts each namespace in its own band, without overlaps", () => {
    const nsA = ["productpage", "svc:reviews", "reviews-v1", "reviews-v2"].map((id) => at(id).y);
    expect(at("ratings").y).toBeGreaterThan(Math.max(...nsA));
    const points = Object.values(p);
    for (let i = 0; i < points.length; i++) {
      for (let j = i + 1; j < points.length; j++) {
        const a = points[i];
        const b = points[j];
        if (!a || !b) continue;
        expect(Math.abs(a.x - b.x) >= size.width || Math.abs(a.y - b.y) >= size.height).toBe(true);
      }
    }
  });
});
