import type { Attributes, AttributeValue } from "@meshscope/model";
import { type DecodeContext, setAttribute } from "../decode-context.js";
import { base64ToBytes, bytesToBase64, bytesToHex, normaliseHex } from "../encoding.js";
import { fieldError, isJsonObject, type JsonObject, jsonType, prependPath } from "../json-path.js";
import { doubleValue } from "./any-value-protobuf.js";
import { MAX_NESTING_DEPTH } from "./protobuf-reader.js";

/**
 * Readers of OTLP/JSON values (proto3 JSON mapping as the OTLP spec constrains it: hex ids, enums as numbers,
 * 64-bit integers as decimal strings or numbers). Each throws a JsonPathError naming the offending field.
 */

const NO_VALUES: readonly unknown[] = Object.freeze([]);

/** A field by its lowerCamelCase name, or the original snake_case name the spec allows receivers to accept. */
export function field(o: JsonObject, camel: string, snake: string): unknown {
  const value = o[camel];
  return value === undefined && camel !== snake ? o[snake] : value;
}

export function arrayField(o: JsonObject, camel: string, snake: string): readonly unknown[] {
  const value = field(o, camel, snake);
  if (value === undefined || value === null) return NO_VALUES;
  if (!Array.isArray(value)) fieldError(`.${camel}`, `expected array, got ${jsonType(value)}`);
  return value;
}

export function objectField(o: JsonObject, camel: string, snake: string): JsonObject | null {
  const value = field(o, camel, snake);
  if (value === undefined || value === null) return null;
  if (!isJsonObject(value)) fieldError(`.${camel}`, `expected object, got ${jsonType(value)}`);
  return value;
}

export function stringField(o: JsonObject, camel: string, snake: string): string {
  const value = field(o, camel, snake);
  if (value === undefined || value === null) return "";
  if (typeof value !== "string") fieldError(`.${camel}`, `expected string, got ${jsonType(value)}`);
  return value;
}

export function expectObject(value: unknown, what: string): JsonObject {
  if (!isJsonObject(value)) fieldError("", `expected ${what} object, got ${jsonType(value)}`);
  return value;
}

function isDigits(s: string, from: number): boolean {
  if (s.length <= from) return false;
  for (let i = from; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

/** A fixed64 epoch-nanoseconds field → whole µs (truncated). Strings keep full precision: the last three
 * digits are the sub-microsecond part. A JSON number above 2^53 has already lost precision in JSON.parse. */
export function nanosFieldToMicros(o: JsonObject, camel: string, snake: string): number {
  const value = field(o, camel, snake);
  if (typeof value === "string") {
    if (!isDigits(value, 0)) fieldError(`.${camel}`, "expected integer string");
    return value.length <= 3 ? 0 : Number(value.slice(0, -3));
  }
  if (typeof value === "number") {
    if (!Number.isInteger(value) || value < 0) fieldError(`.${camel}`, "expected non-negative integer");
    return Math.floor(value / 1000);
  }
  if (value === undefined || value === null) return 0;
  return fieldError(`.${camel}`, `expected integer string, got ${jsonType(value)}`);
}

/** A uint32 field (dropped counts): a number, or a decimal string as some encoders write every integer. */
export function uint32Field(o: JsonObject, camel: string, snake: string): number {
  const value = field(o, camel, snake);
  if (value === undefined || value === null) return 0;
  if (typeof value === "number" && Number.isInteger(value) && value >= 0 && value <= 0xffffffff) return value;
  if (typeof value === "string" && isDigits(value, 0) && Number(value) <= 0xffffffff) return Number(value);
  return fieldError(`.${camel}`, `expected unsigned 32-bit integer, got ${jsonType(value)}`);
}

/** An enum: its number (what OTLP/JSON requires) or its name (what proto3 JSON parsers, and the collector,
 * also accept). Unknown numbers pass through (open enums); unknown names are an error. */
export function enumField<T>(
  o: JsonObject,
  camel: string,
  snake: string,
  fromNumber: (n: number) => T,
  fromName: (name: string) => T | undefined,
  fallback: T,
): T {
  const value = field(o, camel, snake);
  if (value === undefined || value === null) return fallback;
  if (typeof value === "number" && Number.isInteger(value)) return fromNumber(value);
  if (typeof value === "string") {
    const named = fromName(value);
    if (named !== undefined) return named;
    return fieldError(`.${camel}`, "unknown enum name");
  }
  return fieldError(`.${camel}`, `expected enum number, got ${jsonType(value)}`);
}

/**
 * A trace (16-byte) or span (8-byte) id: hex in either case. Empty means absent. Some exporters send base64
 * by mistake (opentelemetry-proto#500); base64 of 16 or 8 bytes is 22–24 or 11–12 characters, lengths a hex
 * id of that size never has, so it is accepted too. Anything else is not an id: the request is invalid.
 */
export function idField(o: JsonObject, camel: string, snake: string, size: number): string {
  const value = field(o, camel, snake);
  if (value === undefined || value === null || value === "") return "";
  if (typeof value !== "string") fieldError(`.${camel}`, `expected hex string, got ${jsonType(value)}`);
  const hex = normaliseHex(value, size * 2);
  if (hex !== null) return hex;
  const base64Length = Math.ceil((size * 4) / 3);
  if (value.length >= base64Length && value.length <= base64Length + 2) {
    const bytes = base64ToBytes(value);
    if (bytes !== null && bytes.length === size) return bytesToHex(bytes, 0, size);
  }
  return fieldError(`.${camel}`, `expected ${size * 2} hex digits (${size} bytes), got ${value.length} characters`);
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** AnyValue.int_value: a decimal string (the OTLP/JSON form) or a JSON number. Number when safe. */
function int64Value(value: unknown): number | string {
  if (typeof value === "number") {
    if (!Number.isInteger(value)) fieldError(".intValue", "expected integer");
    if (Number.isSafeInteger(value)) return value;
    const big = BigInt(value);
    if (big < INT64_MIN || big > INT64_MAX) fieldError(".intValue", "integer outside the int64 range");
    return big.toString();
  }
  if (typeof value !== "string" || !isDigits(value, value.charCodeAt(0) === 0x2d ? 1 : 0)) {
    return fieldError(".intValue", `expected integer string, got ${jsonType(value)}`);
  }
  const n = Number(value);
  if (Number.isSafeInteger(n)) return n;
  const big = BigInt(value);
  if (big < INT64_MIN || big > INT64_MAX) fieldError(".intValue", "integer outside the int64 range");
  return big.toString();
}

/** AnyValue.double_value: a number, or one of the strings the proto3 JSON mapping uses (NaN, ±Infinity). */
function jsonDoubleValue(value: unknown): number | string {
  if (typeof value === "number") return value;
  if (value === "NaN" || value === "Infinity" || value === "-Infinity") return value;
  if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value))) {
    return doubleValue(Number(value));
  }
  return fieldError(".doubleValue", `expected number, got ${jsonType(value)}`);
}

