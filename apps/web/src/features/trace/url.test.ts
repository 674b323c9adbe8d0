import { describe, expect, it } from "vitest";
import { readBackTo, tracePath, withSelectedSpan } from "./url";

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
