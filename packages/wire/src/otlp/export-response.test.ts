import { describe, expect, it } from "vitest";
import { parseExportResponses } from "../testing/otel-fixtures.js";
import { encodeOtlpTraceExportResponse, otlpTraceExportResponseJson } from "./export-response.js";

describe("OTLP export responses", () => {
  it("are read back by the OpenTelemetry exporters' own response parser", () => {
    const responses = [
      encodeOtlpTraceExportResponse(0, ""),
      encodeOtlpTraceExportResponse(3, "trace id is empty or all zeros"),
      encodeOtlpTraceExportResponse(2 ** 40, "ünïcode ✓"),
    ];
    const parsed = parseExportResponses(responses);
    expect(parsed).toEqual([
      {},
      { partialSuccess: { rejectedSpans: 3, errorMessage: "trace id is empty or all zeros" } },
      { partialSuccess: { rejectedSpans: 2 ** 40, errorMessage: "ünïcode ✓" } },
    ]);
  });

  it("leave partial success unset on full success, as the spec asks", () => {
    expect(encodeOtlpTraceExportResponse(0, "")).toHaveLength(0);
    expect(otlpTraceExportResponseJson(0, "")).toEqual({});
  });

  it("carry the rejected count as an int64 string in JSON", () => {
    expect(otlpTraceExportResponseJson(2, "end time is before start time")).toEqual({
      partialSuccess: { rejectedSpans: "2", errorMessage: "end time is before start time" },
    });
  });

  it("refuse a negative or fractional count", () => {
    expect(() => encodeOtlpTraceExportResponse(-1, "")).toThrow(RangeError);
    expect(() => otlpTraceExportResponseJson(1.5, "")).toThrow(RangeError);
  });
});
