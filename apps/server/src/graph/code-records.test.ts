import { describe, expect, it } from "vitest";
import { traffic, wl } from "../test-support/graph-traffic.js";
import { buildGraph } from "./build-graph.js";
import { CODE_RECORDS, codeRank, isArrayIndexKey, NO_LITERAL, NOT_A_CODE } from "./code-records.js";
import { edgeMetrics } from "./edge-metrics.js";

const window = { startUs: 0, endUs: 60_000_000 };
const productpage = wl("bookinfo", "productpage", "v1");
const reviews = wl("bookinfo", "reviews", "v1");

/** A record as a plain dictionary filled by assignment in first-seen order: what every record must equal. */
function plainRecord(entries: readonly (readonly [string, number])[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, value] of entries) {
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

describe("response-code records", () => {
  it("has a literal per code that builds exactly that key", () => {
    expect(CODE_RECORDS.size).toBeGreaterThan(60);
    for (const [code, make] of CODE_RECORDS) {
      const record = make(1.25);
      expect(Object.keys(record), code).toEqual([code]);
      expect(record[code]).toBe(1.25);
      expect(codeRank(code)).toBe(Number(code));
    }
    for (const code of ["200", "503", "0", "16", "499"]) expect(CODE_RECORDS.has(code)).toBe(true);
  });

  it("tells array-index keys, which need a literal or none, from other keys", () => {
    expect(isArrayIndexKey("0")).toBe(true);
    expect(isArrayIndexKey("299")).toBe(true);
    expect(isArrayIndexKey("4294967294")).toBe(true);
    for (const key of ["4294967295", "01", "-1", "2.5", "", "-", "__proto__", "1e3", " 200"]) {
      expect(isArrayIndexKey(key), key).toBe(false);
    }
    expect(codeRank("299")).toBe(NO_LITERAL);
    expect(codeRank("-")).toBe(NOT_A_CODE);
    expect(codeRank("__proto__")).toBe(NOT_A_CODE);
    expect(CODE_RECORDS.get("__proto__")).toBeUndefined();
  });

  // Codes in the order their series come, with a code without a literal, a small gRPC-sized code before a
  // large one (the large one must start the record), and hostile non-numeric codes.
  const cases: readonly (readonly string[])[] = [
    ["200"],
    ["503", "200"],
    ["2", "503"],
    ["200", "299"],
    ["0", "200", "404"],
    ["__proto__", "200"],
    ["-", "500", "constructor"],
    ["4294967294", "200"],
  ];

  it.each(cases.map((codes) => [codes.join(",")]))(
    "makes the same record as plain assignment, on the graph's plan and on service pages (%s)",
    (joined) => {
      const codes = joined.split(",");
      const rows = codes.map((code, i) =>
        traffic({ reporter: "destination", from: productpage, service: "reviews", to: reviews, rps: i + 0.5, code }),
      );
      const expected = plainRecord(codes.map((code, i) => [code, i + 0.5] as const));
      const graph = buildGraph(rows, { type: "workload", injectServiceNodes: false, window });
      expect(graph.edges).toHaveLength(1);
      const fromPlan = graph.edges[0]?.responses ?? {};
      const fromRows = edgeMetrics("http", rows).responses;
      for (const record of [fromPlan, fromRows]) {
        expect(JSON.stringify(record)).toBe(JSON.stringify(expected));
        expect(Object.getPrototypeOf(record)).toBe(Object.prototype);
        expect(Object.keys(record).sort()).toEqual([...codes].sort());
      }
    },
  );
});
