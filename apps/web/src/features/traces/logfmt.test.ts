import { describe, expect, it } from "vitest";
import { parseLogfmt } from "./logfmt";

describe("parseLogfmt", () => {
  it("reads space-separated key=value pairs", () => {
    expect(parseLogfmt("http.status_code=500 error=true")).toEqual({
      ok: true,
      tags: { "http.status_code": "500", error: "true" },
    });
  });

  it("reads quoted values with spaces and escapes, and a bare key as true", () => {
    const result = parseLogfmt(' note="a \\"b\\" c"  retried ');
    expect(result).toEqual({ ok: true, tags: { note: 'a "b" c', retried: "true" } });
  });

  it("accepts an empty field", () => {
    expect(parseLogfmt("   ")).toEqual({ ok: true, tags: {} });
  });

  it("says where a key is missing", () => {
    expect(parseLogfmt("=500")).toEqual({ ok: false, message: expect.stringContaining("position 1") });
  });

  it("names the key whose quoted value is not closed", () => {
    expect(parseLogfmt('note="open')).toEqual({ ok: false, message: expect.stringContaining("note") });
  });

  it("asks for a space between pairs", () => {
    expect(parseLogfmt('a="x"b=1')).toEqual({ ok: false, message: expect.stringContaining("space after a") });
  });

  it("keeps __proto__ as an ordinary tag", () => {
    const result = parseLogfmt("__proto__=x");
    expect(result.ok && Object.keys(result.tags)).toEqual(["__proto__"]);
  });
});
