// Property-based fuzzing of the OTLP/JSON trace decoder (issue #8): see testing/fuzz-arbitraries.ts.
// Replay a failure with FUZZ_SEED=<seed> FUZZ_PATH=<path> from its report; bench/fuzz.ts runs many more cases.
import { describe, it } from "vitest";
import { assertFuzzTarget } from "../testing/fuzz-arbitraries.js";
import { otlpTracesJsonTargets } from "../testing/fuzz-arbitraries-traces.js";

describe("decodeOtlpTracesJson under fuzzing", () => {
  for (const target of otlpTracesJsonTargets()) {
    it(`holds: ${target.name}`, () => assertFuzzTarget(target), 120_000);
  }
});
