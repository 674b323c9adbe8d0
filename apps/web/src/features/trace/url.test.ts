import { describe, expect, it } from "vitest";
import { readBackTo, readTracePageState, tracePath, withSelectedSpan, withTracePageState } from "./url";

describe("trace page URL state", () => {
  it("puts the selected span in ?span= and keeps other parameters", () => {
    const next = withSelectedSpan(new URLSearchParams("x=1"), "abc");
    expect(next.toString()).toBe("x=1&span=abc");
    expect(withSelectedSpan(next, null).toString()).toBe("x=1");
  });

  it("links to a trace, optionally at one span", () => {
    expect(tracePath("0af7")).toBe("/traces/0af7");
    expect(tracePath("0af7", "b7ad")).toBe("/traces/0af7?span=b7ad");
  });

  it("accepts only in-app paths as the way back to the search", () => {
    expect(readBackTo({ backTo: "/traces?service=a" })).toBe("/traces?service=a");
    expect(readBackTo({ backTo: "//evil.example/x" })).toBeNull();
    expect(readBackTo({ backTo: "https://evil.example/" })).toBeNull();
    expect(readBackTo(null)).toBeNull();
    expect(readBackTo({ backTo: 42 })).toBeNull();
  });
});

describe("trace view state in the URL", () => {
  it("reads the view, find text, critical path and span, with defaults for missing or bad values", () => {
    expect(readTracePageState(new URLSearchParams("view=graph&find=db&cp=1&span=ab"))).toEqual({
      view: "graph",
      find: "db",
      criticalPath: true,
      selectedSpanId: "ab",
    });
    expect(readTracePageState(new URLSearchParams("view=<script>"))).toMatchObject({
      view: "timeline",
      find: "",
      criticalPath: false,
    });
  });

  it("writes only what differs from the defaults and keeps other parameters", () => {
    const on = withTracePageState(new URLSearchParams("x=1"), { view: "statistics", find: "a b", criticalPath: true });
    expect(on.toString()).toBe("x=1&view=statistics&find=a+b&cp=1");
    const off = withTracePageState(on, { view: "timeline", find: "", criticalPath: false });
    expect(off.toString()).toBe("x=1");
  });
});
