import { describe, expect, it } from "vitest";
import { type AlignedNode, alignTraces, parentKeys, type SpanForAlignment, visibleAlignedRows } from "./align";

let nextId = 0;
/** A span; `parent` is another span built here, or null for a root. */
function span(
  service: string,
  name: string,
  parent: SpanForAlignment | null,
  duration = 100,
  start = 0,
): SpanForAlignment {
  nextId++;
  return { spanId: `s${nextId}`, parentSpanId: parent?.spanId ?? null, service, name, start, duration };
}

function find(roots: readonly AlignedNode[], ...path: string[]): AlignedNode | undefined {
  let level: readonly AlignedNode[] = roots;
  let found: AlignedNode | undefined;
  for (const name of path) {
    found = level.find((n) => n.name === name);
    if (!found) return undefined;
    level = found.children;
  }
  return found;
}

describe("alignTraces", () => {
  it("merges spans on the same service + operation path into one node with counts per trace", () => {
    const rootA = span("web", "GET /", null, 1000);
    const a = [rootA, span("api", "list", rootA, 100), span("api", "list", rootA, 100)];
    const rootB = span("web", "GET /", null, 1000);
    const b = [rootB, span("api", "list", rootB, 100), span("api", "list", rootB, 100)];
    const { roots, counts } = alignTraces(a, b);
    expect(roots).toHaveLength(1);
    const list = find(roots, "GET /", "list");
    expect(list?.a).toEqual({ count: 2, totalUs: 200 });
    expect(list?.b).toEqual({ count: 2, totalUs: 200 });
    expect(counts).toEqual({ same: 2, changed: 0, added: 0, removed: 0 });
  });

  it("marks paths only in B as added and only in A as removed, with their subtrees", () => {
    const rootA = span("web", "GET /", null);
    const cache = span("cache", "get", rootA);
    const a = [rootA, cache, span("redis", "GET", cache)];
    const rootB = span("web", "GET /", null);
    const b = [rootB, span("db", "select", rootB)];
    const { roots, counts } = alignTraces(a, b);
    expect(find(roots, "GET /", "get")?.status).toBe("removed");
    expect(find(roots, "GET /", "get", "GET")?.status).toBe("removed");
    expect(find(roots, "GET /", "select")?.status).toBe("added");
    expect(find(roots, "GET /", "select")?.a.count).toBe(0);
    expect(counts).toEqual({ same: 1, changed: 0, added: 1, removed: 2 });
  });

  it("tells the same operation under different parents apart", () => {
    const rootA = span("web", "GET /", null);
    const list = span("api", "list", rootA);
    const a = [rootA, list, span("db", "select", list)];
    const rootB = span("web", "GET /", null);
    const b = [rootB, span("db", "select", rootB)];
    const { roots, counts } = alignTraces(a, b);
    expect(find(roots, "GET /", "list", "select")?.status).toBe("removed");
    expect(find(roots, "GET /", "select")?.status).toBe("added");
    expect(counts).toEqual({ same: 1, changed: 0, added: 1, removed: 2 });
  });

  it("calls a node changed when its count differs or its time moves by more than 10%", () => {
    const rootA = span("web", "GET /", null, 1000);
    const a = [rootA, span("api", "list", rootA, 100), span("auth", "check", rootA, 100)];
    const rootB = span("web", "GET /", null, 1050);
    const b = [
      rootB,
      span("api", "list", rootB, 100),
      span("api", "list", rootB, 100),
      span("auth", "check", rootB, 111),
    ];
    const { roots, counts } = alignTraces(a, b);
    expect(find(roots, "GET /")?.status).toBe("same");
    expect(find(roots, "GET /", "list")?.status).toBe("changed");
    const check = find(roots, "GET /", "check");
    expect(check?.status).toBe("changed");
    expect(check?.durationDelta).toBeCloseTo(0.11);
    expect(counts).toEqual({ same: 1, changed: 2, added: 0, removed: 0 });
  });

  it("keeps a span whose parent is missing as a root of its own", () => {
    const orphan = { ...span("late", "work", null), parentSpanId: "not-in-trace" };
    const { roots } = alignTraces([span("web", "GET /", null), orphan], []);
    expect(roots.map((r) => r.name).sort()).toEqual(["GET /", "work"]);
  });

  it("survives a parent cycle in malformed input", () => {
    const x = { spanId: "x", parentSpanId: "y", service: "s", name: "x", start: 0, duration: 1 };
    const y = { spanId: "y", parentSpanId: "x", service: "s", name: "y", start: 0, duration: 1 };
    const { counts } = alignTraces([x, y], [x, y]);
    expect(counts.same).toBe(2);
  });

  it("does not let a name containing the path separator forge another path", () => {
    const rootA = span("web", 'a"]/["api","list', null);
    const rootB = span("web", "a", null);
    const { roots } = alignTraces([rootA], [rootB, span("api", "list", rootB)]);
    expect(roots).toHaveLength(2);
    expect(find(roots, 'a"]/["api","list')?.status).toBe("removed");
  });

  it("orders siblings by when they first started", () => {
    const root = span("web", "GET /", null, 1000, 0);
    const spans = [root, span("z", "late", root, 10, 500), span("a", "early", root, 10, 100)];
    const { roots } = alignTraces(spans, spans);
    expect(roots[0]?.children.map((c) => c.name)).toEqual(["early", "late"]);
  });

  it("walks a 20,000-deep chain without overflowing the stack", () => {
    const spans: SpanForAlignment[] = [span("s", "op", null)];
    for (let i = 0; i < 20_000; i++) spans.push(span("s", "op", spans[spans.length - 1] ?? null));
    const { counts } = alignTraces(spans, spans.slice(0, 10));
    expect(counts.same).toBe(10);
    expect(counts.removed).toBe(19_991);
  });
});

describe("visibleAlignedRows", () => {
  const root = span("web", "GET /", null);
  const api = span("api", "list", root);
  const { roots } = alignTraces([root, api, span("db", "select", api)], [root, api]);

  it("lists the merged tree depth first", () => {
    expect(visibleAlignedRows(roots, new Set()).map((r) => [r.node.name, r.node.depth])).toEqual([
      ["GET /", 0],
      ["list", 1],
      ["select", 2],
    ]);
  });

  it("hides the subtree of a collapsed node and marks it collapsed", () => {
    const listKey = roots[0]?.children[0]?.key ?? "";
    const rows = visibleAlignedRows(roots, new Set([listKey]));
    expect(rows.map((r) => r.node.name)).toEqual(["GET /", "list"]);
    expect(rows[1]?.collapsed).toBe(true);
  });

  it("collapses everything with parentKeys", () => {
    expect(visibleAlignedRows(roots, parentKeys(roots)).map((r) => r.node.name)).toEqual(["GET /"]);
  });
});
