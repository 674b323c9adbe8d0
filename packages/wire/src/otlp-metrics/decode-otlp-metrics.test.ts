import { describe, expect, it } from "vitest";
import { WireError } from "../errors.js";
import {
  doubleField as dbl,
  fixed64Field as fixed64,
  lenField as len,
  stringField as str,
  varint,
} from "../testing/proto-writer.js";
import { decodeOtlpMetricsJson } from "./decode-json.js";
import { decodeOtlpMetricsProtobuf } from "./decode-protobuf.js";

/**
 * Inputs the JS SDK never produces (nanosecond precision, unpacked repeated fields, snake_case JSON, enum names,
 * broken histograms), encoded by hand. Real encoder output is covered by decode-otlp-metrics.otel.test.ts.
 */
const kv = (field: number, key: string, anyValue: number[]) => len(field, [...str(1, key), ...len(2, anyValue)]);
const request = (...metrics: number[][]) =>
  Uint8Array.from(len(1, [...len(1, kv(1, "service.name", str(1, "ratings"))), ...len(2, metrics.flat())]));
const metric = (name: string, dataField: number, data: number[]) => len(2, [...str(1, name), ...len(dataField, data)]);

const NS = 1718000000123456789n; // 2024-06-10T06:13:20.123456789Z

describe("decodeOtlpMetricsProtobuf", () => {
  it("converts nanosecond timestamps to microseconds exactly, past 2^53", () => {
    const point = len(1, [...fixed64(2, NS - 1000n), ...fixed64(3, NS), ...dbl(4, 1.5)]);
    const [p] = decodeOtlpMetricsProtobuf(request(metric("g", 5, point))).points;
    expect(p?.timeUs).toBe(1718000000123456);
    expect(p?.startTimeUs).toBe(1718000000123455);
  });

  it("reads as_int as a signed 64-bit value and flattens typed attributes", () => {
    const attrs = [
      ...kv(7, "code", [...varint(3 << 3), ...varint(-7)]),
      ...kv(7, "ok", [...varint(2 << 3), 1]),
      ...kv(7, "ratio", dbl(4, 0.25)),
      ...kv(7, "tags", len(5, [...len(1, str(1, "a")), ...len(1, [...varint(3 << 3), 2])])),
      ...kv(7, "raw", len(7, [0xde, 0xad, 0xbe, 0xef])),
    ];
    const point = len(1, [...fixed64(6, -42n), ...attrs]);
    const sum = [...point, ...varint(2 << 3), 2, ...varint(3 << 3), 0];
    const [p] = decodeOtlpMetricsProtobuf(request(metric("net", 7, sum))).points;
    expect(p).toMatchObject({ kind: "gauge", temporality: "cumulative", value: -42 });
    expect({ ...p?.labels }).toEqual({
      "service.name": "ratings",
      code: "-7",
      ok: "true",
      ratio: "0.25",
      tags: '["a",2]',
      raw: "3q2+7w==",
    });
  });

  it("keeps int64 attribute values beyond 2^53 exact in their labels", () => {
    const big = kv(7, "big", [...varint(3 << 3), ...varint(2n ** 63n - 1n)]);
    const [p] = decodeOtlpMetricsProtobuf(request(metric("g", 5, len(1, [...dbl(4, 1), ...big])))).points;
    expect(p?.labels.big).toBe("9223372036854775807");
  });

  it("accepts unpacked repeated bucket counts and bounds, as proto3 parsers must", () => {
    const point = len(1, [
      ...fixed64(4, 3n),
      ...fixed64(6, 1n),
      ...fixed64(6, 2n),
      ...dbl(7, 10),
      ...dbl(5, 12.5),
      ...varint(10 << 3),
      0,
    ]);
    const [p] = decodeOtlpMetricsProtobuf(request(metric("h", 9, [...point, ...varint(2 << 3), 1]))).points;
    expect(p).toMatchObject({ kind: "histogram", temporality: "delta", count: 3, sum: 12.5 });
    expect(p?.bounds).toEqual([10]);
    expect(p?.bucketCounts).toEqual([1, 2]);
  });

  it("rejects a histogram whose bucket counts do not match its bounds", () => {
    const point = len(1, [...fixed64(4, 1n), ...len(6, [...fixed64(0, 1n).slice(1)]), ...len(7, dbl(0, 1).slice(1))]);
    expect(() => decodeOtlpMetricsProtobuf(request(metric("h", 9, point)))).toThrow(/1 bucket counts for 1 bounds/);
  });

  it("marks points flagged 'no recorded value' instead of inventing a value", () => {
    const point = len(1, [...fixed64(3, NS), ...varint(8 << 3), 1]);
    const [p] = decodeOtlpMetricsProtobuf(request(metric("c", 7, [...point, ...varint(3 << 3), 1]))).points;
    expect(p?.noRecordedValue).toBe(true);
    expect(p?.value).toBeUndefined();
  });

  it("lists exponential histograms and summaries as skipped rather than failing", () => {
    const out = decodeOtlpMetricsProtobuf(request(metric("e", 10, []), metric("s", 11, [])));
    expect(out.points).toEqual([]);
    expect(out.skipped).toEqual([
      { name: "e", type: "exponential_histogram" },
      { name: "s", type: "summary" },
    ]);
  });

  it("names the field when a known field has the wrong wire type", () => {
    const point = len(1, [...varint(4 << 3), 1]); // as_double sent as a varint
    expect(() => decodeOtlpMetricsProtobuf(request(metric("g", 5, point)))).toThrow(/NumberDataPoint\.as_double/);
  });

  it("refuses attribute values nested deeper than the limit", () => {
    let value = str(1, "leaf");
    for (let i = 0; i < 40; i++) value = len(5, len(1, value));
    const point = len(1, [...dbl(4, 1), ...kv(7, "deep", value)]);
    expect(() => decodeOtlpMetricsProtobuf(request(metric("g", 5, point)))).toThrow(/nested deeper/);
  });
});

