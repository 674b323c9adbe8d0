import type { GraphResponse } from "@meshscope/model";
import { describe, expect, it } from "vitest";
import { startEarlyLayout, takeEarlyLayout } from "./early-layout";
import { edge, node } from "./graph-fixture.test-support";
import { buildGraphModel } from "./graph-model";
import { layeredLayout } from "./layered-layout";
import { canvasPositions, layoutRequestFor } from "./layout-request";

/** `apps` apps of a service and two versions each, every app calling the next one's service. */
function chainGraph(apps: number): GraphResponse {
  const nodes = [];
  const edges = [];
  for (let i = 0; i < apps; i++) {
    nodes.push(node({ id: `svc-${i}`, kind: "service", service: `app-${i}` }));
    for (const v of ["v1", "v2"]) {
      nodes.push(node({ id: `app-${i}-${v}`, kind: "app", app: `app-${i}`, version: v }));
      edges.push(edge(`svc-${i}`, `app-${i}-${v}`, 1));
      if (i + 1 < apps) edges.push(edge(`app-${i}-${v}`, `svc-${i + 1}`, 1));
    }
  }
  return { window: { start: 0, end: 1 }, type: "versionedApp", nodes, edges };
}

describe("the early layout of the page's first graph", () => {
  it("hands the canvas the layout it would have asked for, once", async () => {
    const model = buildGraphModel(chainGraph(40));
    startEarlyLayout(model, "dagre");
    const early = takeEarlyLayout(model, "dagre");
    expect(early).not.toBeNull();
    const answer = await early;
    expect(answer?.positions).toEqual(layeredLayout({ id: 0, ...layoutRequestFor(model, "dagre") }));
    expect(takeEarlyLayout(model, "dagre")).toBeNull();
  });

  it("is not taken for another model or another layout", () => {
    const model = buildGraphModel(chainGraph(40));
    startEarlyLayout(model, "dagre");
    expect(takeEarlyLayout(buildGraphModel(chainGraph(40)), "dagre")).toBeNull();
    expect(takeEarlyLayout(model, "fcose")).toBeNull();
  });

  it("leaves small graphs (dagre itself) to the canvas", () => {
    const model = buildGraphModel(chainGraph(5));
    startEarlyLayout(model, "dagre");
    expect(takeEarlyLayout(model, "dagre")).toBeNull();
  });
});

describe("canvas positions from a layout answer", () => {
  it("puts each shape at the top of its layout box, its label underneath", () => {
    const model = buildGraphModel(chainGraph(2));
    const positions = canvasPositions(model, { id: 1, ms: 0, positions: { "svc-0": { x: 10, y: 100 } } });
    expect([...positions.keys()]).toEqual(["svc-0"]);
    // The layout box is 34 + one 14 px label line + 8 = 56 px high; a 30 px service shape at its top sits 13 px
    // above its centre.
    expect(positions.get("svc-0")).toEqual({ x: 10, y: 87 });
  });
});
