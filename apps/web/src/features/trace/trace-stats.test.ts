import { describe, expect, it } from "vitest";
import { selfTimes } from "./self-time";
import { span } from "./test-spans.test-support";
import { buildTraceGraph } from "./trace-graph";
import { buildTraceModel } from "./trace-model";
import { sortStats, traceStats } from "./trace-stats";

const model = buildTraceModel("t", [
  span("r", null, 0, 100, { service: "front", name: "GET /" }),
  span("a", "r", 10, 20, { service: "back", name: "query" }),
  span("b", "r", 40, 40, { service: "back", name: "query", status: { code: "error" } }),
  span("c", "b", 50, 10, { service: "db", name: "SELECT" }),
]);
const self = selfTimes(model);

describe("trace statistics", () => {
  it("aggregates count, total, min, max, average and self time per service and operation", () => {
    const rows = traceStats(model, self, "operation");
    const query = rows.find((r) => r.service === "back" && r.operation === "query");
    expect(query).toMatchObject({ count: 2, errors: 1, totalUs: 60, minUs: 20, maxUs: 40, avgUs: 30 });
    expect(query).toMatchObject({ selfTotalUs: 50, selfMinUs: 20, selfMaxUs: 30, selfAvgUs: 25 });
    expect(rows.find((r) => r.service === "front")?.selfTotalUs).toBe(40);
  });

  it("groups by service alone when asked", () => {
    const rows = traceStats(model, self, "service");
    expect(rows.map((r) => [r.service, r.count, r.operation]).sort()).toEqual([
      ["back", 2, null],
      ["db", 1, null],
      ["front", 1, null],
    ]);
  });

  it("sorts by any column in either direction", () => {
    const rows = traceStats(model, self, "service");
    expect(sortStats(rows, "totalUs", true).map((r) => r.service)).toEqual(["front", "back", "db"]);
    expect(sortStats(rows, "service", false).map((r) => r.service)).toEqual(["back", "db", "front"]);
  });
});

describe("trace graph", () => {
  it("has one node per service and operation with call counts on the edges", () => {
    const graph = buildTraceGraph(model, self);
    expect(graph.nodes.map((n) => [n.service, n.operation, n.count, n.layer]).sort()).toEqual([
      ["back", "query", 2, 1],
      ["db", "SELECT", 1, 2],
      ["front", "GET /", 1, 0],
    ]);
    expect(graph.edges.map((e) => e.calls).sort()).toEqual([1, 2]);
    const nodeX = new Map(graph.nodes.map((n) => [n.service, n.x]));
    expect(nodeX.get("front")).toBeLessThan(nodeX.get("back") ?? 0);
  });

  it("gives every node of a call cycle a finite layer", () => {
    const cyclic = buildTraceModel("t", [
      span("1", null, 0, 10, { service: "a", name: "x" }),
      span("2", "1", 1, 5, { service: "b", name: "y" }),
      span("3", "2", 2, 1, { service: "a", name: "x" }),
    ]);
    const graph = buildTraceGraph(cyclic, selfTimes(cyclic));
    expect(graph.nodes).toHaveLength(2);
    expect(graph.nodes.every((n) => Number.isFinite(n.x) && Number.isFinite(n.y))).toBe(true);
  });
});
