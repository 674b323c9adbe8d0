import { DEFAULT_DECODE_LIMITS, type DecodeLimits } from "../limits.js";

/**
 * Limits for the trace decoders' AnyValue readers when they decode metric attributes: label values are never cut
 * (a cut value could merge distinct series). The span and attribute-count limits do not apply to labels.
 */
export const LABEL_LIMITS: DecodeLimits = Object.freeze({
  ...DEFAULT_DECODE_LIMITS,
  maxAttributeValueLength: Number.MAX_SAFE_INTEGER,
});
