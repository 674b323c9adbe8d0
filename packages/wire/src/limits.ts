import { WireError } from "./errors.js";

/** Per-span bounds applied while decoding, so one hostile span cannot make the store keep megabytes. */
export interface DecodeLimits {
  /** Attributes kept per span (and per resource, event and link); extra ones are dropped and counted. */
  maxAttributesPerSpan: number;
  /** UTF-16 code units kept per string attribute value; longer values are truncated and counted. */
  maxAttributeValueLength: number;
  maxEventsPerSpan: number;
  maxLinksPerSpan: number;
}

export const DEFAULT_DECODE_LIMITS: DecodeLimits = Object.freeze({
  maxAttributesPerSpan: 128,
  maxAttributeValueLength: 4096,
  maxEventsPerSpan: 128,
  maxLinksPerSpan: 128,
});

const LIMIT_NAMES = ["maxAttributesPerSpan", "maxAttributeValueLength", "maxEventsPerSpan", "maxLinksPerSpan"] as const;

export function resolveLimits(partial: Partial<DecodeLimits> | undefined): DecodeLimits {
  if (partial === undefined) return DEFAULT_DECODE_LIMITS;
  const limits: DecodeLimits = { ...DEFAULT_DECODE_LIMITS };
  for (const name of LIMIT_NAMES) {
    const value = partial[name];
    if (value === undefined) continue;
    // A programming error of the caller, not bad input: still a WireError so callers have one error type.
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new WireError("invalid_field", `decode limit ${name} must be a non-negative integer, got ${value}`);
    }
    limits[name] = value;
  }
  return limits;
}
