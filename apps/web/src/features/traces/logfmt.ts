/**
 * Checks the Tags field in the browser, with the grammar the server's tag filter accepts
 * (apps/server/src/traces/tag-filter.ts): space-separated `key=value`, a value may be double-quoted with `\"` and
 * `\\` escapes, a bare key means `true`. The server stays the authority (its 400 names the problem too); this
 * only lets the form say what is wrong before a round trip, next to the field.
 */

export type LogfmtResult = { ok: true; tags: Record<string, string> } | { ok: false; message: string };

export function parseLogfmt(text: string): LogfmtResult {
  // Object.create(null): a key such as `__proto__` is a tag like any other, not a prototype write.
  const tags: Record<string, string> = Object.create(null);
  let i = 0;
  const skipSpaces = () => {
    while (i < text.length && /\s/.test(text.charAt(i))) i++;
  };
  skipSpaces();
  while (i < text.length) {
    const keyStart = i;
    while (i < text.length && !/[\s="]/.test(text.charAt(i))) i++;
    const key = text.slice(keyStart, i);
    if (key === "") {
      return { ok: false, message: `Expected a key at position ${i + 1}, e.g. http.status_code=500` };
    }
    let value = "true";
    if (text.charAt(i) === "=") {
      i++;
      if (text.charAt(i) === '"') {
        const quoted = readQuoted(text, i + 1);
        if (quoted === null) return { ok: false, message: `The quoted value of ${key} has no closing "` };
        value = quoted.value;
        i = quoted.end;
      } else {
        const valueStart = i;
        while (i < text.length && !/\s/.test(text.charAt(i))) i++;
        value = text.slice(valueStart, i);
      }
    }
    if (i < text.length && !/\s/.test(text.charAt(i))) {
      return { ok: false, message: `Expected a space after ${key} at position ${i + 1}; quote values with spaces` };
    }
    tags[key] = value;
    skipSpaces();
  }
  return { ok: true, tags };
}

/** Reads a quoted value starting after its opening quote; `end` is just past the closing quote. */
function readQuoted(text: string, from: number): { value: string; end: number } | null {
  let out = "";
  let i = from;
  while (i < text.length && text.charAt(i) !== '"') {
    if (text.charAt(i) === "\\" && i + 1 < text.length) i++;
    out += text.charAt(i);
    i++;
  }
  return i < text.length ? { value: out, end: i + 1 } : null;
}
