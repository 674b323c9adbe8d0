import { describe, expect, it } from "vitest";
import { LabelSetBuilder } from "./label-set-builder.js";

const dup = (name: string): never => {
  throw new Error(`duplicate ${name}`);
};

function build(b: LabelSetBuilder, pairs: Array<[string, string]>): Record<string, string> {
  b.reset();
  for (const [n, v] of pairs) b.add(n, v);
  return b.build(dup);
}

describe("LabelSetBuilder", () => {
  it("builds each label set with its own values while the name lists alternate and rotate", () => {
    const b = new LabelSetBuilder();
    const lists = [["job", "le"], ["job"], ["a", "b", "c"], ["x"], ["y"], ["job", "le"]];
    for (let round = 0; round < 3; round++) {
      lists.forEach((names, k) => {
        const pairs = names.map((n): [string, string] => [n, `${n}-${round}-${k}`]);
        const labels = build(b, pairs);
        expect({ ...labels }).toEqual(Object.fromEntries(pairs));
        expect(Object.getPrototypeOf(labels)).toBeNull();
        expect(labels.toString).toBeUndefined();
      });
    }
  });

  it("refuses a duplicate name even when a list without it was built before", () => {
    const b = new LabelSetBuilder();
    build(b, [
      ["job", "a"],
      ["le", "1"],
    ]);
    expect(() =>
      build(b, [
        ["job", "a"],
        ["job", "b"],
      ]),
    ).toThrow(/duplicate job/);
    expect({ ...build(b, [["__proto__", "p"]]) }).toEqual(Object.fromEntries([["__proto__", "p"]]));
  });
});
