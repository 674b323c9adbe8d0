import { describe, expect, it } from "vitest";
import { edgeLabel } from "./edge-label";
import { compileFind } from "./find-expression";
import { filterGraph } from "./graph-filter";
import { bookinfoGraph, edge, node } from "./graph-fixture.test-support";
import { buildGraphModel } from "./graph-model";
import { versionsOf } from "./node-traffic";

function compiled(expr: string) {
  const r = compileFind(expr);
  if (!r.ok) throw new Error(r.error.message);
  return r.find;
}

describe("buildGraphModel", () => {
  const model = buildGraphModel(bookinfoGraph());

  it("boxes the versions of an app together with its service, inside the namespace box", () => {
    const box = model.boxById.get("box:app:bookinfo/reviews");
    expect(box?.members.sort()).toEqual([
      "app:bookinfo/reviews/v1",
      "app:bookinfo/reviews/v2",
      "app:bookinfo/reviews/v3",
      "service:bookinfo/reviews",
    ]);
    expect(box?.parent).toBe("box:ns:bookinfo");
    expect(model.nodeById.get("app:bookinfo/reviews/v2")?.label).toBe("v2");
  });

  it("puts a lone app node straight into its namespace box, labelled with app and version", () => {
    const gateway = model.nodeById.get("app:istio-system/istio-ingressgateway/latest");
    expect(gateway?.parent).toBe("box:ns:istio-system");
    expect(gateway?.label).toBe("istio-ingressgateway latest");
  });

  it("gives an edge its share of the source's requests", () => {
    const v1 = model.edgeById.get("service:bookinfo/reviews -> app:bookinfo/reviews/v1 (http)");
    expect(v1?.share).toBeCloseTo(0.4);
  });

  it("lists a service's versions with the observed split", () => {
    const rows = versionsOf(model, "service:bookinfo/reviews");
    expect(rows.map((r) => [r.version, r.rps])).toEqual([
      ["v1", 4],
      ["v2", 3],
      ["v3", 3],
    ]);
    expect(rows[0]?.share).toBeCloseTo(0.4);
  });

  it("gives an unknown caller no box", () => {
    const graph = bookinfoGraph();
    graph.nodes.push(node({ id: "unknown", kind: "unknown", namespace: "unknown" }));
    graph.edges.push(edge("unknown", "service:bookinfo/productpage", 1));
    const m = buildGraphModel(graph);
    expect(m.nodeById.get("unknown")?.parent).toBeNull();
    expect(m.boxById.has("box:ns:unknown")).toBe(false);
  });
});

describe("edge labels", () => {
  const model = buildGraphModel(bookinfoGraph());
  const failing = model.edgeById.get("service:bookinfo/ratings -> app:bookinfo/ratings/v1 (http)");
  const split = model.edgeById.get("service:bookinfo/reviews -> app:bookinfo/reviews/v1 (http)");

  it("joins the chosen parts in a fixed order", () => {
    if (!failing || !split) throw new Error("fixture edge missing");
    expect(edgeLabel(model, failing, ["rps", "err", "p95", "mtls"])).toBe("6.00 rps | 50% err | p95 20ms | mTLS");
    expect(edgeLabel(model, split, ["share", "p99"])).toBe("40% | p99 40ms");
  });

  it("leaves out the error part when there are no errors, and the share when it is 100%", () => {
    const single = model.edgeById.get("service:bookinfo/details -> app:bookinfo/details/v1 (http)");
    if (!single) throw new Error("fixture edge missing");
    expect(edgeLabel(model, single, ["err", "share"])).toBe("");
  });

  it("says a circuit breaker tripped when its target has one and UO responses show", () => {
    const graph = bookinfoGraph();
    const ratings = graph.nodes.find((n) => n.id === "service:bookinfo/ratings");
    if (!ratings) throw new Error("fixture node missing");
    ratings.badges = ["circuitBreaker"];
    const tripped = graph.edges.find((e) => e.target === ratings.id && e.protocol === "http");
    if (!tripped) throw new Error("fixture edge missing");
    tripped.flags = { "-": 2, UO: 1 };
    const m = buildGraphModel(graph);
    const view = m.edgeById.get(tripped.id);
    if (!view) throw new Error("edge missing");
    expect(edgeLabel(m, view, ["rps"])).toBe("CB tripped | 3.00 rps");
  });
});

describe("filterGraph", () => {
  const model = buildGraphModel(bookinfoGraph());

  it("highlights what find matches", () => {
    const f = filterGraph(model, compiled("name = ratings"), null);
    expect([...f.found].sort()).toEqual(["app:bookinfo/ratings/v1", "service:bookinfo/ratings"]);
  });

  it("hides the edges of hidden nodes, and boxes left empty", () => {
    const f = filterGraph(model, null, compiled("name = ratings"));
    expect(f.hidden.has("service:bookinfo/ratings -> app:bookinfo/ratings/v1 (http)")).toBe(true);
    expect(f.hidden.has("app:bookinfo/reviews/v3 -> service:bookinfo/ratings (http)")).toBe(true);
    expect(f.hidden.has("box:app:bookinfo/ratings")).toBe(true);
    expect(f.hidden.has("box:ns:bookinfo")).toBe(false);
  });

  it("hides nodes that hidden edges leave without any visible edge", () => {
    const f = filterGraph(model, null, compiled("protocol = http"));
    // reviews v2 keeps its gRPC edge; details v1 had only HTTP edges.
    expect(f.hidden.has("app:bookinfo/details/v1")).toBe(true);
    expect(f.hidden.has("app:bookinfo/reviews/v2")).toBe(false);
  });

  it("lets hide win over find", () => {
    const f = filterGraph(model, compiled("health = failure"), compiled("protocol = grpc"));
    expect(f.found.has("app:bookinfo/reviews/v2 -> service:bookinfo/ratings (grpc)")).toBe(false);
    expect(f.found.has("app:bookinfo/reviews/v3 -> service:bookinfo/ratings (http)")).toBe(true);
    expect(f.found.has("service:bookinfo/ratings")).toBe(true);
  });
});
