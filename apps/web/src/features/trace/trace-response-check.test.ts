import { TraceResponse } from "@meshscope/model";
import { describe, expect, it } from "vitest";
import { span } from "./test-spans.test-support";
import { checkTraceResponse, TraceShapeError } from "./trace-response-check";

/** A valid answer with every optional part present, as JSON text (the check sees parsed JSON, as in the page). */
function validAnswer(): Record<string, unknown> {
  const answer = {
    traceId: "0af7651916cd43dd8448eb211c80319c",
    spans: [
      span("a", null, 0, 50, {
        namespace: "bookinfo",
        kind: "server",
        status: { code: "error", message: "boom" },
        attributes: {
          s: "<img src=x onerror=alert(1)>",
          n: 1.5,
          b: true,
          z: null,
          arr: [1, "x", [true]],
          map: { k: 1 },
        },
        resource: { "service.name": "svc" },
        scope: { name: "lib", version: "1.0" },
        events: [{ time: 3, name: "retry", attributes: { attempt: 2 } }],
        links: [{ traceId: "t2", spanId: "s2", attributes: {} }],
      }),
      span("b", "a", 10, 5),
    ],
  };
  return JSON.parse(JSON.stringify(answer));
}

type Mutation = [string, (answer: Record<string, unknown>) => void];

function firstSpan(answer: Record<string, unknown>): Record<string, unknown> {
  const spans = answer.spans;
  if (!Array.isArray(spans) || typeof spans[0] !== "object" || spans[0] === null) throw new Error("test answer");
  return spans[0];
}

function nested(depth: number): unknown {
  let value: unknown = "leaf";
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}

/** Each breaks one field of the answer; zod's TraceResponse refuses every one of them. */
const BROKEN: Mutation[] = [
  ["spans given as a string", (a) => Object.assign(a, { spans: "x" })],
  ["a numeric trace id", (a) => Object.assign(a, { traceId: 7 })],
  ["spans missing", (a) => Reflect.deleteProperty(a, "spans")],
  ["a span that is a string", (a) => Object.assign(a, { spans: ["span"] })],
  ["a span without id", (a) => Reflect.deleteProperty(firstSpan(a), "spanId")],
  ["a numeric parent id", (a) => Object.assign(firstSpan(a), { parentSpanId: 1 })],
  ["a missing parent id (null is required)", (a) => Reflect.deleteProperty(firstSpan(a), "parentSpanId")],
  ["a null service", (a) => Object.assign(firstSpan(a), { service: null })],
  ["a numeric namespace", (a) => Object.assign(firstSpan(a), { namespace: 3 })],
  ["an unknown kind", (a) => Object.assign(firstSpan(a), { kind: "sideways" })],
  ["a start given as text", (a) => Object.assign(firstSpan(a), { start: "0" })],
  ["an infinite duration", (a) => Object.assign(firstSpan(a), { duration: Number.POSITIVE_INFINITY })],
  ["an unknown status code", (a) => Object.assign(firstSpan(a), { status: { code: "ERROR" } })],
  ["a numeric status message", (a) => Object.assign(firstSpan(a), { status: { code: "ok", message: 1 } })],
  ["attributes as an array", (a) => Object.assign(firstSpan(a), { attributes: [] })],
  ["an attribute that is a function", (a) => Object.assign(firstSpan(a), { attributes: { f: () => 1 } })],
  ["attribute values nested past the limit", (a) => Object.assign(firstSpan(a), { attributes: { deep: nested(40) } })],
  ["a null resource", (a) => Object.assign(firstSpan(a), { resource: null })],
  ["a scope without name", (a) => Object.assign(firstSpan(a), { scope: { version: "1" } })],
  ["a numeric scope version", (a) => Object.assign(firstSpan(a), { scope: { name: "x", version: 1 } })],
  ["events as an object", (a) => Object.assign(firstSpan(a), { events: {} })],
  ["an event without time", (a) => Object.assign(firstSpan(a), { events: [{ name: "e", attributes: {} }] })],
  [
    "an event with bad attributes",
    (a) => Object.assign(firstSpan(a), { events: [{ time: 1, name: "e", attributes: 1 }] }),
  ],
  ["a link without span id", (a) => Object.assign(firstSpan(a), { links: [{ traceId: "t", attributes: {} }] })],
  [
    "a link with a numeric trace id",
    (a) => Object.assign(firstSpan(a), { links: [{ traceId: 1, spanId: "s", attributes: {} }] }),
  ],
];

describe("checkTraceResponse", () => {
  it("accepts a valid answer and returns the same data zod returns", () => {
    const answer = validAnswer();
    expect(checkTraceResponse(answer)).toEqual(TraceResponse.parse(validAnswer()));
  });

  it("hands back the parsed spans themselves rather than copies", () => {
    const answer = validAnswer();
    expect(checkTraceResponse(answer).spans).toBe(answer.spans);
  });

  it("accepts attribute values nested up to the schema's limit, as zod does", () => {
    const answer = validAnswer();
    Object.assign(firstSpan(answer), { attributes: { deep: nested(31) } });
    expect(TraceResponse.safeParse(answer).success).toBe(true);
    expect(() => checkTraceResponse(answer)).not.toThrow();
  });

  it("keeps an attribute whose untrusted key is __proto__ as plain data", () => {
    const answer = JSON.parse(
      '{"traceId":"t","spans":[{"spanId":"a","parentSpanId":null,"service":"s","namespace":null,"name":"n",' +
        '"kind":"server","start":0,"duration":1,"status":{"code":"unset"},"attributes":{"__proto__":{"polluted":1}},' +
        '"resource":{},"scope":null,"events":[],"links":[]}]}',
    );
    const checked = checkTraceResponse(answer);
    expect(Object.keys(checked.spans[0]?.attributes ?? {})).toEqual(["__proto__"]);
    expect(Object.getPrototypeOf(checked.spans[0]?.attributes)).toBe(Object.prototype);
  });

  it.each(BROKEN)("refuses %s, as zod does, naming the field", (_label, breakIt) => {
    const answer = validAnswer();
    breakIt(answer);
    expect(TraceResponse.safeParse(answer).success).toBe(false);
    expect(() => checkTraceResponse(answer)).toThrow(TraceShapeError);
  });

  it("names the span and field that broke the shape", () => {
    const answer = validAnswer();
    const spans = answer.spans;
    if (!Array.isArray(spans)) throw new Error("test answer");
    spans[1] = { ...spans[1], kind: "sideways" };
    expect(() => checkTraceResponse(answer)).toThrow(
      'spans[1].kind: expected one of unspecified|internal|server|client|producer|consumer, got string "sideways"',
    );
    expect(() => checkTraceResponse(null)).toThrow("answer: expected an object, got null");
    expect(() => checkTraceResponse([])).toThrow("answer: expected an object, got an array");
  });
});
