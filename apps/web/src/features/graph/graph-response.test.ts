import { GraphResponse } from "@meshscope/model";
import { describe, expect, it } from "vitest";
import { bookinfoGraph } from "./graph-fixture.test-support";
import { parseGraphResponse } from "./graph-response";

// biome-ignore lint/suspicious/noExplicitAny: the mutations below reach into arbitrary JSON on purpose
type JsonCopy = Record<string, any>;

/** A JSON copy of the fixture (what fetch hands over), with `change` applied. */
function answer(change: (a: JsonCopy) => void = () => {}): unknown {
  const copy: JsonCopy = JSON.parse(JSON.stringify(bookinfoGraph()));
  change(copy);
  return copy;
}

describe("the /api/graph answer check", () => {
  it("gives what the zod schema gives for a valid answer, unknown keys dropped", () => {
    const data = answer((a) => {
      a.extra = 1;
      a.nodes[0].extra = "x";
      a.edges[0].traceDerived = true;
      a.edges[0].flags = { UO: 1.5, "-": 2 };
    });
    expect(parseGraphResponse(data)).toEqual(GraphResponse.parse(data));
  });

  it("keeps a __proto__ key of a record as a key", () => {
    const data = JSON.parse(JSON.stringify(answer()).replace('"responses":{', '"responses":{"__proto__":3,'));
    const parsed = parseGraphResponse(data);
    expect(Object.getPrototypeOf(parsed.edges[0]?.responses)).toBe(Object.prototype);
    expect(Object.entries(parsed.edges[0]?.responses ?? {})).toContainEqual(["__proto__", 3]);
  });

  const malformed: [string, (a: JsonCopy) => void, string][] = [
    ["not an object", (a) => Object.assign(a, { nodes: "x" }), "nodes: expected an array"],
    ["an unknown graph type", (a) => Object.assign(a, { type: "mesh" }), "answer.type: expected one of"],
    ["a window without end", (a) => delete a.window.end, "window.end: expected a number, got nothing"],
    ["a node without id", (a) => delete a.nodes[2].id, "nodes[2].id: expected a string"],
    [
      "an unknown health",
      (a) => Object.assign(a.nodes[1], { health: "purple" }),
      "nodes[1].health: expected one of healthy",
    ],
    [
      "a badge that is a number",
      (a) => Object.assign(a.nodes[0], { badges: [1] }),
      "nodes[0].badges[0]: expected a string",
    ],
    ["rps as a string", (a) => Object.assign(a.edges[3], { rps: "12" }), 'edges[3].rps: expected a number, got "12"'],
    ["a missing quantile", (a) => delete a.edges[0].p95Ms, "edges[0].p95Ms: expected a number or null"],
    [
      "a response count as text",
      (a) => Object.assign(a.edges[0], { responses: { 200: "x" } }),
      'edges[0].responses["200"]',
    ],
    [
      "an unknown protocol",
      (a) => Object.assign(a.edges[1], { protocol: "udp" }),
      "edges[1].protocol: expected one of http, grpc, tcp",
    ],
    [
      "traceDerived as text",
      (a) => Object.assign(a.edges[1], { traceDerived: "yes" }),
      "edges[1].traceDerived: expected a boolean",
    ],
    ["an edge that is null", (a) => Object.assign(a.edges, { 2: null }), "edges[2]: expected an object, got null"],
  ];

  it.each(malformed)("rejects %s, naming the field, as the schema does", (_name, change, message) => {
    const data = answer(change);
    expect(() => GraphResponse.parse(data)).toThrow();
    expect(() => parseGraphResponse(data)).toThrow(message);
  });

  it("rejects what is not an object at all", () => {
    expect(() => parseGraphResponse([])).toThrow("answer: expected an object, got an array");
    expect(() => parseGraphResponse(null)).toThrow("answer: expected an object, got null");
  });
});
