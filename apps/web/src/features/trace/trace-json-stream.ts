/**
 * JSON.parse of a trace answer while it downloads. A 100,000-span answer is ~50 MB: parsed in one go after the
 * last byte, it costs ~1 s on the critical path to the first rows; parsed in pieces as the bytes arrive, it
 * costs a few ms after the last one (issue #6 scope 5, measured with bench/ui-trace.ts).
 *
 * How: a small scanner follows the text's structure (strings, nesting) to find the top-level `"spans"` array and
 * the commas between its elements. Each run of complete elements is handed to the native JSON.parse, which also
 * validates it; what surrounds the array is parsed the same way at the end, with the array spliced back in. So
 * the value equals JSON.parse of the whole text, and text JSON.parse refuses is refused (with its SyntaxError).
 * An answer this scanner does not expect (no top-level object, a `spans` that is not an array, `spans` twice) is
 * refused rather than guessed at: the server never sends one, and the trace check would refuse most anyway.
 */

const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;
const COLON = 58;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;

export class TraceJsonError extends Error {
  override readonly name = "TraceJsonError";
}

/** Whether text[quote] (a `"`) is escaped: preceded by an odd number of backslashes. */
function isEscaped(text: string, quote: number): boolean {
  let k = quote - 1;
  while (k >= 0 && text.charCodeAt(k) === BACKSLASH) k--;
  return (quote - 1 - k) % 2 === 1;
}

