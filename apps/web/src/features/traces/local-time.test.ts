import { describe, expect, it } from "vitest";
import { localInputToUs, usToLocalInput } from "./local-time";

describe("custom range inputs", () => {
  it("round-trips µs through the browser-local input value at second precision", () => {
    const us = String(new Date(2026, 10, 26, 14, 5, 30).getTime() * 1_000);
    expect(usToLocalInput(us)).toBe("2026-11-26T14:05:30");
    expect(localInputToUs("2026-11-26T14:05:30")).toBe(us);
  });

  it("reads an input without seconds", () => {
    expect(localInputToUs("2026-11-26T14:05")).toBe(String(new Date(2026, 10, 26, 14, 5).getTime() * 1_000));
  });

  it("gives empty text for what is not a time", () => {
    expect(usToLocalInput("soon")).toBe("");
    expect(localInputToUs("")).toBe("");
    expect(localInputToUs("not a date")).toBe("");
  });
});
