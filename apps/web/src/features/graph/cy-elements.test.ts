import { describe, expect, it } from "vitest";
import { canvasLabel, MAX_CANVAS_LABEL_CHARS } from "./cy-elements";

describe("canvas labels", () => {
  it("keeps a name of up to the limit as it is", () => {
    const name = "r".repeat(MAX_CANVAS_LABEL_CHARS);
    expect(canvasLabel(name)).toBe(name);
    expect(canvasLabel("reviews")).toBe("reviews");
  });

  it("cuts a longer name to the limit, ending in an ellipsis", () => {
    const label = canvasLabel(`long-${"x".repeat(10_000)}`);
    expect(Array.from(label)).toHaveLength(MAX_CANVAS_LABEL_CHARS);
    expect(label.startsWith("long-xxx")).toBe(true);
    expect(label.endsWith("…")).toBe(true);
  });

  it("counts code points, so a cut never splits a surrogate pair", () => {
    const label = canvasLabel("🙂".repeat(MAX_CANVAS_LABEL_CHARS + 5));
    expect(Array.from(label)).toHaveLength(MAX_CANVAS_LABEL_CHARS);
    expect(label).toBe(`${"🙂".repeat(MAX_CANVAS_LABEL_CHARS - 1)}…`);
  });
});
