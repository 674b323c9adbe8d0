import { describe, expect, it } from "vitest";
import { bundledEdges, canvasLabel, MAX_CANVAS_LABEL_CHARS, toCyElements } from "./cy-elements";
import { bookinfoGraph, edge } from "./graph-fixture.test-support";
import { buildGraphModel } from "./graph-model";

describe("canvas labels", () => {
  it("keeps a name of up to the limit as it is", () => {
    const name = "r".repeat(MAX_CANVAS_LABEL_CHARS);
    expect(canvasLabel(name)).toBe(name);
    expect(canvasLabel("reviews")).toBe("reviews");
  });

  it("cuts a longer name to the limit, ending in an ellipsis", () => {
    const label = canvasLabel(`long-${"x".repeat(10_000)}`);
    expect(Array.from(label)).toHaveLength(MAX_CANVAS_LABEL_CHARS);
    expect(label.startsWith("long-xxx")).toBe(true);
    expect(label.endsWith("…")).toBe(true);
  });

  it("counts code points, so a cut never splits a surrogate pair", () => {
    const label = canvasLabel("🙂".repeat(MAX_CANVAS_LABEL_CHARS + 5));
    expect(Array.from(label)).toHaveLength(MAX_CANVAS_LABEL_CHARS);
    expect(label).toBe(`${"🙂".repeat(MAX_CANVAS_LABEL_CHARS - 1)}…`);
  });
});

describe("bundled edges", () => {
  const graph = bookinfoGraph();
  const v2 = "app:bookinfo/reviews/v2";
  const ratings = "service:bookinfo/ratings";
  const details = "service:bookinfo/details";
  graph.edges.push(
    // A second protocol on the reviews v2 -> ratings pair (grpc is there already), a call back, and a loop.
    edge(v2, ratings, 1, { protocol: "tcp" }),
    edge(details, "app:bookinfo/productpage/v1", 1),
    edge(details, details, 1),
  );
  const model = buildGraphModel(graph);

  it("bundles the edges that share their nodes, in either direction, and loops; lone edges stay straight", () => {
    expect([...bundledEdges(model)].sort()).toEqual(
      [
        `${v2} -> ${ratings} (grpc)`,
        `${v2} -> ${ratings} (tcp)`,
        `app:bookinfo/productpage/v1 -> ${details} (http)`,
        `${details} -> app:bookinfo/productpage/v1 (http)`,
        `${details} -> ${details} (http)`,
      ].sort(),
    );
    const lone = toCyElements(model, ["rps"]).find(
      (e) => e.data.id === `service:bookinfo/reviews -> app:bookinfo/reviews/v1 (http)`,
    );
    expect(lone?.data.bundle).toBe(0);
  });
});
