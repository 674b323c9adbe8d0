/**
 * Small readers for JSON of unknown shape (a file the user opened): each checks a field's type and throws an
 * error naming the path when it is wrong, so a bad file gets a message that says where, and no `as` cast is
 * needed on parsed JSON.
 */
export class TraceFileError extends Error {
  override name = "TraceFileError";
}

export type JsonObject = { readonly [key: string]: unknown };

export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function objectAt(value: unknown, path: string): JsonObject {
  if (!isObject(value)) throw new TraceFileError(`${path} must be an object`);
  return value;
}

export function arrayAt(value: unknown, path: string): readonly unknown[] {
  if (!Array.isArray(value)) throw new TraceFileError(`${path} must be an array`);
  return value;
}

/** An optional array: missing or null reads as empty (OTLP JSON omits empty repeated fields). */
export function optionalArray(value: unknown, path: string): readonly unknown[] {
  return value === undefined || value === null ? [] : arrayAt(value, path);
}

export function stringAt(value: unknown, path: string): string {
  if (typeof value !== "string") throw new TraceFileError(`${path} must be a string`);
  return value;
}

export function optionalString(value: unknown, path: string): string | undefined {
  return value === undefined || value === null ? undefined : stringAt(value, path);
}

export function numberAt(value: unknown, path: string): number {
  if (typeof value !== "number" || !Number.isFinite(value)) throw new TraceFileError(`${path} must be a number`);
  return value;
}

/** Lower-case hex of an exact length (OTLP JSON ids are hex, not base64: OTLP spec, JSON encoding). */
export function hexAt(value: unknown, path: string, lengths: readonly number[]): string {
  const text = stringAt(value, path).toLowerCase();
  if (!/^[0-9a-f]*$/.test(text) || !lengths.includes(text.length)) {
    throw new TraceFileError(`${path} must be ${lengths.join(" or ")} hex characters`);
  }
  return text;
}

/** A uint64 of nanoseconds (a decimal string, or a number for small values) → whole µs. */
export function nanosToMicros(value: unknown, path: string): number {
  if (typeof value === "number" && Number.isInteger(value) && value >= 0) return Math.floor(value / 1000);
  if (typeof value === "string" && /^\d{1,20}$/.test(value)) return Number(BigInt(value) / 1000n);
  throw new TraceFileError(`${path} must be unix nanoseconds as a decimal string`);
}
