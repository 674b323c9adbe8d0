import type { Attributes, AttributeValue } from "@meshscope/model";
import { type DecodeContext, setAttribute } from "../decode-context.js";
import { bytesToBase64 } from "../encoding.js";
import { MAX_NESTING_DEPTH, type ProtoReader, WIRE_I64, WIRE_LEN, WIRE_VARINT } from "./protobuf-reader.js";

/**
 * common.proto: KeyValue{key=1, value=2}, AnyValue oneof {string_value=1, bool_value=2, int_value=3 (int64),
 * double_value=4, array_value=5, kvlist_value=6, bytes_value=7}, ArrayValue{values=1}, KeyValueList{values=1}.
 */

const TWO_POW_32 = 4294967296;

/** int64 two's complement halves → number when it is a safe integer (|v| < 2^53), else its decimal string. */
export function int64Value(lo: number, hi: number): number | string {
  // hi < 2^21 ⇔ 0 ≤ v < 2^53; hi ≥ 2^32 − 2^21 ⇔ −2^53 ≤ v < 0. Both products are exact doubles.
  if (hi < 0x200000) return hi * TWO_POW_32 + lo;
  if (hi >= 0xffe00000) {
    const v = (hi - TWO_POW_32) * TWO_POW_32 + lo;
    if (v >= -Number.MAX_SAFE_INTEGER) return v;
  }
  return BigInt.asIntN(64, (BigInt(hi) << 32n) | BigInt(lo)).toString();
}

/** JSON has no NaN or ±Infinity: keep them as the strings the proto3 JSON mapping uses for them. */
export function doubleValue(v: number): number | string {
  return Number.isFinite(v) ? v : String(v);
}

/** One KeyValue message into `target`. */
export function decodeKeyValue(r: ProtoReader, end: number, target: Attributes, ctx: DecodeContext, depth: number) {
  let key = "";
  let value: AttributeValue = null;
  while (r.pos < end) {
    const tag = r.tag(end);
    switch (tag >>> 3) {
      case 1:
        r.expect(tag, WIRE_LEN, "KeyValue.key");
        key = r.string(end);
        break;
      case 2: {
        r.expect(tag, WIRE_LEN, "KeyValue.value");
        const valueEnd = r.lengthEnd(end);
        value = decodeAnyValue(r, valueEnd, ctx, depth);
        r.pos = valueEnd;
        break;
      }
      default:
        r.skip(tag, end);
    }
  }
  setAttribute(target, key, value);
}

/** An AnyValue message; an empty one (no oneof member set) is null. */
export function decodeAnyValue(r: ProtoReader, end: number, ctx: DecodeContext, depth: number): AttributeValue {
  let value: AttributeValue = null;
  while (r.pos < end) {
    const tag = r.tag(end);
    switch (tag >>> 3) {
      case 1:
        r.expect(tag, WIRE_LEN, "AnyValue.string_value");
        value = ctx.limitString(r.string(end));
        break;
      case 2:
        r.expect(tag, WIRE_VARINT, "AnyValue.bool_value");
        r.varint64(end);
        value = (r.lo | r.hi) !== 0;
        break;
      case 3:
        r.expect(tag, WIRE_VARINT, "AnyValue.int_value");
        r.varint64(end);
        value = int64Value(r.lo, r.hi);
        break;
      case 4:
        r.expect(tag, WIRE_I64, "AnyValue.double_value");
        value = doubleValue(r.double(end));
        break;
      case 5:
      case 6: {
        const isArray = tag >>> 3 === 5;
        r.expect(tag, WIRE_LEN, isArray ? "AnyValue.array_value" : "AnyValue.kvlist_value");
        if (depth >= MAX_NESTING_DEPTH) r.fail(`AnyValue nested deeper than ${MAX_NESTING_DEPTH} levels`);
        const innerEnd = r.lengthEnd(end);
        value = isArray
          ? decodeArrayValue(r, innerEnd, ctx, depth + 1)
          : decodeKeyValueList(r, innerEnd, ctx, depth + 1);
        r.pos = innerEnd;
        break;
      }
      case 7: {
        r.expect(tag, WIRE_LEN, "AnyValue.bytes_value");
        const bytesEnd = r.lengthEnd(end);
        value = ctx.limitString(bytesToBase64(r.buf, r.pos, bytesEnd));
        r.pos = bytesEnd;
        break;
      }
      default:
        r.skip(tag, end);
    }
  }
  return value;
}

function decodeArrayValue(r: ProtoReader, end: number, ctx: DecodeContext, depth: number): AttributeValue[] {
  const values: AttributeValue[] = [];
  while (r.pos < end) {
    const tag = r.tag(end);
    if (tag >>> 3 === 1) {
      r.expect(tag, WIRE_LEN, "ArrayValue.values");
      const valueEnd = r.lengthEnd(end);
      values.push(decodeAnyValue(r, valueEnd, ctx, depth));
      r.pos = valueEnd;
    } else {
      r.skip(tag, end);
    }
  }
  return values;
}

function decodeKeyValueList(r: ProtoReader, end: number, ctx: DecodeContext, depth: number): Attributes {
  const values: Attributes = {};
  while (r.pos < end) {
    const tag = r.tag(end);
    if (tag >>> 3 === 1) {
      r.expect(tag, WIRE_LEN, "KeyValueList.values");
      const kvEnd = r.lengthEnd(end);
      decodeKeyValue(r, kvEnd, values, ctx, depth);
      r.pos = kvEnd;
    } else {
      r.skip(tag, end);
    }
  }
  return values;
}

/**
 * Reads one `repeated KeyValue attributes` element into `target` unless `target` already holds `max`
 * attributes; returns 1 when it dropped the element (the caller adds it to its dropped count), else 0.
 */
export function decodeAttributeField(
  r: ProtoReader,
  tag: number,
  end: number,
  target: Attributes,
  count: number,
  ctx: DecodeContext,
  field: string,
): number {
  r.expect(tag, WIRE_LEN, field);
  const kvEnd = r.lengthEnd(end);
  let dropped = 0;
  if (count < ctx.limits.maxAttributesPerSpan) {
    decodeKeyValue(r, kvEnd, target, ctx, 0);
  } else {
    ctx.truncatedAttributes++;
    dropped = 1;
  }
  r.pos = kvEnd;
  return dropped;
}
