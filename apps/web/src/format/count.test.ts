import { describe, expect, it } from "vitest";
import { groupThousands } from "./count";

describe("groupThousands", () => {
  it("groups an integer's digits by three, as toLocaleString('en-US') does", () => {
    for (const n of [0, 7, 999, 1000, 12_345, 999_999, 1_000_000, 100_000, 123_456_789, -1234, -999]) {
      expect(groupThousands(n)).toBe(n.toLocaleString("en-US"));
    }
  });

  it("groups only the whole part of a fraction", () => {
    expect(groupThousands(1234.5678)).toBe("1,234.5678");
    expect(groupThousands(0.12345)).toBe("0.12345");
  });
});
