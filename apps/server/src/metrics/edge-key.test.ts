import { describe, expect, it } from "vitest";
import { EDGE_KEY_FIELDS, edgeKeyFromLabels, edgeKeyString, edgeKeyStringValues, edgeKeyValues } from "./edge-key.js";

describe("an edge key's string", () => {
  it("splits back into the key's values, empty and odd ones included", () => {
    const key = edgeKeyFromLabels({
      reporter: "source",
      source_workload: "a\u0001b",
      destination_service_name: "__proto__",
      response_code: "503",
    });
    expect(edgeKeyStringValues(edgeKeyString(key))).toEqual(edgeKeyValues(key));
  });

  it("refuses a string that is not one", () => {
    const values = EDGE_KEY_FIELDS.map((_, i) => `v${i}`);
    expect(() => edgeKeyStringValues(values.join("\u0000"))).toThrow(/NUL-terminated/);
    expect(() => edgeKeyStringValues(`${values.slice(1).join("\u0000")}\u0000`)).toThrow(/NUL-terminated/);
    expect(edgeKeyStringValues(`${values.join("\u0000")}\u0000`)).toEqual(values);
  });
});