describe("decodeOtlpMetricsJson", () => {
  it("accepts snake_case names, string int64s, enum names and string doubles", () => {
    const doc = {
      resource_metrics: [
        {
          resource: { attributes: [{ key: "service.name", value: { string_value: "ratings" } }] },
          scope_metrics: [
            {
              metrics: [
                {
                  name: "istio_request_duration_milliseconds",
                  histogram: {
                    aggregation_temporality: "AGGREGATION_TEMPORALITY_DELTA",
                    data_points: [
                      {
                        time_unix_nano: NS.toString(),
                        count: "4",
                        sum: "NaN",
                        bucket_counts: ["1", 3],
                        explicit_bounds: [0.5],
                        attributes: [{ key: "reporter", value: { stringValue: "source" } }],
                      },
                    ],
                  },
                },
              ],
            },
          ],
        },
      ],
    };
    const [p] = decodeOtlpMetricsJson(JSON.stringify(doc)).points;
    expect(p).toMatchObject({ kind: "histogram", temporality: "delta", count: 4, timeUs: 1718000000123456 });
    expect(p?.sum).toBeNaN();
    expect(p?.bucketCounts).toEqual([1, 3]);
    expect({ ...p?.labels }).toEqual({ "service.name": "ratings", reporter: "source" });
  });

  it("rejects text that is not JSON as malformed", () => {
    expect(() => decodeOtlpMetricsJson("{not json")).toThrow(WireError);
    expect(() => decodeOtlpMetricsJson("{not json")).toThrow(/invalid OTLP\/JSON/);
  });

  it("names the JSON path of a value with the wrong type", () => {
    const doc = {
      resourceMetrics: [{ scopeMetrics: [{ metrics: [{ name: "g", gauge: { dataPoints: [{ asDouble: {} }] } }] }] }],
    };
    expect(() => decodeOtlpMetricsJson(JSON.stringify(doc))).toThrow(
      "invalid OTLP/JSON at $.resourceMetrics[0].scopeMetrics[0].metrics[0].gauge.dataPoints[0].asDouble: expected a number",
    );
  });

  it("does not let a __proto__ key in the JSON reach an object's prototype", () => {
    const text =
      '{"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"name":"g","gauge":{"dataPoints":[{"asInt":"1",' +
      '"attributes":[{"key":"__proto__","value":{"stringValue":"x"}}]}]}}]}]}]}';
    const [p] = decodeOtlpMetricsJson(text).points;
    expect(Object.keys(p?.labels ?? {})).toEqual(["__proto__"]);
    expect(Object.getPrototypeOf(p?.labels)).toBeNull();
  });
});
