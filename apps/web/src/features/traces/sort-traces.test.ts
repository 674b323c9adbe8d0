import type { TraceSummary } from "@meshscope/model";
import { describe, expect, it } from "vitest";
import { sortTraces } from "./sort-traces";

function trace(traceId: string, start: number, duration: number, spanCount: number, errorCount: number): TraceSummary {
  return { traceId, rootService: "s", rootName: "op", start, duration, spanCount, errorCount, services: [] };
}

const traces = [trace("a", 100, 50, 3, 0), trace("b", 300, 10, 9, 2), trace("c", 200, 90, 3, 1)];
const ids = (list: TraceSummary[]) => list.map((t) => t.traceId);

describe("sortTraces", () => {
  it("puts the newest trace first by default", () => {
    expect(ids(sortTraces(traces, "recent"))).toEqual(["b", "c", "a"]);
  });

  it("orders by duration both ways", () => {
    expect(ids(sortTraces(traces, "longest"))).toEqual(["c", "a", "b"]);
    expect(ids(sortTraces(traces, "shortest"))).toEqual(["b", "a", "c"]);
  });

  it("breaks ties in span count by recency", () => {
    expect(ids(sortTraces(traces, "spans"))).toEqual(["b", "c", "a"]);
  });

  it("puts the traces with most errors first", () => {
    expect(ids(sortTraces(traces, "errors"))).toEqual(["b", "c", "a"]);
  });

  it("leaves the input array in the API's order", () => {
    sortTraces(traces, "longest");
    expect(ids(traces)).toEqual(["a", "b", "c"]);
  });
});
