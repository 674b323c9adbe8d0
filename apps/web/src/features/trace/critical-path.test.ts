import type { ApiSpan } from "@meshscope/model";
import { describe, expect, it } from "vitest";
import { criticalPath, indexSections, sectionsForRow } from "./critical-path";
import { span } from "./test-spans.test-support";
import { buildTraceModel } from "./trace-model";

const buildIndexOfNothing = () => indexSections([]);

/** Sections as [spanId, start, end], in emission order. */
function path(spans: ApiSpan[]) {
  const model = buildTraceModel("t", spans);
  return criticalPath(model).map((s) => [model.spans[s.span]?.spanId, s.startUs, s.endUs]);
}

describe("critical path (Jaeger's semantics)", () => {
  it("walks sequential children from the last-finishing one backwards", () => {
    // Jaeger's test1 shape: X [1,101] calls A [10,50] then C [60,90].
    const sections = path([span("X", null, 1, 100), span("A", "X", 10, 40), span("C", "X", 60, 30)]);
    expect(sections).toEqual([
      ["X", 90, 101],
      ["C", 60, 90],
      ["X", 50, 60],
      ["A", 10, 50],
      ["X", 1, 10],
    ]);
  });

  it("skips an overlapping child that ends after the next one on the path started", () => {
    // Jaeger's test2: A [10,50] overlaps C [20,60]; only C is on the path.
    const sections = path([span("X", null, 1, 100), span("A", "X", 10, 40), span("C", "X", 20, 40)]);
    expect(sections).toEqual([
      ["X", 60, 101],
      ["C", 20, 60],
      ["X", 1, 20],
    ]);
  });

  it("descends through grandchildren before handing back to the parent", () => {
    const sections = path([span("R", null, 0, 100), span("B", "R", 10, 80), span("G", "B", 20, 50)]);
    expect(sections).toEqual([
      ["R", 90, 100],
      ["B", 70, 90],
      ["G", 20, 70],
      ["B", 10, 20],
      ["R", 0, 10],
    ]);
  });

  it("truncates a child that spills past its parent's end", () => {
    const sections = path([span("P", null, 0, 50), span("C", "P", 30, 100)]);
    expect(sections).toEqual([
      ["C", 30, 50],
      ["P", 0, 30],
    ]);
  });

  it("truncates a child that starts before its parent", () => {
    const sections = path([span("P", null, 10, 40), span("C", "P", 0, 20)]);
    expect(sections).toEqual([
      ["P", 20, 50],
      ["C", 10, 20],
    ]);
  });

  it("drops a child lying wholly outside its parent, with its descendants", () => {
    const sections = path([span("P", null, 0, 10), span("late", "P", 20, 5), span("under", "late", 21, 1)]);
    expect(sections).toEqual([["P", 0, 10]]);
  });

  it("does not let a consumer child block its producer parent", () => {
    const sections = path([span("P", null, 0, 10, { kind: "producer" }), span("Q", "P", 2, 5, { kind: "consumer" })]);
    expect(sections).toEqual([["P", 0, 10]]);
  });

  it("skips zero-length sections when a child ends with its parent", () => {
    const sections = path([span("P", null, 0, 10), span("C", "P", 4, 6)]);
    expect(sections).toEqual([
      ["C", 4, 10],
      ["P", 0, 4],
    ]);
  });

  it("merges the sections of a collapsed subtree onto its row", () => {
    const model = buildTraceModel("t", [span("R", null, 0, 100), span("B", "R", 10, 80), span("G", "B", 20, 50)]);
    const index = indexSections(criticalPath(model));
    // B (position 1) collapsed: its row shows B's and G's sections.
    expect(sectionsForRow(index, 1, 3)?.map((s) => [s.span, s.startUs, s.endUs])).toEqual([
      [1, 10, 20],
      [1, 70, 90],
      [2, 20, 70],
    ]);
    expect(sectionsForRow(index, 2, 3)).toHaveLength(1);
    expect(sectionsForRow(buildIndexOfNothing(), 0, 3)).toBeUndefined();
  });

  it("computes one path per root span", () => {
    const sections = path([span("R1", null, 0, 5), span("R2", null, 10, 5)]);
    expect(sections).toEqual([
      ["R1", 0, 5],
      ["R2", 10, 15],
    ]);
  });
});