/** An AnyValue object. Its one member is found by iterating keys, which is cheaper than probing all 14
 * spellings (7 members × camel/snake case) for every attribute. */
export function anyValue(value: unknown, ctx: DecodeContext, depth: number): AttributeValue {
  if (value === undefined || value === null) return null;
  const o = expectObject(value, "AnyValue");
  let result: AttributeValue = null;
  for (const key in o) {
    const member = o[key];
    if (member === null || member === undefined) continue;
    switch (key) {
      case "stringValue":
      case "string_value":
        if (typeof member !== "string") fieldError(".stringValue", `expected string, got ${jsonType(member)}`);
        result = ctx.limitString(member);
        break;
      case "boolValue":
      case "bool_value":
        if (typeof member !== "boolean") fieldError(".boolValue", `expected boolean, got ${jsonType(member)}`);
        result = member;
        break;
      case "intValue":
      case "int_value":
        result = int64Value(member);
        break;
      case "doubleValue":
      case "double_value":
        result = jsonDoubleValue(member);
        break;
      case "bytesValue":
      case "bytes_value": {
        const bytes = typeof member === "string" ? base64ToBytes(member) : null;
        if (bytes === null) fieldError(".bytesValue", "expected base64 string");
        result = ctx.limitString(bytesToBase64(bytes, 0, bytes.length));
        break;
      }
      case "arrayValue":
      case "array_value":
        result = nested(member, ".arrayValue", ctx, depth, arrayValue);
        break;
      case "kvlistValue":
      case "kvlist_value":
        result = nested(member, ".kvlistValue", ctx, depth, kvlistValue);
        break;
    }
  }
  return result;
}

function nested<T>(
  member: unknown,
  segment: string,
  ctx: DecodeContext,
  depth: number,
  read: (o: JsonObject, ctx: DecodeContext, depth: number) => T,
): T {
  if (depth >= MAX_NESTING_DEPTH) fieldError(segment, `AnyValue nested deeper than ${MAX_NESTING_DEPTH} levels`);
  try {
    return read(expectObject(member, segment.slice(1)), ctx, depth + 1);
  } catch (error) {
    return prependPath(error, segment);
  }
}

function arrayValue(o: JsonObject, ctx: DecodeContext, depth: number): AttributeValue[] {
  const values = arrayField(o, "values", "values");
  const out: AttributeValue[] = new Array(values.length);
  for (let i = 0; i < values.length; i++) {
    try {
      out[i] = anyValue(values[i], ctx, depth);
    } catch (error) {
      prependPath(error, `.values[${i}]`);
    }
  }
  return out;
}

function kvlistValue(o: JsonObject, ctx: DecodeContext, depth: number): Attributes {
  const values = arrayField(o, "values", "values");
  const out: Attributes = {};
  for (let i = 0; i < values.length; i++) {
    try {
      keyValue(values[i], out, ctx, depth);
    } catch (error) {
      prependPath(error, `.values[${i}]`);
    }
  }
  return out;
}

function keyValue(value: unknown, target: Attributes, ctx: DecodeContext, depth: number): void {
  const o = expectObject(value, "KeyValue");
  const key = stringField(o, "key", "key");
  let v: AttributeValue;
  try {
    v = anyValue(o.value, ctx, depth);
  } catch (error) {
    prependPath(error, ".value");
  }
  setAttribute(target, key, v);
}

/** `owner.attributes` (repeated KeyValue) into `target`, at most maxAttributesPerSpan of them; returns how
 * many were dropped (and counts them as truncated). */
export function attributesField(owner: JsonObject, target: Attributes, ctx: DecodeContext): number {
  const list = arrayField(owner, "attributes", "attributes");
  const max = ctx.limits.maxAttributesPerSpan;
  const kept = Math.min(list.length, max);
  for (let i = 0; i < kept; i++) {
    try {
      keyValue(list[i], target, ctx, 0);
    } catch (error) {
      prependPath(error, `.attributes[${i}]`);
    }
  }
  const dropped = list.length - kept;
  ctx.truncatedAttributes += dropped;
  return dropped;
}
