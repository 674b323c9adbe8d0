/**
 * The `tags` parameter of a trace search, in either form Jaeger accepts:
 *   logfmt, as typed in Jaeger UI's search form: `http.status_code=500 error=true peer="a b"`
 *   a JSON object, as Jaeger's API and Grafana send it: `{"http.status_code":"500","error":true}`
 * Values are compared as strings (Jaeger's stores index tag values as strings), so JSON numbers and booleans
 * become their text. A bare logfmt key means `true`, as in logfmt.
 */
import { InvalidQueryError } from "./errors.js";

/**
 * Each tag is one more condition of one SQL statement, and SQLite refuses an expression deeper than 1000 terms
 * (SQLITE_MAX_EXPR_DEPTH): far more tags than anyone types, far fewer than that.
 */
export const MAX_SEARCH_TAGS = 64;

export function parseTags(text: string): Record<string, string> {
  const trimmed = text.trim();
  const tags = trimmed.startsWith("{") ? parseJsonTags(trimmed) : parseLogfmtTags(trimmed);
  const count = Object.keys(tags).length;
  if (count > MAX_SEARCH_TAGS) throw new InvalidQueryError(`tags: ${count} tags, at most ${MAX_SEARCH_TAGS}`);
  return tags;
}

function parseJsonTags(text: string): Record<string, string> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new InvalidQueryError(`tags: invalid JSON (${error instanceof Error ? error.message : error})`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new InvalidQueryError("tags: expected a JSON object of key to value");
  }
  const tags: Record<string, string> = Object.create(null);
  for (const [key, v] of Object.entries(value)) {
    if (typeof v !== "string" && typeof v !== "number" && typeof v !== "boolean") {
      throw new InvalidQueryError(`tags: the value of ${JSON.stringify(key)} must be a string, number or boolean`);
    }
    tags[key] = String(v);
  }
  return tags;
}

/** logfmt: space-separated `key=value`; a value may be double-quoted with `\"` and `\\` escapes. */
function parseLogfmtTags(text: string): Record<string, string> {
  const tags: Record<string, string> = Object.create(null);
  let i = 0;
  const skipSpaces = () => {
    while (i < text.length && /\s/.test(text[i] ?? "")) i++;
  };
  skipSpaces();
  while (i < text.length) {
    const keyStart = i;
    while (i < text.length && !/[\s="]/.test(text[i] ?? "")) i++;
    const key = text.slice(keyStart, i);
    if (key === "") throw new InvalidQueryError(`tags: expected a key at position ${i + 1} of ${JSON.stringify(text)}`);
    let value = "true";
    if (text[i] === "=") {
      i++;
      if (text[i] === '"') {
        i++;
        let out = "";
        while (i < text.length && text[i] !== '"') {
          if (text[i] === "\\" && i + 1 < text.length) i++;
          out += text[i];
          i++;
        }
        if (text[i] !== '"') throw new InvalidQueryError(`tags: unterminated quoted value for ${JSON.stringify(key)}`);
        i++;
        value = out;
      } else {
        const valueStart = i;
        while (i < text.length && !/\s/.test(text[i] ?? "")) i++;
        value = text.slice(valueStart, i);
      }
    }
    tags[key] = value;
    if (i < text.length && !/\s/.test(text[i] ?? "")) {
      throw new InvalidQueryError(`tags: expected a space after ${JSON.stringify(key)} at position ${i + 1}`);
    }
    skipSpaces();
  }
  return tags;
}
