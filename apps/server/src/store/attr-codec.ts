/**
 * A compact text encoding of attributes that serves two purposes at once:
 *  - it round-trips every AttributeValue with its JSON type (string, number, boolean, null, array, object);
 *  - a Jaeger tag filter `key=value` becomes a single substring test (`instr()` in SQL) because every entry
 *    holds the value's string form, the form Jaeger compares tag values in (`500` matches int 500, `true`
 *    matches bool true).
 *
 * Layout: for each attribute `RS key US value US type`, then a closing RS. RS/US are the ASCII record/unit
 * separators. Keys and values are escaped so that they never contain a raw RS or US, which makes the needle
 * `RS key US value US` match exactly one whole key and one whole value, never a part of one.
 */
import { type Attributes, type AttributeValue, setAttribute } from "@meshscope/model";

const RS = "\x1e";
const US = "\x1f";
const ESC = "\x1b";

/** True when text holds ESC, RS or US (a scan, not a regex: Biome rightly flags control characters in regexes). */
function needsEscape(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x1b || c === 0x1e || c === 0x1f) return true;
  }
  return false;
}

function escapeField(text: string): string {
  if (!needsEscape(text)) return text;
  // ESC first, so the escapes added for RS and US are not escaped again.
  return text.replaceAll(ESC, `${ESC}0`).replaceAll(RS, `${ESC}1`).replaceAll(US, `${ESC}2`);
}

function unescapeField(text: string): string {
  if (!text.includes(ESC)) return text;
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c !== ESC) {
      out += c;
      continue;
    }
    const d = text[++i];
    out += d === "0" ? ESC : d === "1" ? RS : US;
  }
  return out;
}

/** The string form Jaeger compares tag values in; arrays and maps become JSON, as in Jaeger's OTLP mapping. */
export function tagString(value: AttributeValue): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (value === null) return "";
  return JSON.stringify(value);
}

function typeCode(value: AttributeValue): string {
  if (typeof value === "string") return "s";
  if (typeof value === "number") return "n";
  if (typeof value === "boolean") return "b";
  if (value === null) return "z";
  return "j";
}

export function encodeAttributes(attributes: Attributes): string {
  let out = "";
  for (const key in attributes) {
    const value = attributes[key];
    if (value === undefined) continue;
    out += `${RS}${escapeField(key)}${US}${escapeField(tagString(value))}${US}${typeCode(value)}`;
  }
  return out === "" ? "" : out + RS;
}

function decodeValue(text: string, code: string): AttributeValue {
  switch (code) {
    case "s":
      return text;
    case "n":
      return Number(text);
    case "b":
      return text === "true";
    case "z":
      return null;
    default:
      // "j": written by JSON.stringify in encodeAttributes from an AttributeValue array or map.
      return toAttributeValue(JSON.parse(text));
  }
}

/** Narrows parsed JSON to an AttributeValue (every JSON value is one; this only proves it to the compiler). */
export function toAttributeValue(value: unknown): AttributeValue {
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean" || value === null) {
    return value;
  }
  if (Array.isArray(value)) return value.map(toAttributeValue);
  if (typeof value === "object") {
    const out: Record<string, AttributeValue> = {};
    for (const [k, v] of Object.entries(value)) setAttribute(out, k, toAttributeValue(v));
    return out;
  }
  return null;
}

export function decodeAttributes(encoded: string): Attributes {
  const out: Attributes = {};
  if (encoded === "") return out;
  for (const entry of encoded.split(RS)) {
    if (entry === "") continue;
    const first = entry.indexOf(US);
    const second = entry.indexOf(US, first + 1);
    const key = unescapeField(entry.slice(0, first));
    setAttribute(out, key, decodeValue(unescapeField(entry.slice(first + 1, second)), entry.slice(second + 1)));
  }
  return out;
}

/** A number as JSON.stringify writes it (NaN and ±Infinity become null, as in any JSON answer). */
function numberJson(text: string): string {
  return JSON.stringify(Number(text));
}

function valueJson(text: string, code: string): string {
  switch (code) {
    case "s":
      return JSON.stringify(text);
    case "n":
      return numberJson(text);
    case "b":
      return text === "true" ? "true" : "false";
    case "z":
      return "null";
    default:
      // "j": JSON written by encodeAttributes; parsed and written again so a damaged row cannot break the answer.
      return JSON.stringify(toAttributeValue(JSON.parse(text)));
  }
}

/**
 * The JSON object text of encoded attributes, equal after JSON.parse to `JSON.stringify(decodeAttributes(x))`,
 * without building the attribute objects: the trace-by-id answer writes 100,000 spans' attributes this way.
 * A repeated key (only in a damaged row) is written twice; JSON.parse keeps the last, as decodeAttributes does.
 */
export function attributesJson(encoded: string): string {
  let out = "";
  // Entries are `RS key US value US type`, the list closed by RS; scanning by index avoids split()'s arrays.
  let at = encoded.indexOf(RS);
  while (at >= 0 && at < encoded.length - 1) {
    const next = encoded.indexOf(RS, at + 1);
    const end = next < 0 ? encoded.length : next;
    const first = encoded.indexOf(US, at + 1);
    const second = first < 0 ? -1 : encoded.indexOf(US, first + 1);
    if (second >= 0 && second < end) {
      const key = unescapeField(encoded.slice(at + 1, first));
      const value = unescapeField(encoded.slice(first + 1, second));
      out += `${out === "" ? "" : ","}${JSON.stringify(key)}:${valueJson(value, encoded.slice(second + 1, end))}`;
    }
    at = next;
  }
  return `{${out}}`;
}

/** The substring an encoded attribute text contains exactly when it holds `key` with string form `value`. */
export function tagNeedle(key: string, value: string): string {
  return `${RS}${escapeField(key)}${US}${escapeField(value)}${US}`;
}
