// Property-based fuzzing of parsePrometheusText (issue #8): see testing/fuzz-arbitraries.ts.
// Replay a failure with FUZZ_SEED=<seed> FUZZ_PATH=<path> from its report; bench/fuzz.ts runs many more cases.
import { describe, it } from "vitest";
import { assertFuzzTarget } from "../testing/fuzz-arbitraries.js";
import { prometheusTextTargets } from "../testing/fuzz-arbitraries-metrics.js";

describe("parsePrometheusText under fuzzing", () => {
  for (const target of prometheusTextTargets()) {
    it(`holds: ${target.name}`, () => assertFuzzTarget(target), 120_000);
  }
});
