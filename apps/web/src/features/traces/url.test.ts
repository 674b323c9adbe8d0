import { describe, expect, it } from "vitest";
import {
  DEFAULT_SEARCH_FIELDS,
  hasSubmittedSearch,
  readSearchFields,
  readSort,
  searchApiParams,
  searchFieldsToParams,
  traceSearchPath,
  validateSearchFields,
  withSort,
} from "./url";

describe("trace search URL state", () => {
  it("round-trips the fields through the query string", () => {
    const fields = {
      ...DEFAULT_SEARCH_FIELDS,
      service: "cart",
      tags: 'http.method=GET note="a b"',
      minDuration: "250ms",
    };
    expect(readSearchFields(searchFieldsToParams(fields))).toEqual(fields);
  });

  it("leaves empty fields out of the URL", () => {
    expect(searchFieldsToParams({ ...DEFAULT_SEARCH_FIELDS, service: "cart" }).toString()).toBe(
      "service=cart&lookback=1h&limit=20",
    );
  });

  it("counts a URL as a submitted search only when it holds a search field", () => {
    expect(hasSubmittedSearch(new URLSearchParams(""))).toBe(false);
    expect(hasSubmittedSearch(new URLSearchParams("utm=x"))).toBe(false);
    expect(hasSubmittedSearch(new URLSearchParams("lookback=1h"))).toBe(true);
  });

  it("keeps start and end only for a custom range", () => {
    const range = { ...DEFAULT_SEARCH_FIELDS, start: "1000", end: "2000" };
    expect(searchFieldsToParams(range).has("start")).toBe(false);
    expect(searchFieldsToParams({ ...range, lookback: "custom" }).toString()).toBe(
      "lookback=custom&start=1000&end=2000&limit=20",
    );
  });

  it("reads the sort, falling back to most recent, and leaves the default out of the URL", () => {
    expect(readSort(new URLSearchParams("sort=longest"))).toBe("longest");
    expect(readSort(new URLSearchParams("sort=bogus"))).toBe("recent");
    expect(withSort(new URLSearchParams("service=a&sort=spans"), "recent").toString()).toBe("service=a");
  });

  it("builds links that prefill the search", () => {
    expect(traceSearchPath({ service: "a b" })).toBe("/traces?service=a+b&lookback=1h&limit=20");
  });
});

describe("searchApiParams", () => {
  it("sends a lookback in days as µs, which the API accepts", () => {
    expect(searchApiParams({ ...DEFAULT_SEARCH_FIELDS, service: "cart", lookback: "2d" })).toEqual({
      service: "cart",
      lookback: String(2 * 86_400_000_000),
      limit: "20",
    });
  });

  it("sends the explicit start and end of a custom range instead of a lookback", () => {
    const fields = { ...DEFAULT_SEARCH_FIELDS, lookback: "custom", start: "1000", end: "2000" };
    expect(searchApiParams(fields)).toEqual({ start: "1000", end: "2000", limit: "20" });
  });
});

describe("validateSearchFields", () => {
  it("accepts the defaults", () => {
    expect(validateSearchFields(DEFAULT_SEARCH_FIELDS)).toEqual({});
  });

  it("names durations that do not parse and a max below the min", () => {
    expect(validateSearchFields({ ...DEFAULT_SEARCH_FIELDS, minDuration: "soon" })).toHaveProperty("minDuration");
    expect(validateSearchFields({ ...DEFAULT_SEARCH_FIELDS, minDuration: "2s", maxDuration: "500ms" })).toEqual({
      maxDuration: "Max duration is below min duration",
    });
  });

  it("explains a tags field that is not logfmt", () => {
    expect(validateSearchFields({ ...DEFAULT_SEARCH_FIELDS, tags: 'note="open' }).tags).toMatch(/closing/);
  });

  it("asks for both ends of a custom range, in order", () => {
    const custom = { ...DEFAULT_SEARCH_FIELDS, lookback: "custom" };
    expect(validateSearchFields(custom)).toHaveProperty("start");
    expect(validateSearchFields({ ...custom, start: "5", end: "4" })).toEqual({ end: "The end is before the start" });
    expect(validateSearchFields({ ...DEFAULT_SEARCH_FIELDS, lookback: "soon" })).toHaveProperty("lookback");
  });

  it("keeps the limit within what the API accepts", () => {
    expect(validateSearchFields({ ...DEFAULT_SEARCH_FIELDS, limit: "0" })).toHaveProperty("limit");
    expect(validateSearchFields({ ...DEFAULT_SEARCH_FIELDS, limit: "10001" })).toHaveProperty("limit");
    expect(validateSearchFields({ ...DEFAULT_SEARCH_FIELDS, limit: "10000" })).toEqual({});
  });
});
