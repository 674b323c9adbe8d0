import type { ApiSpan } from "@meshscope/model";
import { describe, expect, it } from "vitest";
import { buildSpanRows, summarizeTrace, visibleRows } from "./span-tree";

function span(spanId: string, parentSpanId: string | null, start: number, extra: Partial<ApiSpan> = {}): ApiSpan {
  return {
    spanId,
    parentSpanId,
    service: "svc",
    namespace: null,
    name: `op-${spanId}`,
    kind: "internal",
    start,
    duration: 10,
    status: { code: "unset" },
    attributes: {},
    resource: {},
    scope: null,
    events: [],
    links: [],
    ...extra,
  };
}

const ids = (rows: { span: ApiSpan }[]) => rows.map((r) => r.span.spanId);

describe("buildSpanRows", () => {
  it("orders spans depth-first with siblings by start time, whatever the input order", () => {
    const rows = buildSpanRows([span("c", "a", 30), span("b", "a", 20), span("a", null, 0), span("d", "b", 25)]);
    expect(ids(rows)).toEqual(["a", "b", "d", "c"]);
    expect(rows.map((r) => r.depth)).toEqual([0, 1, 2, 1]);
    expect(rows[0]?.childCount).toBe(2);
  });

  it("shows a span whose parent is missing as a root marked orphan", () => {
    const rows = buildSpanRows([span("a", null, 0), span("x", "not-here", 5)]);
    expect(ids(rows)).toEqual(["a", "x"]);
    expect(rows[1]).toMatchObject({ depth: 0, orphan: true });
  });

  it("keeps every span of a parent cycle instead of looping or dropping them", () => {
    const rows = buildSpanRows([span("a", "b", 0), span("b", "a", 1)]);
    expect(ids(rows).sort()).toEqual(["a", "b"]);
  });
});

describe("visibleRows", () => {
  it("hides the subtree of a collapsed span but not its siblings", () => {
    const rows = buildSpanRows([span("a", null, 0), span("b", "a", 1), span("c", "b", 2), span("d", "a", 3)]);
    expect(ids(visibleRows(rows, new Set(["b"])))).toEqual(["a", "b", "d"]);
  });
});

describe("summarizeTrace", () => {
  it("spans the earliest start to the latest end and counts errors and spans per service", () => {
    const summary = summarizeTrace([
      span("a", null, 100, { duration: 50, service: "front" }),
      span("b", "a", 120, { duration: 80, service: "back", status: { code: "error" } }),
      span("c", "a", 110, { duration: 5, service: "back" }),
    ]);
    expect(summary).toMatchObject({ startUs: 100, durationUs: 100, spanCount: 3, errorCount: 1 });
    expect(summary.root?.spanId).toBe("a");
    expect(summary.services).toEqual([
      { name: "back", spanCount: 2 },
      { name: "front", spanCount: 1 },
    ]);
  });
});
