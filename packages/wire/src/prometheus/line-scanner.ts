import {
  BACKSLASH,
  CLOSE_BRACE,
  COMMA,
  EQUALS,
  inClass,
  LABEL_REST,
  LABEL_START,
  METRIC_REST,
  METRIC_START,
  QUOTE,
  SPACE,
  TAB,
} from "./char-classes.js";
import { LabelSetBuilder } from "./label-set-builder.js";

/** Thrown inside one line and caught by the parser, which records it and moves on to the next line. */
export class LineError extends Error {}

/**
 * A cursor over one line `[pos, end)` of the exposition text. One instance serves the whole text: the parser
 * resets `pos`/`end` per line. The next `"` and `\` positions are cached across lines; because lines are visited
 * in order, each `indexOf` resumes where the previous search stopped, so finding quotes and escapes costs O(n) over
 * the whole text rather than a rescan per label.
 */
export class LineScanner {
  pos = 0;
  end = 0;
  private lineStart = 0;
  private nextQuote = -2;
  private nextBackslash = -2;
  /**
   * The label names of the previous sample line, by position. Exporters write every series of a family with the
   * same names in the same order (Envoy: 25 per Istio series), so matching the cached name with `startsWith`
   * skips scanning it character by character and reuses one string per name instead of slicing a new one per
   * line (it also lets LabelSetBuilder recognise the shape by identity).
   */
  private readonly previousNames: string[] = [];
  private readonly builder = new LabelSetBuilder();

  constructor(readonly text: string) {}

  at(start: number, end: number): void {
    this.lineStart = start;
    this.pos = start;
    this.end = end;
  }

  atEnd(): boolean {
    return this.pos >= this.end;
  }

  peek(): number {
    return this.pos < this.end ? this.text.charCodeAt(this.pos) : -1;
  }

  /** Skips spaces and tabs (the only blanks of the format); returns how many were skipped. */
  skipBlanks(): number {
    const start = this.pos;
    while (this.pos < this.end) {
      const c = this.text.charCodeAt(this.pos);
      if (c !== SPACE && c !== TAB) break;
      this.pos++;
    }
    return this.pos - start;
  }

  /** The run of non-blank characters at the cursor (possibly empty). */
  word(): string {
    const start = this.pos;
    while (this.pos < this.end) {
      const c = this.text.charCodeAt(this.pos);
      if (c === SPACE || c === TAB) break;
      this.pos++;
    }
    return this.text.slice(start, this.pos);
  }

  /** A metric name, or "" when the cursor is not at one. */
  metricName(): string {
    return this.identifier(METRIC_START, METRIC_REST);
  }

  /**
   * `{name="value",...}` with the cursor on `{`. Whitespace is allowed around tokens and a trailing comma before
   * `}` is accepted, as Prometheus' own parser does. Labels with an empty value are left out (see below). Returns
   * a null-prototype object, so label names such as `__proto__` or `constructor` are stored as plain data.
   */
  labels(): Record<string, string> {
    const builder = this.builder;
    builder.reset();
    let emptyNames: string[] | undefined;
    this.pos++; // the `{`
    for (let index = 0; ; index++) {
      this.skipBlanks();
      if (this.peek() === CLOSE_BRACE) {
        this.pos++;
        for (const empty of emptyNames ?? []) if (builder.has(empty)) duplicateLabel(empty);
        return builder.build(duplicateLabel);
      }
      const name = this.labelName(index);
      if (name === "") throw new LineError(`invalid label name at column ${this.column()}`);
      this.skipBlanks();
      if (this.peek() !== EQUALS) throw new LineError(`expected '=' after label name "${name}"`);
      this.pos++;
      this.skipBlanks();
      if (this.peek() !== QUOTE) throw new LineError(`expected '"' to open the value of label "${name}"`);
      this.pos++;
      const value = this.quoted(name);
      // An empty value is the same as no label in Prometheus' data model, and Prometheus drops such labels when it
      // scrapes (so remote-write never carries them): dropping them here gives a series the same identity on
      // both ingest paths.
      if (value !== "") {
        builder.add(name, value);
      } else {
        if (emptyNames?.includes(name)) duplicateLabel(name);
        emptyNames ??= [];
        emptyNames.push(name);
      }
      this.skipBlanks();
      const c = this.peek();
      if (c === COMMA) {
        this.pos++;
      } else if (c !== CLOSE_BRACE) {
        throw new LineError(`expected ',' or '}' after the value of label "${name}"`);
      }
    }
  }

  /** 1-based column of the cursor, for error messages. */
  column(): number {
    return this.pos - this.lineStart + 1;
  }

  private labelName(index: number): string {
    const cached = this.previousNames[index];
    if (
      cached !== undefined &&
      this.text.startsWith(cached, this.pos) &&
      !inClass(LABEL_REST, this.text.charCodeAt(this.pos + cached.length))
    ) {
      this.pos += cached.length;
      return cached;
    }
    const name = this.identifier(LABEL_START, LABEL_REST);
    if (name !== "") this.previousNames[index] = name;
    return name;
  }

  private identifier(start: Uint8Array, rest: Uint8Array): string {
    const from = this.pos;
    if (!inClass(start, this.peek())) return "";
    this.pos++;
    while (this.pos < this.end && inClass(rest, this.text.charCodeAt(this.pos))) this.pos++;
    return this.text.slice(from, this.pos);
  }

  /**
   * A label value after its opening quote. Escapes per the format: `\\`, `\"` and `\n`. Any other backslash pair
   * is kept verbatim, which is what Prometheus' scraper does (its lexer accepts `\.` and unescapes only those three).
   */
  private quoted(label: string): string {
    const q = this.find(QUOTE);
    if (q === -1 || q >= this.end) throw new LineError(`unterminated value of label "${label}"`);
    const b = this.find(BACKSLASH);
    if (b === -1 || b > q) {
      const v = this.text.slice(this.pos, q);
      this.pos = q + 1;
      return v;
    }
    let out = "";
    let chunk = this.pos;
    for (let i = this.pos; i < this.end; ) {
      const c = this.text.charCodeAt(i);
      if (c === QUOTE) {
        out += this.text.slice(chunk, i);
        this.pos = i + 1;
        return out;
      }
      if (c !== BACKSLASH) {
        i++;
        continue;
      }
      if (i + 1 >= this.end) break;
      const n = this.text.charCodeAt(i + 1);
      out += this.text.slice(chunk, i);
      out += n === BACKSLASH ? "\\" : n === QUOTE ? '"' : n === 0x6e ? "\n" : this.text.slice(i, i + 2);
      i += 2;
      chunk = i;
    }
    throw new LineError(`unterminated value of label "${label}"`);
  }

  /** First index ≥ pos of `code` in the whole text, or -1; see the class comment for why it is cached. */
  private find(code: number): number {
    if (code === QUOTE) {
      if (this.nextQuote !== -1 && this.nextQuote < this.pos) this.nextQuote = this.text.indexOf('"', this.pos);
      return this.nextQuote;
    }
    if (this.nextBackslash !== -1 && this.nextBackslash < this.pos) {
      this.nextBackslash = this.text.indexOf("\\", this.pos);
    }
    return this.nextBackslash;
  }
}

function duplicateLabel(name: string): never {
  throw new LineError(`duplicate label "${name}"`);
}

/** `# HELP` docstrings escape only `\\` and `\n`. */
export function unescapeHelp(raw: string): string {
  if (!raw.includes("\\")) return raw;
  return raw.replace(/\\([\\n])/g, (_m, c: string) => (c === "n" ? "\n" : "\\"));
}
