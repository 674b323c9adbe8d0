/**
 * A tiny protobuf writer for hand-made edge cases (unknown fields, wrong wire types, truncation). The happy-path
 * fixtures come from the real OpenTelemetry serializer; this only builds what that serializer never emits.
 */
export type Bytes = number[];

export function varint(value: number | bigint): Bytes {
  let v = BigInt.asUintN(64, BigInt(value));
  const out: Bytes = [];
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return out;
}

export const tag = (field: number, wireType: number): Bytes => varint((field << 3) | wireType);
export const varintField = (field: number, value: number | bigint): Bytes => [...tag(field, 0), ...varint(value)];
export const lenField = (field: number, payload: Bytes): Bytes => [
  ...tag(field, 2),
  ...varint(payload.length),
  ...payload,
];
export const stringField = (field: number, s: string): Bytes => lenField(field, [...new TextEncoder().encode(s)]);
export const bytesField = (field: number, hex: string): Bytes =>
  lenField(field, hex.match(/../g)?.map((h) => Number.parseInt(h, 16)) ?? []);

export function fixed64Field(field: number, value: bigint): Bytes {
  const out = tag(field, 1);
  for (let i = 0n; i < 8n; i++) out.push(Number((value >> (8n * i)) & 0xffn));
  return out;
}

export function doubleField(field: number, value: number): Bytes {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value, true);
  return [...tag(field, 1), ...new Uint8Array(view.buffer)];
}

export const fixed32Field = (field: number, value: number): Bytes => [
  ...tag(field, 5),
  value & 0xff,
  (value >>> 8) & 0xff,
  (value >>> 16) & 0xff,
  (value >>> 24) & 0xff,
];

/** One unknown field of every wire type, including a (deprecated) group with a nested group inside. */
export function unknownFieldsOfEveryType(): Bytes {
  return [
    ...varintField(900, 2n ** 63n),
    ...fixed64Field(901, 42n),
    ...stringField(902, "from a newer proto"),
    ...fixed32Field(903, 7),
    ...tag(904, 3),
    ...varintField(1, 1),
    ...tag(905, 3),
    ...stringField(2, "inner"),
    ...tag(905, 4),
    ...tag(904, 4),
  ];
}

export const concat = (...parts: Bytes[]): Bytes => parts.flat();

/** ExportTraceServiceRequest → ResourceSpans → ScopeSpans → the given Span payloads. */
export function request(spans: Bytes[], resourceAttributes: Bytes[] = []): Uint8Array {
  const resource = lenField(1, concat(...resourceAttributes.map((kv) => lenField(1, kv))));
  const scopeSpans = lenField(2, concat(...spans.map((s) => lenField(2, s))));
  return new Uint8Array(lenField(1, concat(resource, scopeSpans)));
}

export const keyValue = (key: string, anyValue: Bytes): Bytes => concat(stringField(1, key), lenField(2, anyValue));

export const TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
export const SPAN_ID = "b7ad6b7169203331";
export const START_NS = 1718000000123456789n;

/** A valid Span payload; `extra` fields are appended (later fields win for scalars). */
export function span(...extra: Bytes[]): Bytes {
  return concat(
    bytesField(1, TRACE_ID),
    bytesField(2, SPAN_ID),
    stringField(5, "op"),
    varintField(6, 2),
    fixed64Field(7, START_NS),
    fixed64Field(8, START_NS + 1_500_000n),
    ...extra,
  );
}
