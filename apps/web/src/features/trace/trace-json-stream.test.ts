import { describe, expect, it } from "vitest";
import { span } from "./test-spans.test-support";
import { parseTraceBody, TraceJsonError, TraceJsonStream } from "./trace-json-stream";

/** Splits text into pieces of the given sizes, cycling: boundaries fall inside strings, escapes and numbers. */
function pieces(text: string, sizes: readonly number[]): string[] {
  const out: string[] = [];
  for (let at = 0, k = 0; at < text.length; k++) {
    const size = sizes[k % sizes.length] as number;
    out.push(text.slice(at, at + size));
    at += size;
  }
  return out;
}

const SPLITS: readonly (readonly number[])[] = [[1], [2, 3], [7], [64], [1_000_000]];

function streamParse(text: string, sizes: readonly number[]): unknown {
  const stream = new TraceJsonStream();
  for (const piece of pieces(text, sizes)) stream.push(piece);
  return stream.finish();
}

const tricky = [
  'brackets ] [ } { and , commas: "quoted"',
  "back\\slash at the end \\",
  '\\\\"',
  "<img src=x onerror=alert(1)>",
  "ünïcødé → 漢字 🚀",
];

function trace(spanCount: number): Record<string, unknown> {
  return {
    traceId: "0af7651916cd43dd8448eb211c80319c",
    spans: Array.from({ length: spanCount }, (_, i) =>
      span(`s${i}`, i === 0 ? null : "s0", i, 1, {
        name: tricky[i % tricky.length] as string,
        attributes: { [`k ${tricky[i % tricky.length]}`]: [i, -1.5e-7, true, null, { nested: ["]", "}"] }] },
      }),
    ),
  };
}

describe("TraceJsonStream", () => {
  it.each(SPLITS)("gives what JSON.parse gives, whatever the pieces (sizes %j)", (...sizes) => {
    for (const text of [
      JSON.stringify(trace(40)),
      JSON.stringify(trace(40), null, 2),
      JSON.stringify({ spans: trace(3).spans, traceId: "spans first", extra: { spans: "nested, not top-level" } }),
      JSON.stringify({ traceId: "t", spans: [] }),
      ' \n { "traceId" : "t" , "spans" : [ ] } \n',
      JSON.stringify({ traceId: "t", spans: [1, "two", [3], { four: 4 }, null] }),
      JSON.stringify({ "sp\\u0061ns?": 1, traceId: "t", spans: [{ a: 1 }] }),
    ]) {
      expect(streamParse(text, sizes)).toEqual(JSON.parse(text));
    }
  });

  it("hands over a value that is not a trace object as JSON.parse reads it", () => {
    for (const text of ['[{"spans":[1]}]', '"text"', "42", '{"error":{"code":"x","message":"y"}}']) {
      expect(streamParse(text, [3])).toEqual(JSON.parse(text));
    }
  });

  const invalid = [
    '{"traceId":"t","spans":[{"a":1},]}',
    '{"traceId":"t","spans":[,{"a":1}]}',
    '{"traceId":"t","spans":[{"a":1},,{"b":2}]}',
    '{"traceId":"t","spans":[{"a":1} {"b":2}]}',
    '{"traceId":"t","spans":[{"a":1}}',
    '{"traceId":"t","spans":[{"a":1}]]}',
    '{"traceId":"t","spans":[{"a":1}]',
    '{"traceId":"t","spans":[{"a":"unterminated}]}',
    '{"traceId":"t","spans":[{"a":1}],}',
    '{"traceId":"t" "spans":[]}',
    '{"traceId":"t","spans":[tru]}',
  ];

  it.each(invalid)("refuses text JSON.parse refuses: %s", (text) => {
    expect(() => JSON.parse(text)).toThrow(SyntaxError);
    for (const sizes of SPLITS) expect(() => streamParse(text, sizes)).toThrow();
  });

  it("refuses a spans member that is not an array, or that appears twice", () => {
    expect(() => streamParse('{"traceId":"t","spans":{"0":1}}', [4])).toThrow(TraceJsonError);
    expect(() => streamParse('{"spans":[],"traceId":"t","spans":[1]}', [4])).toThrow(TraceJsonError);
    expect(() => streamParse('{"spans":1,"spans":[1]}', [4])).toThrow(TraceJsonError);
  });
});

describe("parseTraceBody", () => {
  it("decodes UTF-8 split inside multi-byte characters", async () => {
    const text = JSON.stringify(trace(25));
    const bytes = new TextEncoder().encode(text);
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let at = 0; at < bytes.length; at += 5) controller.enqueue(bytes.subarray(at, at + 5));
        controller.close();
      },
    });
    expect(await parseTraceBody(body)).toEqual(JSON.parse(text));
  });
});
