// Field-level semantic checks shared by every kind: durations and percentages, read from the raw object so that
// fields the typed model does not name (corsPolicy.maxAge, tcpKeepalive) are checked too.
import type { ValidationMessage } from "@meshscope/model";
import { parseIstioDurationMs } from "../duration.js";
import { validationMessage } from "./codes.js";

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The value at `keys` below `value`, or undefined when any step is not a mapping. */
export function read(value: unknown, ...keys: string[]): unknown {
  let at = value;
  for (const key of keys) {
    if (!isRecord(at)) return undefined;
    at = at[key];
  }
  return at;
}

/** The items of a list field, or none when the field is absent or not a list (the schema layer reports that). */
export function items(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

// Floating-point noise (`1.001s` is 1000.9999999999999 ms) must not read as a sub-millisecond part.
const EPSILON_MS = 1e-6;

/**
 * Istio's rules for a duration field: Go duration syntax (`5s`, `250ms`, `1.5s`, `1h`), at least 1ms (CEL
 * `duration(self) >= duration('1ms')`), in whole milliseconds (istiod's ValidateDuration). A non-string is the
 * schema layer's finding, not this one.
 */
export function checkDuration(value: unknown, path: string): ValidationMessage[] {
  if (typeof value !== "string") return [];
  const ms = parseIstioDurationMs(value);
  const fail = (why: string) => [validationMessage("MS0301", path, `"${value}" ${why}`)];
  if (ms === undefined) return fail("is not a duration; write it like 5s, 250ms, 1.5s or 1h");
  if (ms === 0) return fail("is zero; a duration must be at least 1ms");
  if (ms < 1) return fail("is under 1ms, the shortest duration Istio accepts");
  if (Math.abs(ms - Math.round(ms)) > EPSILON_MS) return fail("is not a whole number of milliseconds");
  return [];
}

/** Durations at `fields` (dotted, relative to `base`) below `value`, reported under `path`. */
export function checkDurations(value: unknown, path: string, fields: readonly string[]): ValidationMessage[] {
  return fields.flatMap((field) => checkDuration(read(value, ...field.split(".")), `${path}.${field}`));
}

/** A percentage (a number 0–100, fractions allowed); a non-number is the schema layer's finding. */
export function checkPercent(value: unknown, path: string): ValidationMessage[] {
  if (typeof value !== "number" || (value >= 0 && value <= 100)) return [];
  return [validationMessage("MS0302", path, `${value} is not a percentage between 0 and 100`)];
}
