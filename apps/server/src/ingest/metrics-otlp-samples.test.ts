import type { OtlpMetricPoint } from "@meshscope/wire";
import { describe, expect, it } from "vitest";
import { otlpPointsToBatches } from "./metrics-otlp-samples.js";

const base = { labels: { reporter: "source" }, startTimeUs: 0, timeUs: 1_718_000_000_123_456 };

function histogram(extra: Partial<OtlpMetricPoint>): OtlpMetricPoint {
  return {
    name: "istio_request_duration_milliseconds",
    kind: "histogram",
    temporality: "cumulative",
    ...base,
    ...extra,
  };
}

describe("otlpPointsToBatches", () => {
  it("turns per-bucket counts into Prometheus' cumulative le buckets ending with +Inf", () => {
    const { batches } = otlpPointsToBatches(
      {
        points: [histogram({ bounds: [0.5, 10, 250], bucketCounts: [1, 0, 4, 2], count: 7, sum: 300.5 })],
        skipped: [],
      },
      "otlp:test",
    );
    const samples = batches[0]?.samples ?? [];
    expect(samples.filter((s) => s.name.endsWith("_bucket")).map((s) => [s.labels.le, s.value])).toEqual([
      ["0.5", 1],
      ["10", 1],
      ["250", 5],
      ["+Inf", 7],
    ]);
    expect(samples.find((s) => s.name.endsWith("_sum"))?.value).toBe(300.5);
    expect(samples.find((s) => s.name.endsWith("_count"))?.value).toBe(7);
    // OTLP µs → whole ms; the point's own labels are not changed by adding `le`.
    expect(samples[0]?.timestampMs).toBe(1_718_000_000_123);
    expect(samples.find((s) => s.name.endsWith("_count"))?.labels).toEqual({ reporter: "source" });
  });

  it("gives a histogram without buckets a single +Inf bucket equal to its count, and no _sum when absent", () => {
    const { batches } = otlpPointsToBatches(
      { points: [histogram({ bounds: [], bucketCounts: [], count: 3 })], skipped: [] },
      "s",
    );
    expect(batches[0]?.samples.map((s) => [s.name, s.labels.le, s.value])).toEqual([
      ["istio_request_duration_milliseconds_bucket", "+Inf", 3],
      ["istio_request_duration_milliseconds_count", undefined, 3],
    ]);
  });

  it("splits cumulative and delta points into separate partial batches and skips points without a value", () => {
    const counter = (temporality: "cumulative" | "delta", value: number): OtlpMetricPoint => ({
      name: "istio_requests_total",
      kind: "counter",
      temporality,
      ...base,
      value,
    });
    const mapped = otlpPointsToBatches(
      {
        points: [
          counter("cumulative", 10),
          counter("delta", 2),
          { ...counter("delta", 0), value: undefined, noRecordedValue: true },
        ],
        skipped: [],
      },
      "otlp:peer",
    );
    expect(mapped.batches.map((b) => [b.temporality, b.complete, b.samples.map((s) => s.value)])).toEqual([
      ["cumulative", false, [10]],
      ["delta", false, [2]],
    ]);
    expect(mapped.noValuePoints).toBe(1);
  });
});
