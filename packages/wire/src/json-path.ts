import { WireError } from "./errors.js";

/**
 * Field errors in JSON inputs name the path to the value (`resourceSpans[0].scopeSpans[1].spans[3].kind`).
 * Building that path for every value would cost an allocation per field on the happy path, so the error
 * collects it on the way out instead: each level that catches it prepends its own segment.
 */
export class JsonPathError extends Error {
  /** Innermost first. */
  readonly segments: string[];

  constructor(segment: string, message: string) {
    super(message);
    this.segments = segment === "" ? [] : [segment];
  }
}

/** Throws a field error for the value at `segment` (e.g. `.startTimeUnixNano`, relative to the current object). */
export function fieldError(segment: string, message: string): never {
  throw new JsonPathError(segment, message);
}

/** Re-throws `error` with `segment` prepended to its path when it is a field error. */
export function prependPath(error: unknown, segment: string): never {
  if (error instanceof JsonPathError) error.segments.push(segment);
  throw error;
}

/** Converts a field error into the WireError callers see; other errors pass through. */
export function toWireError(error: unknown): never {
  if (error instanceof JsonPathError) {
    const path = error.segments.reverse().join("").replace(/^\./, "");
    throw new WireError("invalid_field", `${path === "" ? "$" : path}: ${error.message}`);
  }
  throw error;
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    // SyntaxError (with position) or RangeError (nesting too deep for the parser): either way not JSON we take.
    throw new WireError("malformed", `malformed JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export type JsonObject = Record<string, unknown>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Describes a JSON value's type for error messages. */
export function jsonType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}
