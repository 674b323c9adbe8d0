import { beforeAll, describe, expect, it } from "vitest";
import { WireError } from "../errors.js";
import { BIG_INT } from "../testing/golden-constants.js";
import { type GoldenFixture, goldenFixture } from "../testing/otel-fixtures.js";
import { decodeOtlpTracesProtobuf } from "./decode-protobuf.js";

let golden: GoldenFixture;
beforeAll(() => {
  golden = goldenFixture();
});

describe("decodeOtlpTracesProtobuf on requests from the OpenTelemetry JS serializer", () => {
  it("round-trips every field of every span", () => {
    const result = decodeOtlpTracesProtobuf(golden.protobuf);
    expect(result.rejectedSpans).toBe(0);
    expect(result.truncatedAttributes).toBe(0);
    expect(result.spans).toHaveLength(golden.expected.length);
    for (const expected of golden.expected) {
      expect(result.spans.find((s) => s.spanId === expected.spanId)).toEqual(expected);
    }
  });

  it("truncates nanoseconds to whole microseconds without losing precision", () => {
    const root = decodeOtlpTracesProtobuf(golden.protobuf).spans.find((s) => s.parentSpanId === null);
    expect(root?.startUs).toBe(1718000000123456);
    // The SDK's own floating-point conversion agrees to within its rounding.
    expect(Math.abs((root?.startUs ?? 0) - golden.rootStartSdkMicros)).toBeLessThan(1);
  });

  it("keeps int64 attributes beyond 2^53 exactly, as decimal strings", () => {
    const root = decodeOtlpTracesProtobuf(golden.protobuf).spans.find((s) => s.parentSpanId === null);
    expect(root?.attributes["reviews.big"]).toBe("1152921504606846976");
    expect(BigInt(String(root?.attributes["reviews.big"]))).toBe(BigInt(BIG_INT));
    expect(root?.attributes["reviews.negative"]).toBe(-42);
  });

  it("rejects the request when it is cut short", () => {
    const bytes = golden.protobuf;
    for (const cut of [1, 7, bytes.length >> 1, bytes.length - 1]) {
      expect(() => decodeOtlpTracesProtobuf(bytes.subarray(0, cut))).toThrow(WireError);
    }
  });
});
