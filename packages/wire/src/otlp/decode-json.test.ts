import { beforeAll, describe, expect, it } from "vitest";
import { WireError } from "../errors.js";
import { type GoldenFixture, goldenFixture } from "../testing/otel-fixtures.js";
import { decodeOtlpTracesJson } from "./decode-json.js";

let golden: GoldenFixture;
beforeAll(() => {
  golden = goldenFixture();
});

const TRACE_ID = "5b8efff798038103d269b633813fc60c";
const SPAN_ID = "eee19b7ec3c1b174";

/** A minimal valid OTLP/JSON request around one span, with `span` fields overriding the defaults. */
function request(span: Record<string, unknown>, resourceAttributes: unknown[] = []): string {
  return JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: resourceAttributes },
        scopeSpans: [
          {
            scope: { name: "test" },
            spans: [
              {
                traceId: TRACE_ID,
                spanId: SPAN_ID,
                name: "op",
                kind: 2,
                startTimeUnixNano: "1718000000000000000",
                endTimeUnixNano: "1718000000250000000",
                ...span,
              },
            ],
          },
        ],
      },
    ],
  });
}

function decodeError(text: string): WireError {
  try {
    decodeOtlpTracesJson(text);
  } catch (error) {
    if (error instanceof WireError) return error;
    throw error;
  }
  throw new Error("expected a WireError");
}

describe("decodeOtlpTracesJson on requests from the OpenTelemetry JS serializer", () => {
  it("round-trips every field of every span", () => {
    const result = decodeOtlpTracesJson(golden.json);
    expect(result.rejectedSpans).toBe(0);
    expect(result.spans).toHaveLength(golden.expected.length);
    for (const expected of golden.expected) {
      expect(result.spans.find((s) => s.spanId === expected.spanId)).toEqual(expected);
    }
  });

  it("decodes to the same records as the protobuf encoding of the same spans", async () => {
    const { decodeOtlpTracesProtobuf } = await import("./decode-protobuf.js");
    expect(decodeOtlpTracesJson(golden.json).spans).toEqual(decodeOtlpTracesProtobuf(golden.protobuf).spans);
  });
});

describe("decodeOtlpTracesJson accepts the spellings the OTLP spec allows", () => {
  it("reads snake_case field names, enum names, upper-case hex ids and int64 as numbers", () => {
    const text = JSON.stringify({
      resource_spans: [
        {
          scope_spans: [
            {
              spans: [
                {
                  trace_id: TRACE_ID.toUpperCase(),
                  span_id: SPAN_ID.toUpperCase(),
                  parent_span_id: "",
                  name: "op",
                  kind: "SPAN_KIND_CLIENT",
                  // A JSON number: exact here because 1718·10^15 is a multiple of a large power of two.
                  start_time_unix_nano: 1718000000000000000,
                  end_time_unix_nano: "1718000000000999999",
                  status: { code: "STATUS_CODE_ERROR", message: "boom" },
                  attributes: [
                    { key: "n", value: { int_value: 7 } },
                    { key: "s", value: { intValue: "-9007199254740993" } },
                    { key: "b", value: { bytesValue: "3q2+7w==" } },
                    { key: "d", value: { doubleValue: "NaN" } },
                    { key: "kv", value: { kvlistValue: { values: [{ key: "x", value: { boolValue: true } }] } } },
                    { key: "empty", value: {} },
                  ],
                },
              ],
            },
          ],
        },
      ],
    });
    const [span] = decodeOtlpTracesJson(text).spans;
    expect(span).toMatchObject({
      traceId: TRACE_ID,
      spanId: SPAN_ID,
      parentSpanId: null,
      kind: "client",
      service: "unknown_service",
      startUs: 1718000000000000,
      durationUs: 999,
      status: { code: "error", message: "boom" },
      attributes: { n: 7, s: "-9007199254740993", b: "3q2+7w==", d: "NaN", kv: { x: true }, empty: null },
    });
  });

  it("tolerates base64 ids, which some exporters send by mistake", () => {
    const [span] = decodeOtlpTracesJson(request({ traceId: "W47/95gDgQPSabYzgT/GDA==", spanId: "7uGbfsPBsXQ=" })).spans;
    expect(span?.traceId).toBe(TRACE_ID);
    expect(span?.spanId).toBe(SPAN_ID);
  });
});

describe("decodeOtlpTracesJson refuses invalid requests with a message naming the field", () => {
  it("names the path of a timestamp that is not an integer string", () => {
    const error = decodeError(request({ startTimeUnixNano: "soon" }));
    expect(error.code).toBe("invalid_field");
    expect(error.message).toBe("resourceSpans[0].scopeSpans[0].spans[0].startTimeUnixNano: expected integer string");
  });

  it("refuses trace and span ids of the wrong length", () => {
    expect(decodeError(request({ traceId: "abc123" })).message).toMatch(/spans\[0\]\.traceId: expected 32 hex digits/);
    expect(decodeError(request({ spanId: `${SPAN_ID}00` })).message).toMatch(/spans\[0\]\.spanId: expected 16 hex/);
    expect(decodeError(request({ parentSpanId: "zz" })).code).toBe("invalid_field");
  });

  it("names nested attribute values of the wrong type", () => {
    const error = decodeError(
      request({ attributes: [{ key: "k", value: { arrayValue: { values: [{ boolValue: 1 }] } } }] }),
    );
    expect(error.message).toBe(
      "resourceSpans[0].scopeSpans[0].spans[0].attributes[0].value.arrayValue.values[0].boolValue: expected boolean, got number",
    );
  });

  it("answers malformed JSON and a non-object root as errors, not crashes", () => {
    expect(decodeError("{").code).toBe("malformed");
    expect(decodeError("[]").message).toBe("$: expected an ExportTraceServiceRequest object, got array");
    expect(decodeError(JSON.stringify({ resourceSpans: {} })).message).toBe(
      "resourceSpans: expected array, got object",
    );
  });

  it("refuses AnyValues nested beyond the bound", () => {
    let value: unknown = { stringValue: "leaf" };
    for (let i = 0; i < 40; i++) value = { arrayValue: { values: [value] } };
    expect(decodeError(request({ attributes: [{ key: "deep", value }] })).message).toMatch(/nested deeper than 32/);
  });
});

describe("decodeOtlpTracesJson rejects bad spans one by one", () => {
  it("drops spans with all-zero ids or an end before the start, keeping the rest", () => {
    const good = {
      traceId: TRACE_ID,
      spanId: SPAN_ID,
      name: "ok",
      startTimeUnixNano: "2000000",
      endTimeUnixNano: "3000000",
    };
    const text = JSON.stringify({
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                good,
                { ...good, traceId: "0".repeat(32) },
                { ...good, spanId: "0".repeat(16) },
                { ...good, endTimeUnixNano: "1000000" },
              ],
            },
          ],
        },
      ],
    });
    const result = decodeOtlpTracesJson(text);
    expect(result.spans.map((s) => s.name)).toEqual(["ok"]);
    expect(result.rejectedSpans).toBe(3);
    expect(result.rejectReasons).toEqual([
      "trace id is empty or all zeros",
      "span id is empty or all zeros",
      "end time is before start time",
    ]);
  });
});
