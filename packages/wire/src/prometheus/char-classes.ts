/**
 * Character classes of the text exposition format 0.0.4 (prometheus/docs `exposition_formats.md`), as lookup tables
 * indexed by UTF-16 code unit: metric names match `[a-zA-Z_:][a-zA-Z0-9_:]*`, label names `[a-zA-Z_][a-zA-Z0-9_]*`
 * (colons are reserved for recording rules and are not valid in label names).
 */
export const METRIC_START = table((c) => isLetter(c) || c === 0x5f || c === 0x3a);
export const METRIC_REST = table((c) => isLetter(c) || isDigit(c) || c === 0x5f || c === 0x3a);
export const LABEL_START = table((c) => isLetter(c) || c === 0x5f);
export const LABEL_REST = table((c) => isLetter(c) || isDigit(c) || c === 0x5f);

export const SPACE = 0x20;
export const TAB = 0x09;
export const HASH = 0x23;
export const QUOTE = 0x22;
export const BACKSLASH = 0x5c;
export const OPEN_BRACE = 0x7b;
export const CLOSE_BRACE = 0x7d;
export const EQUALS = 0x3d;
export const COMMA = 0x2c;

/** True for code units 0..127 the predicate accepts; anything non-ASCII is outside every class. */
export function inClass(classTable: Uint8Array, code: number): boolean {
  return code < 128 && classTable[code] === 1;
}

function table(accept: (code: number) => boolean): Uint8Array {
  const t = new Uint8Array(128);
  for (let c = 0; c < 128; c++) t[c] = accept(c) ? 1 : 0;
  return t;
}

function isLetter(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}
