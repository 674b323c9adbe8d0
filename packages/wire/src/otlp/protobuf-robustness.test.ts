import { beforeAll, describe, expect, it } from "vitest";
import { WireError } from "../errors.js";
import { HOSTILE_ATTRIBUTES } from "../testing/golden-constants.js";
import { type GoldenFixture, goldenFixture } from "../testing/otel-fixtures.js";
import {
  bytesField,
  concat,
  doubleField,
  fixed64Field,
  keyValue,
  lenField,
  request,
  SPAN_ID,
  START_NS,
  span,
  stringField,
  TRACE_ID,
  tag,
  unknownFieldsOfEveryType,
  varintField,
} from "../testing/proto-writer.js";
import { decodeOtlpTracesJson } from "./decode-json.js";
import { decodeOtlpTracesProtobuf } from "./decode-protobuf.js";

let golden: GoldenFixture;
beforeAll(() => {
  golden = goldenFixture();
});

function decodeError(bytes: Uint8Array): WireError {
  try {
    decodeOtlpTracesProtobuf(bytes);
  } catch (error) {
    if (error instanceof WireError) return error;
    throw error;
  }
  throw new Error("expected a WireError");
}

const attribute = (key: string, anyValue: number[]) => lenField(9, keyValue(key, anyValue));

describe("decodeOtlpTracesProtobuf and forward compatibility", () => {
  it("skips unknown fields of every wire type at every level", () => {
    const unknown = unknownFieldsOfEveryType();
    const anyValue = concat(unknown, stringField(1, "kept"));
    const spanBytes = span(unknown, attribute("k", anyValue), lenField(15, concat(unknown, varintField(3, 2))));
    const scopeSpans = concat(unknown, lenField(1, concat(stringField(1, "lib"), unknown)), lenField(2, spanBytes));
    const resourceSpans = concat(unknown, lenField(2, scopeSpans));
    const bytes = new Uint8Array(concat(unknown, lenField(1, resourceSpans)));
    const [decoded] = decodeOtlpTracesProtobuf(bytes).spans;
    expect(decoded).toMatchObject({
      traceId: TRACE_ID,
      spanId: SPAN_ID,
      kind: "server",
      attributes: { k: "kept" },
      status: { code: "error" },
      scope: { name: "lib" },
    });
  });
});

