import { describe, expect, it } from "vitest";
import { decodeAttributes, encodeAttributes, tagNeedle } from "./attr-codec.js";

describe("attribute codec", () => {
  it("round-trips every attribute value type", () => {
    const attrs = {
      s: "text",
      i: 500,
      d: 1.25,
      big: "9223372036854775807",
      t: true,
      f: false,
      n: null,
      arr: [1, "two", false, [3]],
      map: { a: 1, b: { c: "d" } },
      empty: "",
    };
    expect(decodeAttributes(encodeAttributes(attrs))).toEqual(attrs);
  });

  it("round-trips keys and values containing the separator and escape characters", () => {
    const attrs = { "k\x1ey\x1f": "v\x1b0\x1e\x1f\x1b", plain: "x" };
    expect(decodeAttributes(encodeAttributes(attrs))).toEqual(attrs);
  });

  it("finds a tag by the string form of its value, whatever the value's type", () => {
    const encoded = encodeAttributes({ "http.status_code": 500, error: true, "http.method": "GET" });
    expect(encoded.includes(tagNeedle("http.status_code", "500"))).toBe(true);
    expect(encoded.includes(tagNeedle("error", "true"))).toBe(true);
    expect(encoded.includes(tagNeedle("http.method", "GET"))).toBe(true);
  });

  it("matches whole keys and whole values only", () => {
    const encoded = encodeAttributes({ "http.status_code": 5000, "xhttp.method": "GET", "http.method": "GETX" });
    expect(encoded.includes(tagNeedle("http.status_code", "500"))).toBe(false);
    expect(encoded.includes(tagNeedle("http.method", "GET"))).toBe(false);
    expect(encoded.includes(tagNeedle("method", "GETX"))).toBe(false);
  });

  it("cannot be fooled by a value that contains an encoded entry", () => {
    const forged = encodeAttributes({ role: "admin" });
    const encoded = encodeAttributes({ note: forged });
    expect(encoded.includes(tagNeedle("role", "admin"))).toBe(false);
  });
});
