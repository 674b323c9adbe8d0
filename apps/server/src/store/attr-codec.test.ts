import type { Attributes } from "@meshscope/model";
import { setAttribute } from "@meshscope/model";
import { describe, expect, it } from "vitest";
import { attributesJson, decodeAttributes, encodeAttributes, tagNeedle } from "./attr-codec.js";

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

describe("attributesJson", () => {
  const hostile = [
    '"quoted" \\ back\\slash',
    "<img src=x onerror=alert(1)><script>window.__pwned=1</script>",
    "line\nbreak\ttab\r\u0000nul\u0007bell",
    "sep\x1e\x1f\x1besc",
    "ünïcødé → 漢字 🚀",
    "lone \ud800 surrogate",
    "\u2028\u2029",
  ];

  /** What the object path answered: decode, then JSON.stringify. */
  const viaObjects = (encoded: string) => JSON.parse(JSON.stringify(decodeAttributes(encoded)));

  it("writes every attribute type as JSON.stringify of the decoded attributes would", () => {
    const attrs: Attributes = {
      s: "text",
      i: 500,
      d: -1.25e-7,
      huge: 2 ** 64,
      t: true,
      f: false,
      n: null,
      arr: [1, "two", false, [3], { k: null }],
      map: { a: 1, b: { c: "d" } },
      empty: "",
      "42": "numeric key",
    };
    const encoded = encodeAttributes(attrs);
    expect(attributesJson(encoded)).toBe(JSON.stringify(decodeAttributes(encoded)));
  });

  it("escapes hostile keys and values exactly as JSON.stringify does", () => {
    const attrs: Attributes = {};
    hostile.forEach((text, i) => {
      setAttribute(attrs, `k${i}:${text}`, text);
      setAttribute(attrs, `arr${i}`, [text, { [text]: text }]);
    });
    const encoded = encodeAttributes(attrs);
    expect(attributesJson(encoded)).toBe(JSON.stringify(decodeAttributes(encoded)));
    expect(JSON.parse(attributesJson(encoded))).toEqual(attrs);
  });

  it("keeps a __proto__ key as data, as the object path does", () => {
    const attrs: Attributes = {};
    setAttribute(attrs, "__proto__", { polluted: true });
    const parsed = JSON.parse(attributesJson(encodeAttributes(attrs)));
    expect(Object.keys(parsed)).toEqual(["__proto__"]);
    expect(parsed).toEqual(viaObjects(encodeAttributes(attrs)));
  });

  it("writes numbers JSON cannot hold as null, as JSON.stringify does", () => {
    const encoded = encodeAttributes({ nan: Number.NaN, inf: Number.POSITIVE_INFINITY, minus: -0 });
    expect(attributesJson(encoded)).toBe(JSON.stringify(decodeAttributes(encoded)));
  });

  it("answers an empty object for no attributes", () => {
    expect(attributesJson("")).toBe("{}");
    expect(attributesJson(encodeAttributes({}))).toBe("{}");
  });
});