/** The index of the `"` closing the string opened at `open`, or -1 when it has not arrived yet. */
function stringEnd(text: string, open: number): number {
  let j = text.indexOf('"', open + 1);
  while (j !== -1 && isEscaped(text, j)) j = text.indexOf('"', j + 1);
  return j;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

type Mode = "before" | "spans" | "after";

export class TraceJsonStream {
  private mode: Mode = "before";
  /** Text not consumed yet: everything in "before", the pending elements in "spans", the tail in "after". */
  private text = "";
  private pos = 0;
  private depth = 0;
  /** Outside the spans array: the top-level value is an object, and where the scanner stands in its members. */
  private topIsObject = false;
  private expectKey = false;
  private key: string | null = null;
  private expectValue = false;
  /** The text before the spans array's elements (ends with `[`), kept to parse with the tail at the end. */
  private head = "";
  /** In "spans": the last comma between elements (relative to `text`), -1 when none yet. */
  private lastComma = -1;
  /** In "spans": the text starts right after a comma, so an element must follow. */
  private afterComma = false;
  private readonly spans: unknown[] = [];

  /** Feeds the next piece of the answer's text. */
  push(chunk: string): void {
    this.text += chunk;
    if (this.mode === "before") this.scanOutside();
    if (this.mode === "spans") this.scanSpans();
  }

  /** The whole answer, as JSON.parse of the whole text would give it. */
  finish(): unknown {
    if (this.mode === "before") return JSON.parse(this.text);
    if (this.mode === "spans") throw new SyntaxError("Unexpected end of JSON input (inside spans)");
    this.scanOutside();
    const rest: unknown = JSON.parse(`${this.head}]${this.text}`);
    if (typeof rest !== "object" || rest === null || !("spans" in rest)) {
      throw new TraceJsonError("spans went missing from the answer");
    }
    return Object.assign(rest, { spans: this.spans });
  }

  /** Outside the spans array (the head or the tail): follows the top-level object's keys to find "spans". */
  private scanOutside(): void {
    const t = this.text;
    let i = this.pos;
    while (i < t.length) {
      const c = t.charCodeAt(i);
      if (isSpace(c)) {
        i++;
        continue;
      }
      if (this.expectValue) {
        this.expectValue = false;
        if (this.key === "spans") {
          if (this.mode === "after") throw new TraceJsonError('"spans" appears twice in the answer');
          if (c !== OPEN_BRACKET) throw new TraceJsonError('"spans" is not an array');
          this.enterSpans(i);
          return;
        }
      }
      if (c === QUOTE) {
        const end = stringEnd(t, i);
        if (end === -1) break;
        if (this.expectKey && this.depth === 1) {
          this.key = JSON.parse(t.slice(i, end + 1));
          this.expectKey = false;
        }
        i = end + 1;
        continue;
      }
      if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        if (this.depth === 0 && this.mode === "before") this.topIsObject = c === OPEN_BRACE;
        this.depth++;
        this.expectKey = this.topIsObject && this.depth === 1;
      } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        this.depth--;
      } else if (this.depth === 1 && this.topIsObject) {
        if (c === COMMA) this.expectKey = true;
        else if (c === COLON) this.expectValue = true;
      }
      i++;
    }
    this.pos = i;
  }

  private enterSpans(open: number): void {
    this.head = this.text.slice(0, open + 1);
    this.text = this.text.slice(open + 1);
    this.pos = 0;
    this.depth = 2;
    this.mode = "spans";
    this.lastComma = -1;
    this.afterComma = false;
  }

  /** Inside the spans array: finds the commas between elements and parses every run of complete ones. */
  private scanSpans(): void {
    const t = this.text;
    let i = this.pos;
    let depth = this.depth;
    while (i < t.length) {
      const c = t.charCodeAt(i);
      if (c === QUOTE) {
        const end = stringEnd(t, i);
        if (end === -1) break;
        i = end + 1;
        continue;
      }
      if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++;
      else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        depth--;
        if (depth === 1) {
          if (c !== CLOSE_BRACKET) throw new SyntaxError("Unexpected '}' in the spans array");
          this.closeSpans(i);
          return;
        }
      } else if (c === COMMA && depth === 2) this.lastComma = i;
      i++;
    }
    this.pos = i;
    this.depth = depth;
    if (this.lastComma >= 0) this.parseRun(this.lastComma);
  }

  /** Parses the complete elements before the comma at `comma` and drops their text. */
  private parseRun(comma: number): void {
    // `[,` or `,,`: JSON.parse("[]") would not see the missing element.
    if (this.onlySpace(0, comma)) throw new SyntaxError("Unexpected ',' in the spans array");
    this.append(this.text.slice(0, comma));
    this.text = this.text.slice(comma + 1);
    this.pos -= comma + 1;
    this.lastComma = -1;
    this.afterComma = true;
  }

  /** The array's own `]` at `close`: the text before it is its last element, or nothing for `[]`. */
  private closeSpans(close: number): void {
    if (this.onlySpace(0, close)) {
      // `[a,]`: an element must follow a comma.
      if (this.afterComma || this.lastComma >= 0) throw new SyntaxError("Unexpected ']' after ',' in spans");
    } else {
      this.append(this.text.slice(0, close));
    }
    this.text = this.text.slice(close + 1);
    this.pos = 0;
    this.depth = 1;
    this.mode = "after";
  }

  /** JSON.parse of comma-separated elements: the native parser validates each one. */
  private append(elements: string): void {
    const parsed: unknown = JSON.parse(`[${elements}]`);
    if (!Array.isArray(parsed)) throw new TraceJsonError("spans did not parse as an array");
    for (const span of parsed) this.spans.push(span);
  }

  private onlySpace(from: number, to: number): boolean {
    for (let k = from; k < to; k++) if (!isSpace(this.text.charCodeAt(k))) return false;
    return true;
  }
}

/** Reads a response body as UTF-8 into a TraceJsonStream as it arrives; resolves to the parsed answer. */
export async function parseTraceBody(body: ReadableStream<Uint8Array>): Promise<unknown> {
  const decoder = new TextDecoder("utf-8");
  const stream = new TraceJsonStream();
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    stream.push(decoder.decode(value, { stream: true }));
  }
  stream.push(decoder.decode());
  return stream.finish();
}
