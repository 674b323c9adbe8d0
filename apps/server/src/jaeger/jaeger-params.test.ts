import { describe, expect, it } from "vitest";
import { JaegerParamError } from "./jaeger-errors.js";
import { parseGoDurationUs, parseLookbackUs, tagParams } from "./jaeger-params.js";

describe("parseGoDurationUs", () => {
  it("reads Go durations into µs, including fractions and compound forms", () => {
    expect(parseGoDurationUs("1.2s")).toBe(1_200_000);
    expect(parseGoDurationUs("100ms")).toBe(100_000);
    expect(parseGoDurationUs("500us")).toBe(500);
    expect(parseGoDurationUs("500µs")).toBe(500);
    expect(parseGoDurationUs("1500ns")).toBe(1.5);
    expect(parseGoDurationUs("1h30m")).toBe(5_400_000_000);
    expect(parseGoDurationUs(".5s")).toBe(500_000);
    expect(parseGoDurationUs("0")).toBe(0);
  });

  it("refuses plain numbers, unknown units, signs and days (Go has no days)", () => {
    for (const text of ["", "100", "5x", "-1s", "1s2", "2d", "ms", "1 s"])
      expect(parseGoDurationUs(text), text).toBeNull();
  });
});

describe("parseLookbackUs", () => {
  it("adds days and weeks to Go's units, as Jaeger UI's lookback presets use them", () => {
    expect(parseLookbackUs("2d")).toBe(2 * 86_400_000_000);
    expect(parseLookbackUs("3w")).toBe(3 * 604_800_000_000);
    expect(parseLookbackUs("15m")).toBe(900_000_000);
    expect(parseLookbackUs("custom")).toBeNull();
  });
});

describe("tagParams", () => {
  it("merges repeated tag=key:value and tags=<JSON> parameters, keeping colons in values", () => {
    const params = new URLSearchParams();
    params.append("tag", "http.url:http://x:8080/a");
    params.append("tags", '{"error":true,"http.status_code":500}');
    params.append("tags", '{"db":"pg"}');
    expect({ ...tagParams(params) }).toEqual({
      "http.url": "http://x:8080/a",
      error: "true",
      "http.status_code": "500",
      db: "pg",
    });
  });

  it("keeps a __proto__ key as an ordinary tag", () => {
    const tags = tagParams(new URLSearchParams({ tags: '{"__proto__":"x"}' }));
    expect(Object.keys(tags)).toEqual(["__proto__"]);
  });

  it("refuses malformed input naming the parameter", () => {
    expect(() => tagParams(new URLSearchParams({ tags: "[1]" }))).toThrow(JaegerParamError);
    expect(() => tagParams(new URLSearchParams({ tags: "[1]" }))).toThrow(/param 'tags'/);
    expect(() => tagParams(new URLSearchParams({ tag: "key-only" }))).toThrow(/param 'tag'/);
  });
});
