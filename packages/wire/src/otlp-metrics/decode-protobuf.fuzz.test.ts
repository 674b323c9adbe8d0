// Property-based fuzzing of decodeOtlpMetricsProtobuf (issue #8): see testing/fuzz-arbitraries.ts.
// Replay a failure with FUZZ_SEED=<seed> FUZZ_PATH=<path> from its report; bench/fuzz.ts runs many more cases.
import { describe, it } from "vitest";
import { assertFuzzTarget } from "../testing/fuzz-arbitraries.js";
import { otlpMetricsTargets, prepareMetricSeeds } from "../testing/fuzz-arbitraries-metrics.js";

await prepareMetricSeeds();

describe("decodeOtlpMetricsProtobuf under fuzzing", () => {
  for (const target of otlpMetricsTargets().filter((t) => t.name.startsWith("otlp-metrics-protobuf:"))) {
    it(`holds: ${target.name}`, () => assertFuzzTarget(target), 120_000);
  }
});
