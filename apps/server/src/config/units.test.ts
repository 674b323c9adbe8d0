import { describe, expect, it } from "vitest";
import { formatDurationMs, parseByteSize, parseDurationMs } from "./units.js";

describe("parseDurationMs", () => {
  it("reads single and compound Go-style durations with days and weeks", () => {
    expect(parseDurationMs("250ms")).toBe(250);
    expect(parseDurationMs("15s")).toBe(15_000);
    expect(parseDurationMs("1.5s")).toBe(1_500);
    expect(parseDurationMs("7d")).toBe(604_800_000);
    expect(parseDurationMs("1h30m")).toBe(5_400_000);
    expect(parseDurationMs("2w")).toBe(1_209_600_000);
  });

  it("refuses bare numbers, unknown units and junk", () => {
    for (const text of ["15", "5y", "s", "", "1 d", "-1s", "1s junk"]) expect(parseDurationMs(text), text).toBeNull();
  });

  it("formats back in the largest whole unit", () => {
    expect(formatDurationMs(604_800_000)).toBe("1w");
    expect(formatDurationMs(86_400_000 * 3)).toBe("3d");
    expect(formatDurationMs(1_500)).toBe("1500ms");
  });
});

describe("parseByteSize", () => {
  it("reads binary and decimal units case-insensitively", () => {
    expect(parseByteSize("1048576")).toBe(1_048_576);
    expect(parseByteSize("16MiB")).toBe(16 * 1024 * 1024);
    expect(parseByteSize("16mib")).toBe(16 * 1024 * 1024);
    expect(parseByteSize("2MB")).toBe(2_000_000);
    expect(parseByteSize("512k")).toBe(524_288);
    expect(parseByteSize("1.5GiB")).toBe(1.5 * 1024 ** 3);
  });

  it("refuses unknown units and negative numbers", () => {
    for (const text of ["12 parsecs", "-1", "MiB", "1e9"]) expect(parseByteSize(text), text).toBeNull();
  });
});
