import { describe, expect, it } from "vitest";
import { DEFAULT_PALETTE, graphStylesheet, LABELLED, labelsReadableAt } from "./graph-style";

describe("graph labels", () => {
  it("are readable from the zoom where box titles reach their minimum size, not below", () => {
    expect(labelsReadableAt(1)).toBe(true);
    expect(labelsReadableAt(5 / 11)).toBe(true);
    expect(labelsReadableAt(0.4)).toBe(false);
    expect(labelsReadableAt(0.05)).toBe(false);
  });

  it("are drawn only on elements with the labelled class", () => {
    const sheet = graphStylesheet(DEFAULT_PALETTE);
    const withLabel = sheet.filter((rule) => "style" in rule && "label" in rule.style).map((r) => r.selector);
    expect(withLabel).toEqual([`node.${LABELLED}`, `edge.${LABELLED}`]);
  });
});
