import type { AttributeValue } from "@meshscope/model";
import type { DecodeContext } from "../decode-context.js";
import { WireError } from "../errors.js";
import { JsonPathError } from "../json-path.js";
import { anyValue } from "../otlp/json-values.js";

export type JsonObject<T = unknown> = { [key: string]: T };

const DIGITS = /^\d+$/;
const INTEGER = /^-?\d+$/;
const DECIMAL = /^-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * A JSON object read with the protobuf JSON mapping's conventions, validating as it goes: every accessor takes the
 * lowerCamelCase name and optionally the original snake_case name, treats missing and `null` as the proto3
 * default, and throws `invalid_field` naming the JSON path when a value has the wrong type. Replaces casts on
 * `JSON.parse` output.
 */
export class JsonPath {
  private constructor(
    private readonly obj: JsonObject,
    readonly path: string,
  ) {}

  static root(doc: unknown): JsonPath {
    if (!isObject(doc)) throw invalid("$", "expected a JSON object");
    return new JsonPath(doc, "$");
  }

  has(camel: string, snake?: string): boolean {
    return this.get(camel, snake) !== undefined;
  }

  optionalObject(camel: string, snake?: string): JsonPath | undefined {
    const v = this.get(camel, snake);
    if (v === undefined) return undefined;
    if (!isObject(v)) throw invalid(this.at(camel), "expected an object");
    return new JsonPath(v, this.at(camel));
  }

  list(camel: string, snake?: string): JsonPath[] {
    return this.array(camel, snake).map((item, i) => {
      const path = `${this.at(camel)}[${i}]`;
      if (!isObject(item)) throw invalid(path, "expected an object");
      return new JsonPath(item, path);
    });
  }

  numberList(camel: string, snake: string, kind: "double" | "int64"): number[] {
    return this.array(camel, snake).map((item, i) => {
      const path = `${this.at(camel)}[${i}]`;
      return kind === "double" ? toDouble(item, path) : toInt64(item, path);
    });
  }

  string(camel: string, snake?: string): string {
    const v = this.get(camel, snake);
    if (v === undefined) return "";
    if (typeof v !== "string") throw invalid(this.at(camel), "expected a string");
    return v;
  }

  boolean(camel: string, snake?: string): boolean {
    const v = this.get(camel, snake);
    if (v === undefined) return false;
    if (typeof v !== "boolean") throw invalid(this.at(camel), "expected true or false");
    return v;
  }

  double(camel: string, snake?: string): number {
    const v = this.get(camel, snake);
    return v === undefined ? 0 : toDouble(v, this.at(camel));
  }

  optionalInt64(camel: string, snake?: string): number | undefined {
    const v = this.get(camel, snake);
    return v === undefined ? undefined : toInt64(v, this.at(camel));
  }

  /**
   * An AnyValue member, read by the OTLP/JSON trace decoder's reader (same accepted forms, nesting limit and exact
   * int64 beyond 2^53); its path errors are re-thrown in this class's form.
   */
  anyValue(camel: string, ctx: DecodeContext): AttributeValue {
    try {
      return anyValue(this.get(camel), ctx, 0);
    } catch (error) {
      if (!(error instanceof JsonPathError)) throw error;
      throw invalid(`${this.at(camel)}${error.segments.reverse().join("")}`, error.message);
    }
  }

  /**
   * A fixed64 nanosecond timestamp → whole µs. As a decimal string (the spec's form) the last three digits are
   * dropped textually, which is exact; a JSON number above 2^53 ns has already lost precision in the sender's
   * encoder, so it is only divided.
   */
  nanosAsMicros(camel: string, snake?: string): number {
    const v = this.get(camel, snake);
    if (v === undefined) return 0;
    if (typeof v === "string" && DIGITS.test(v)) return v.length <= 3 ? 0 : Number(v.slice(0, -3));
    if (typeof v === "number" && Number.isInteger(v) && v >= 0) return Math.floor(v / 1000);
    throw invalid(this.at(camel), "expected a timestamp in nanoseconds");
  }

  /** AggregationTemporality as its number or its enum name (both are valid protobuf JSON). */
  temporality(): number {
    const v = this.get("aggregationTemporality", "aggregation_temporality");
    if (v === undefined) return 0;
    if (typeof v === "number" && Number.isInteger(v)) return v;
    if (v === "AGGREGATION_TEMPORALITY_UNSPECIFIED") return 0;
    if (v === "AGGREGATION_TEMPORALITY_DELTA") return 1;
    if (v === "AGGREGATION_TEMPORALITY_CUMULATIVE") return 2;
    throw invalid(this.at("aggregationTemporality"), "expected an AggregationTemporality");
  }

  private array(camel: string, snake?: string): unknown[] {
    const v = this.get(camel, snake);
    if (v === undefined) return [];
    if (!Array.isArray(v)) throw invalid(this.at(camel), "expected an array");
    return v;
  }

  /** Own properties only (never the prototype chain); `null` counts as absent, per the protobuf JSON mapping. */
  private get(camel: string, snake?: string): unknown {
    let v = Object.hasOwn(this.obj, camel) ? this.obj[camel] : undefined;
    if ((v === undefined || v === null) && snake !== undefined && Object.hasOwn(this.obj, snake)) v = this.obj[snake];
    return v === null ? undefined : v;
  }

  private at(key: string): string {
    return `${this.path}.${key}`;
  }
}

function toDouble(v: unknown, path: string): number {
  if (typeof v === "number") return v;
  if (typeof v === "string") {
    if (v === "NaN") return Number.NaN;
    if (v === "Infinity") return Number.POSITIVE_INFINITY;
    if (v === "-Infinity") return Number.NEGATIVE_INFINITY;
    if (DECIMAL.test(v)) return Number(v);
  }
  throw invalid(path, "expected a number");
}

/** int64/uint64/fixed64 as a number (exact up to 2^53): a JSON integer or a decimal string. */
function toInt64(v: unknown, path: string): number {
  if (typeof v === "number" && Number.isInteger(v)) return v;
  if (typeof v === "string" && INTEGER.test(v)) return Number(v);
  throw invalid(path, "expected an integer");
}

function invalid(path: string, reason: string): WireError {
  return new WireError("invalid_field", `invalid OTLP/JSON at ${path}: ${reason}`);
}
