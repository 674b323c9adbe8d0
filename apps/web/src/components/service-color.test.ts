import { describe, expect, it } from "vitest";
import { serviceColor } from "./service-color";

describe("serviceColor", () => {
  it("gives a service the same colour every time", () => {
    expect(serviceColor("reviews")).toBe(serviceColor("reviews"));
  });

  it("spreads names over the palette", () => {
    const colours = new Set(
      ["productpage", "reviews", "ratings", "details", "cart", "checkout", "db"].map(serviceColor),
    );
    expect(colours.size).toBeGreaterThanOrEqual(4);
  });
});
