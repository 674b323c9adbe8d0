import type { AttributeValue } from "@meshscope/model";

/**
 * Label text of an attribute, following the OpenTelemetry → Prometheus compatibility spec: strings as they are,
 * booleans/numbers as text, arrays and maps as JSON. The AnyValue readers hand over int64s beyond 2^53 as exact
 * decimal strings and non-finite doubles as "NaN"/"Infinity" text, so both survive JSON.stringify.
 */
export function attributeToLabel(value: AttributeValue): string {
  if (typeof value === "string") return value;
  if (value === null) return "";
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}
