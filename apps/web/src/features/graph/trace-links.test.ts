import { describe, expect, it } from "vitest";
import { lookbackFor } from "./trace-links";

describe("lookbackFor", () => {
  it("picks the shortest search lookback that covers the graph window", () => {
    expect(lookbackFor(60)).toBe("5m");
    expect(lookbackFor(300)).toBe("5m");
    expect(lookbackFor(600)).toBe("15m");
    expect(lookbackFor(3 * 3600)).toBe("6h");
    expect(lookbackFor(86_400)).toBe("1d");
  });

  it("falls back to the longest preset for windows beyond it", () => {
    expect(lookbackFor(30 * 86_400)).toBe("7d");
  });
});