describe("decodeOtlpTracesProtobuf refuses malformed bytes, naming the problem", () => {
  it("refuses a known field with the wrong wire type", () => {
    const error = decodeError(request([span(varintField(5, 1))]));
    expect(error.code).toBe("malformed");
    expect(error.message).toMatch(/Span\.name \(field 5\) has wire type VARINT, expected LEN at offset \d+/);
  });

  it("refuses a truncated varint and a length past the end", () => {
    expect(decodeError(new Uint8Array([0x0a, 0x80])).message).toMatch(/truncated (length|varint) at offset 2/);
    expect(decodeError(new Uint8Array([0x0a, 0x05, 0x01])).message).toMatch(
      /length 5 runs past the end .* at offset 1/,
    );
    // Field 2 is unknown at the top level, so these reach the skipping code.
    expect(
      decodeError(new Uint8Array([0x10, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01])).message,
    ).toMatch(/varint longer than 10 bytes/);
  });

  it("refuses field number 0, wire types 6 and 7, and unbalanced groups", () => {
    expect(decodeError(new Uint8Array([0x00, 0x00])).message).toMatch(/field number 0/);
    expect(decodeError(new Uint8Array([0x16])).message).toMatch(/invalid wire type 6/);
    expect(decodeError(new Uint8Array([0x14])).message).toMatch(/unexpected end of group/);
    expect(decodeError(new Uint8Array([...tag(7, 3), ...tag(8, 4)])).message).toMatch(
      /group of field 7 closed by field 8/,
    );
  });

  it("refuses trace and span ids of the wrong length as invalid fields", () => {
    const error = decodeError(request([span(bytesField(1, "0af7651916cd43dd8448eb211c8031"))]));
    expect(error.code).toBe("invalid_field");
    expect(error.message).toMatch(/^Span\.trace_id at offset \d+: must be 16 bytes, got 15$/);
    expect(decodeError(request([span(bytesField(4, "01"))])).message).toMatch(
      /Span\.parent_span_id .* must be 8 bytes, got 1/,
    );
  });

  it("refuses attribute values nested deeper than the bound", () => {
    let value = stringField(1, "leaf");
    for (let i = 0; i < 40; i++) value = lenField(5, lenField(1, value));
    expect(decodeError(request([span(attribute("deep", value))])).message).toMatch(/nested deeper than 32/);
  });

  it("throws nothing but WireError on random and mutated bytes", () => {
    let seed = 0x5eed;
    const random = () => {
      // mulberry32: a seeded PRNG, so a failure reproduces.
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    let decoded = 0;
    for (let i = 0; i < 2000; i++) {
      let bytes: Uint8Array;
      if (i % 2 === 0) {
        bytes = new Uint8Array(Math.floor(random() * 256));
        for (let j = 0; j < bytes.length; j++) bytes[j] = Math.floor(random() * 256);
      } else {
        bytes = golden.protobuf.slice(0, Math.floor(random() * golden.protobuf.length) + 1);
        for (let flips = 1 + Math.floor(random() * 4); flips > 0; flips--) {
          bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
        }
      }
      try {
        decodeOtlpTracesProtobuf(bytes);
        decoded++;
      } catch (error) {
        if (!(error instanceof WireError)) throw new Error(`case ${i} threw ${String(error)}`);
      }
    }
    // Some inputs must get through, or the loop only exercised the first check.
    expect(decoded).toBeGreaterThan(0);
  });
});

describe("decodeOtlpTracesProtobuf values", () => {
  it("converts int64 edge values to numbers when safe and to exact decimal strings otherwise", () => {
    const ints: [string, bigint][] = [
      ["minusOne", -1n],
      ["maxSafe", 2n ** 53n - 1n],
      ["minSafe", -(2n ** 53n - 1n)],
      ["pastSafe", 2n ** 53n],
      ["belowSafe", -(2n ** 53n)],
      ["max", 2n ** 63n - 1n],
      ["min", -(2n ** 63n)],
    ];
    const bytes = request([
      span(...ints.map(([key, v]) => attribute(key, varintField(3, v))), attribute("nan", doubleField(4, Number.NaN))),
    ]);
    const [decoded] = decodeOtlpTracesProtobuf(bytes).spans;
    expect(decoded?.attributes).toEqual({
      minusOne: -1,
      maxSafe: Number.MAX_SAFE_INTEGER,
      minSafe: -Number.MAX_SAFE_INTEGER,
      pastSafe: "9007199254740992",
      belowSafe: "-9007199254740992",
      max: "9223372036854775807",
      min: "-9223372036854775808",
      nan: "NaN",
    });
  });

  it("converts far-future nanosecond timestamps exactly and rejects those past 2^53 µs", () => {
    const year2100 = 4102444800123456789n;
    const far = span(fixed64Field(7, year2100), fixed64Field(8, year2100 + 999n));
    const tooFar = span(fixed64Field(7, 2n ** 63n - 2n), fixed64Field(8, 2n ** 63n - 1n));
    const result = decodeOtlpTracesProtobuf(request([far, tooFar]));
    // Each end is truncated to its µs (…456.789 → …456, …457.788 → …457), so start + duration = end.
    expect(result.spans.map((s) => [s.startUs, s.durationUs])).toEqual([[4102444800123456, 1]]);
    expect(result.rejectReasons).toEqual(["end time is out of range"]);
  });

  it("rejects spans with zero ids, no start or an end before the start, keeping the others", () => {
    const result = decodeOtlpTracesProtobuf(
      request([
        span(),
        span(bytesField(1, "00".repeat(16))),
        span(bytesField(2, "")),
        span(fixed64Field(7, 0n)),
        span(fixed64Field(8, START_NS - 1000n)),
      ]),
    );
    expect(result.spans).toHaveLength(1);
    expect(result.rejectedSpans).toBe(4);
    expect(result.rejectReasons).toEqual([
      "trace id is empty or all zeros",
      "span id is empty or all zeros",
      "start time is missing",
      "end time is before start time",
    ]);
  });

  it("applies attribute, event and link limits with counting", () => {
    const event = lenField(11, concat(fixed64Field(1, START_NS), stringField(2, "e")));
    const link = lenField(13, concat(bytesField(1, TRACE_ID), bytesField(2, SPAN_ID)));
    const bytes = request(
      [
        span(
          ...["a", "b", "c", "d"].map((k) => attribute(k, stringField(1, "v"))),
          varintField(10, 5),
          event,
          event,
          event,
          link,
          link,
        ),
      ],
      [keyValue("service.name", stringField(1, "svc")), keyValue("extra", stringField(1, "x"))],
    );
    const result = decodeOtlpTracesProtobuf(bytes, {
      maxAttributesPerSpan: 2,
      maxEventsPerSpan: 1,
      maxLinksPerSpan: 1,
    });
    const [decoded] = result.spans;
    expect(Object.keys(decoded?.attributes ?? {})).toEqual(["a", "b"]);
    expect(decoded?.droppedAttributesCount).toBe(5 + 2);
    expect(decoded?.events).toHaveLength(1);
    expect(decoded?.droppedEventsCount).toBe(2);
    expect(decoded?.links).toHaveLength(1);
    expect(decoded?.droppedLinksCount).toBe(1);
    expect(decoded?.service).toBe("svc");
    expect(result.truncatedAttributes).toBe(2);
  });
});

describe("hostile strings from a real SDK span", () => {
  it("are kept as data, and a 1 MiB value is truncated and counted, in both encodings", () => {
    for (const result of [decodeOtlpTracesProtobuf(golden.hostileProtobuf), decodeOtlpTracesJson(golden.hostileJson)]) {
      const [decoded] = result.spans;
      expect(decoded?.name).toBe("<img src=x onerror=alert(1)>");
      expect(decoded?.attributes.markup).toBe(HOSTILE_ATTRIBUTES.markup);
      expect(decoded?.attributes.nul).toBe("a\u0000b");
      expect(decoded?.attributes.huge).toBe("z".repeat(4096));
      expect(result.truncatedAttributes).toBe(1);
    }
    // UTF-8 cannot carry a lone surrogate: the protobuf encoder sent U+FFFD; JSON escapes keep it as it was.
    expect(decodeOtlpTracesProtobuf(golden.hostileProtobuf).spans[0]?.attributes.loneSurrogate).toBe("x\ufffdy");
    expect(decodeOtlpTracesJson(golden.hostileJson).spans[0]?.attributes.loneSurrogate).toBe("x\ud800y");
  });

  it("do not cut a surrogate pair in half when truncating", () => {
    const bytes = request([span(attribute("emoji", stringField(1, "ab😀cd")))]);
    expect(decodeOtlpTracesProtobuf(bytes, { maxAttributeValueLength: 3 }).spans[0]?.attributes.emoji).toBe("ab");
  });
});
