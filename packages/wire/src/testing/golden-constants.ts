/** Values shared by the golden fixture (otel-fixtures.ts) and the tests that check what the decoders make of
 * it: the tests name the inputs they assert on instead of reading them back from the SDK's output. */

export const GOLDEN_RESOURCE = {
  "service.name": "reviews",
  "k8s.namespace.name": "bookinfo",
  "service.version": "v3",
} as const;

/** A start time with sub-microsecond nanoseconds, to check truncation to µs (2024-06-10T…Z + 123456789 ns). */
export const ROOT_START: readonly [number, number] = [1718000000, 123456789];
export const ROOT_END: readonly [number, number] = [1718000001, 987654321];

/** An int past 2^53: OTLP int64 carries it exactly, so we must keep it exactly too (as a decimal string). */
export const BIG_INT = 2 ** 60;

export const HOSTILE_ATTRIBUTES = {
  markup: "<script>alert(document.cookie)</script>",
  nul: "a\u0000b",
  loneSurrogate: "x\ud800y",
  huge: "z".repeat(1 << 20),
} as const;
