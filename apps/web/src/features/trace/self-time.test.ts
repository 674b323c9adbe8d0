import { describe, expect, it } from "vitest";
import { selfTimes } from "./self-time";
import { span } from "./test-spans.test-support";
import { buildTraceModel } from "./trace-model";

describe("self time", () => {
  it("subtracts the union of the children, counting overlaps once", () => {
    const m = buildTraceModel("t", [
      span("p", null, 0, 100),
      span("a", "p", 10, 30),
      span("b", "p", 20, 30),
      span("c", "p", 70, 10),
    ]);
    // Children cover [10,50] and [70,80]: 50 µs; the parent keeps 50.
    expect(Array.from(selfTimes(m))).toEqual([50, 30, 30, 10]);
  });

  it("clips children to the parent and ignores grandchildren", () => {
    const m = buildTraceModel("t", [span("p", null, 0, 10), span("a", "p", 5, 20), span("g", "a", 6, 2)]);
    expect(Array.from(selfTimes(m))).toEqual([5, 18, 2]);
  });
});
