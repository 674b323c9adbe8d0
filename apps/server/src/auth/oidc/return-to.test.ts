import { describe, expect, it } from "vitest";
import { safeReturnTo } from "./return-to.js";

describe("safeReturnTo", () => {
  it.each(["/", "/graph?x=1", "/traces/abc?service=a%2Fb#top", "/services/bookinfo/reviews"])(
    "keeps the same-origin path %s",
    (path) => {
      expect(safeReturnTo(path)).toBe(path);
    },
  );

  it.each([
    ["a scheme-relative URL", "//evil.example/graph"],
    ["a backslash that browsers read as a slash", "/\\evil.example"],
    ["an absolute URL", "https://evil.example/"],
    ["a javascript: URL", "javascript:alert(1)"],
    ["a relative path without a slash", "graph"],
    ["a tab that browsers strip, leaving //", "/\t/evil.example"],
    ["a newline", "/graph\n"],
    ["nothing", ""],
    ["a missing parameter", null],
    ["an absurdly long path", `/${"a".repeat(5000)}`],
  ])("turns %s into /", (_what, candidate) => {
    expect(safeReturnTo(candidate)).toBe("/");
  });
});
