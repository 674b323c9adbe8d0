import { WireError } from "../errors.js";

/** An OTLP AnyValue after decoding, before it is flattened to a label string. Bytes are already base64 text. */
export type AttributeValue = string | number | boolean | null | AttributeValue[] | { [key: string]: AttributeValue };

/** AnyValue nests (arrays of maps of arrays …); a sender cannot make us recurse deeper than this. */
export const MAX_ATTRIBUTE_DEPTH = 16;

/**
 * Label text of an attribute, following the OpenTelemetry → Prometheus compatibility spec: strings as they are,
 * booleans/numbers as text, arrays and maps as JSON. Integers are decoded as JS numbers, exact up to 2^53.
 */
export function attributeToLabel(value: AttributeValue): string {
  if (typeof value === "string") return value;
  if (value === null) return "";
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

export function depthExceeded(): WireError {
  return new WireError("invalid_field", `attribute value nested deeper than ${MAX_ATTRIBUTE_DEPTH} levels`);
}

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** Standard base64 with padding (what OTLP/JSON uses for `bytesValue`); written out to stay free of Node/DOM. */
export function toBase64(bytes: Uint8Array): string {
  let out = "";
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = ((bytes[i] ?? 0) << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += `${B64[n >> 18]}${B64[(n >> 12) & 63]}${B64[(n >> 6) & 63]}${B64[n & 63]}`;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = (bytes[i] ?? 0) << 16;
    out += `${B64[n >> 18]}${B64[(n >> 12) & 63]}==`;
  } else if (rest === 2) {
    const n = ((bytes[i] ?? 0) << 16) | ((bytes[i + 1] ?? 0) << 8);
    out += `${B64[n >> 18]}${B64[(n >> 12) & 63]}${B64[(n >> 6) & 63]}=`;
  }
  return out;
}
