import { describe, expect, it } from "vitest";
import { span } from "./test-spans.test-support";
import { buildTraceModel, collapseAll, revealRow, summarizeTrace, visibleRows } from "./trace-model";

const ids = (model: ReturnType<typeof buildTraceModel>, rows: ArrayLike<number>) =>
  Array.from(rows, (i) => model.spans[i]?.spanId);

describe("buildTraceModel", () => {
  it("orders spans depth-first with siblings by start time, whatever the input order", () => {
    const m = buildTraceModel("t", [
      span("c", "a", 30, 5),
      span("b", "a", 20, 5),
      span("a", null, 0, 50),
      span("d", "b", 25, 1),
    ]);
    expect(m.spans.map((s) => s.spanId)).toEqual(["a", "b", "d", "c"]);
    expect(Array.from(m.depth)).toEqual([0, 1, 2, 1]);
    expect(Array.from(m.parent)).toEqual([-1, 0, 1, 0]);
    expect(Array.from(m.subtreeEnd)).toEqual([4, 3, 3, 4]);
    expect(Array.from(m.childCount)).toEqual([2, 1, 0, 0]);
  });

  it("shows a span whose parent is missing as a root marked orphan", () => {
    const m = buildTraceModel("t", [span("a", null, 0, 1), span("x", "not-here", 5, 1)]);
    expect(m.spans.map((s) => s.spanId)).toEqual(["a", "x"]);
    expect(Array.from(m.orphan)).toEqual([0, 1]);
  });

  it("keeps every span of a parent cycle instead of looping or dropping them", () => {
    const m = buildTraceModel("t", [span("a", "b", 0, 1), span("b", "a", 1, 1)]);
    expect(m.spans.map((s) => s.spanId).sort()).toEqual(["a", "b"]);
  });

  it("walks a 50,000-deep chain without overflowing the stack", () => {
    const spans = Array.from({ length: 50_000 }, (_, i) => span(`s${i}`, i === 0 ? null : `s${i - 1}`, i, 1));
    const m = buildTraceModel("t", spans);
    expect(m.maxDepth).toBe(49_999);
    expect(m.subtreeEnd[0]).toBe(50_000);
  });

  it("marks the ancestors of an error span", () => {
    const m = buildTraceModel("t", [
      span("a", null, 0, 9),
      span("b", "a", 1, 1, { status: { code: "error" } }),
      span("c", "a", 2, 1),
    ]);
    expect(Array.from(m.errorBelow)).toEqual([1, 1, 0]);
  });
});

describe("visible rows", () => {
  const m = buildTraceModel("t", [
    span("a", null, 0, 9),
    span("b", "a", 1, 3),
    span("c", "b", 2, 1),
    span("d", "a", 5, 1),
  ]);

  it("hides the subtree of a collapsed span but not its siblings", () => {
    const collapsed = new Uint8Array(4);
    collapsed[1] = 1;
    expect(ids(m, visibleRows(m, collapsed))).toEqual(["a", "b", "d"]);
  });

  it("shows only the roots after collapse all, and every span after expand all", () => {
    expect(ids(m, visibleRows(m, collapseAll(m)))).toEqual(["a"]);
    expect(ids(m, visibleRows(m, new Uint8Array(4)))).toEqual(["a", "b", "c", "d"]);
  });

  it("unfolds the ancestors of a row that must be shown", () => {
    const revealed = revealRow(m, collapseAll(m), 2);
    expect(ids(m, visibleRows(m, revealed))).toEqual(["a", "b", "c", "d"]);
  });

  it("collapses and expands 100,000 spans well under 100 ms", () => {
    const spans = Array.from({ length: 100_000 }, (_, i) =>
      span(`s${i}`, i === 0 ? null : `s${Math.floor((i - 1) / 4)}`, i, 1),
    );
    const big = buildTraceModel("t", spans);
    const t0 = performance.now();
    const folded = visibleRows(big, collapseAll(big));
    const unfolded = visibleRows(big, new Uint8Array(big.spans.length));
    const elapsed = performance.now() - t0;
    expect(folded.length).toBe(1);
    expect(unfolded.length).toBe(100_000);
    expect(elapsed).toBeLessThan(100);
  });
});

describe("summarizeTrace", () => {
  it("spans the earliest start to the latest end and counts errors, depth and spans per service", () => {
    const m = buildTraceModel("t", [
      span("a", null, 100, 50, { service: "front" }),
      span("b", "a", 120, 80, { service: "back", status: { code: "error" } }),
      span("c", "b", 110, 5, { service: "back" }),
    ]);
    const summary = summarizeTrace(m);
    expect(summary).toMatchObject({ startUs: 100, durationUs: 100, spanCount: 3, errorCount: 1, depth: 3 });
    expect(summary.root?.spanId).toBe("a");
    expect(summary.services).toEqual([
      { name: "back", spanCount: 2 },
      { name: "front", spanCount: 1 },
    ]);
  });
});
