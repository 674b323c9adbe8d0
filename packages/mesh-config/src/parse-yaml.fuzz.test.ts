// Property-based fuzzing of parseMeshYaml (issue #8): see fuzz-arbitraries.test-support.ts.
// Replay a failure with FUZZ_SEED=<seed> FUZZ_PATH=<path> from its report; bench/fuzz.ts runs many more cases.
import { describe, it } from "vitest";
import { assertFuzzTarget } from "../../wire/src/testing/fuzz-arbitraries.js";
import { meshYamlTargets } from "./fuzz-arbitraries.test-support.js";

describe("parseMeshYaml under fuzzing", () => {
  for (const target of meshYamlTargets()) {
    it(`holds: ${target.name}`, () => assertFuzzTarget(target), 120_000);
  }
});
