import { describe, expect, it } from "vitest";
import { apportion, evenWeights, setWeight, totalWeight, type VersionWeight } from "./linked-weights";

const w = (...pairs: [string, number][]): VersionWeight[] => pairs.map(([version, weight]) => ({ version, weight }));

describe("linked traffic weights", () => {
  it("starts from Kiali's even split with the remainder on the last version", () => {
    expect(evenWeights(["v1", "v2", "v3"])).toEqual(w(["v1", 33], ["v2", 33], ["v3", 34]));
    expect(evenWeights(["v1"])).toEqual(w(["v1", 100]));
  });

  it("rebalances the other versions in proportion to their weights when one moves", () => {
    expect(setWeight(w(["v1", 50], ["v2", 30], ["v3", 20]), "v1", 80)).toEqual(w(["v1", 80], ["v2", 12], ["v3", 8]));
  });

  it("reaches v1 80 / v2 0 / v3 20 from the even split by zeroing v2 and then moving v3", () => {
    const zeroed = setWeight(evenWeights(["v1", "v2", "v3"]), "v2", 0);
    expect(totalWeight(zeroed)).toBe(100);
    expect(setWeight(zeroed, "v3", 20)).toEqual(w(["v1", 80], ["v2", 0], ["v3", 20]));
  });

  it("spreads the remainder evenly when every other version is at 0", () => {
    expect(setWeight(w(["v1", 100], ["v2", 0], ["v3", 0]), "v1", 40)).toEqual(w(["v1", 40], ["v2", 30], ["v3", 30]));
  });

  it("always sums to 100 with integer weights, whatever value is typed", () => {
    let weights = evenWeights(["a", "b", "c", "d", "e", "f", "g"]);
    for (const [version, value] of [
      ["c", 13.7],
      ["a", -5],
      ["g", 250],
      ["b", 99],
      ["e", Number.NaN],
      ["d", 1],
    ] as const) {
      weights = setWeight(weights, version, value);
      expect(totalWeight(weights)).toBe(100);
      for (const x of weights) expect(Number.isInteger(x.weight) && x.weight >= 0 && x.weight <= 100).toBe(true);
    }
  });

  it("keeps a fixed (mirrored) version at its weight and gives the remainder to the others", () => {
    const next = setWeight(w(["v1", 60], ["v2", 40], ["v3", 0]), "v1", 30, new Set(["v3"]));
    expect(next).toEqual(w(["v1", 30], ["v2", 70], ["v3", 0]));
  });

  it("pins a lone version at 100", () => {
    expect(setWeight(w(["v1", 100]), "v1", 20)).toEqual(w(["v1", 100]));
  });

  it("apportions integers by largest remainder, ties to the earlier entry", () => {
    expect(apportion([1, 1, 1], 100)).toEqual([34, 33, 33]);
    expect(apportion([0, 0], 7)).toEqual([4, 3]);
  });
});
