import { describe, expect, it } from "vitest";
import { InvalidQueryError } from "./errors.js";
import { parseTags } from "./tag-filter.js";

describe("parseTags", () => {
  it("reads logfmt pairs as Jaeger UI's search form sends them", () => {
    expect({ ...parseTags("http.status_code=500 error=true") }).toEqual({ "http.status_code": "500", error: "true" });
  });

  it("reads quoted logfmt values with spaces and escapes", () => {
    expect({ ...parseTags('peer="a b" msg="say \\"hi\\"" x=1') }).toEqual({ peer: "a b", msg: 'say "hi"', x: "1" });
  });

  it("takes a bare logfmt key as true", () => {
    expect({ ...parseTags("error") }).toEqual({ error: "true" });
  });

  it("reads a JSON object, turning numbers and booleans into their text", () => {
    expect({ ...parseTags('{"http.status_code":500,"error":true,"db":"pg"}') }).toEqual({
      "http.status_code": "500",
      error: "true",
      db: "pg",
    });
  });

  it("keeps a __proto__ key as data", () => {
    const tags = parseTags('{"__proto__":"x"}');
    expect(Object.keys(tags)).toEqual(["__proto__"]);
  });

  it("refuses malformed input with a message saying what is wrong", () => {
    expect(() => parseTags('a="unterminated')).toThrow(/unterminated quoted value for "a"/);
    expect(() => parseTags("{not json")).toThrow(/tags: invalid JSON/);
    expect(() => parseTags('{"a":{"b":1}}')).toThrow(InvalidQueryError);
    expect(() => parseTags("=x")).toThrow(/expected a key/);
  });
});
