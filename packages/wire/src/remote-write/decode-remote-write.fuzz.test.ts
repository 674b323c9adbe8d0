// Property-based fuzzing of decodeRemoteWrite (issue #8): see testing/fuzz-arbitraries.ts.
// Replay a failure with FUZZ_SEED=<seed> FUZZ_PATH=<path> from its report; bench/fuzz.ts runs many more cases.
import { describe, it } from "vitest";
import { assertFuzzTarget } from "../testing/fuzz-arbitraries.js";
import { remoteWriteTargets } from "../testing/fuzz-arbitraries-metrics.js";

describe("decodeRemoteWrite under fuzzing", () => {
  for (const target of remoteWriteTargets()) {
    it(`holds: ${target.name}`, () => assertFuzzTarget(target), 120_000);
  }
});
