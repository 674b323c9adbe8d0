import { describe, expect, it } from "vitest";
import { formatAgo } from "./time";

describe("formatAgo", () => {
  const nowMs = 1_700_000_000_000;
  const usAgo = (seconds: number) => (nowMs - seconds * 1_000) * 1_000;

  it("reads as just now for the last few seconds", () => {
    expect(formatAgo(usAgo(2), nowMs)).toBe("just now");
  });

  it("picks the largest whole unit", () => {
    expect(formatAgo(usAgo(42), nowMs)).toBe("42s ago");
    expect(formatAgo(usAgo(5 * 60 + 30), nowMs)).toBe("5m ago");
    expect(formatAgo(usAgo(3 * 3_600), nowMs)).toBe("3h ago");
    expect(formatAgo(usAgo(2 * 86_400), nowMs)).toBe("2d ago");
  });
});
