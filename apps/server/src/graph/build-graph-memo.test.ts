import { describe, expect, it } from "vitest";
import { bookinfo } from "../test-support/graph-traffic.js";
import { buildGraph } from "./build-graph.js";
import { graphJson } from "./graph-json.js";

const window = { startUs: 0, endUs: 300_000_000 };

describe("graphs shared between requests", () => {
  it("builds a graph once per frozen traffic answer and options, and freezes it", () => {
    const edges = Object.freeze(bookinfo());
    const a = buildGraph(edges, { type: "versionedApp", injectServiceNodes: true, window });
    expect(buildGraph(edges, { type: "versionedApp", injectServiceNodes: true, window })).toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
    expect(Object.isFrozen(a.edges[0])).toBe(true);
    expect(Object.isFrozen(a.edges[0]?.responses)).toBe(true);
    expect(Object.isFrozen(a.nodes[0]?.badges)).toBe(true);
    // The memo answers exactly what a fresh build does.
    expect(a).toEqual(buildGraph([...edges], { type: "versionedApp", injectServiceNodes: true, window }));
  });

  it("keeps answers for different options apart", () => {
    const edges = Object.freeze(bookinfo());
    const base = buildGraph(edges, { type: "workload", injectServiceNodes: true, window });
    const others = [
      buildGraph(edges, { type: "app", injectServiceNodes: true, window }),
      buildGraph(edges, { type: "workload", injectServiceNodes: false, window }),
      buildGraph(edges, { type: "workload", injectServiceNodes: true, window, namespaces: ["istio-system"] }),
      buildGraph(edges, { type: "workload", injectServiceNodes: true, window: { startUs: 1, endUs: 2 } }),
      buildGraph(edges, {
        type: "workload",
        injectServiceNodes: true,
        window,
        thresholds: {
          http5xx: { degraded: 50, failure: 60 },
          http4xx: { degraded: 50, failure: 60 },
          grpcError: { degraded: 50, failure: 60 },
          noResponse: { degraded: 50, failure: 60 },
        },
      }),
    ];
    for (const g of others) expect(g).not.toBe(base);
    expect(others[3]?.window).toEqual({ start: 1, end: 2 });
  });

  it("builds a new, unfrozen graph every time from an array the caller may still change", () => {
    const edges = bookinfo();
    const a = buildGraph(edges, { type: "versionedApp", injectServiceNodes: true, window });
    edges.splice(0, edges.length);
    const b = buildGraph(edges, { type: "versionedApp", injectServiceNodes: true, window });
    expect(Object.isFrozen(a)).toBe(false);
    expect(a.edges.length).toBeGreaterThan(0);
    expect(b.edges).toEqual([]);
  });
});

describe("graphJson", () => {
  it("serialises a shared graph once, to exactly JSON.stringify's bytes, with a weak ETag", () => {
    const g = buildGraph(Object.freeze(bookinfo()), { type: "versionedApp", injectServiceNodes: true, window });
    const json = graphJson(g);
    expect(json.text).toBe(JSON.stringify(g));
    expect(json.byteLength).toBe(Buffer.byteLength(json.text, "utf8"));
    // Sent again and again: encoded once.
    expect(json.bytes?.toString("utf8")).toBe(json.text);
    expect(json.etag).toMatch(/^W\/"[0-9a-f]+-[A-Za-z0-9+/]{27}"$/);
    expect(graphJson(g)).toBe(json);
  });

  it("serialises a graph that may still change on every call, and the ETag follows the content", () => {
    const g = buildGraph(bookinfo(), { type: "versionedApp", injectServiceNodes: true, window });
    const first = graphJson(g);
    g.nodes = g.nodes.slice(1);
    const second = graphJson(g);
    expect(second.text).toBe(JSON.stringify(g));
    expect(second.bytes).toBeUndefined();
    expect(second.etag).not.toBe(first.etag);
  });
});
