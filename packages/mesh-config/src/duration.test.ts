import { describe, expect, it } from "vitest";
import { parseIstioDurationMs } from "./duration.js";

describe("parseIstioDurationMs", () => {
  it.each([
    ["5s", 5000],
    ["250ms", 250],
    ["1.5s", 1500],
    [".5s", 500],
    ["5.s", 5000],
    ["1m", 60_000],
    ["3m", 180_000],
    ["180.000s", 180_000],
    ["1h", 3_600_000],
    ["1m30s", 90_000],
    ["1h2m3s4ms", 3_723_004],
    ["10us", 0.01],
    ["10\u00b5s", 0.01],
    ["10\u03bcs", 0.01],
    ["1500000ns", 1.5],
    ["0", 0],
    ["0s", 0],
    ["+2s", 2000],
  ])("reads %s as %f ms, as Go's time.ParseDuration does", (text, ms) => {
    expect(parseIstioDurationMs(text)).toBeCloseTo(ms, 9);
  });

  it.each([
    ["", "empty"],
    ["5", "a number without a unit"],
    ["1d", "days, which Go does not know"],
    ["5S", "an upper-case unit"],
    [" 5s", "surrounding spaces"],
    ["5 s", "a space before the unit"],
    [".s", "a unit without digits"],
    ["1.2.3s", "two decimal points"],
    ["-5s", "a negative duration"],
    ["5ss", "a trailing unit"],
    ["s5", "a unit before the number"],
    ["abc", "text"],
    ["300000000h", "more than Go's int64 nanoseconds"],
  ])("rejects %j (%s)", (text) => {
    expect(parseIstioDurationMs(text)).toBeUndefined();
  });
});
