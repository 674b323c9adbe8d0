import { describe, expect, it } from "vitest";
import {
  DEFAULT_SEARCH_FIELDS,
  hasSubmittedSearch,
  readSearchFields,
  searchFieldsToParams,
  traceSearchPath,
  validateSearchFields,
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

  it("builds links that prefill the search", () => {
    expect(traceSearchPath({ service: "a b" })).toBe("/traces?service=a+b&lookback=1h&limit=20");
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

  it("keeps the limit within what the API accepts", () => {
    expect(validateSearchFields({ ...DEFAULT_SEARCH_FIELDS, limit: "0" })).toHaveProperty("limit");
    expect(validateSearchFields({ ...DEFAULT_SEARCH_FIELDS, limit: "10001" })).toHaveProperty("limit");
    expect(validateSearchFields({ ...DEFAULT_SEARCH_FIELDS, limit: "10000" })).toEqual({});
  });
});
