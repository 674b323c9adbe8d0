/**
 * Find and hide expressions (`rps > 10`, `health = failure`, `name = reviews and protocol = grpc`), after Kiali's
 * graph find/hide language (kiali.md §1.6) with one deliberate difference: `and` binds tighter than `or`, as in
 * every query language people know, and parentheses group. (Kiali binds `or` tighter and has no parentheses.)
 *
 *   expr := and ( ("or" | "||") and )*
 *   and  := unary ( ("and" | "&&") unary )*
 *   unary := ("!" | "not") unary | "(" expr ")" | condition
 *   condition := field [op value]          a field alone is a flag (`mtls`, `!healthy`)
 *   op := = != > < >= <= *= !*= ^= !^= $= !$= contains !contains startswith !startswith endswith !endswith
 *
 * Parsing checks fields, operators and values, so a typo is reported where it is, not silently matched.
 */
import { type ElementType, type FieldSpec, type FieldValue, fieldByName } from "./find-fields";

export interface FindError {
  message: string;
  /** Character offset in the expression where the problem is. */
  at: number;
}

type Op =
  | "="
  | "!="
  | ">"
  | "<"
  | ">="
  | "<="
  | "contains"
  | "!contains"
  | "startswith"
  | "!startswith"
  | "endswith"
  | "!endswith";

type Ast =
  | { t: "or"; items: Ast[] }
  | { t: "and"; items: Ast[] }
  | { t: "not"; item: Ast }
  | { t: "cmp"; field: FieldSpec; op: Op; value: string | number }
  | { t: "flag"; field: FieldSpec };

/** One graph element as the language sees it. */
export interface FindSubject {
  type: ElementType;
  /** The value of a field by its canonical name (`FieldSpec.name`). */
  get(field: string): FieldValue | undefined;
}

export interface CompiledFind {
  /** The element types the expression can match: only node fields → nodes only, and so on. */
  targets: ReadonlySet<ElementType>;
  matches(subject: FindSubject): boolean;
}

export type FindResult = { ok: true; find: CompiledFind | null } | { ok: false; error: FindError };

interface Token {
  kind: "word" | "string" | "op" | "lparen" | "rparen" | "not" | "and" | "or";
  text: string;
  at: number;
}

const SYMBOL_OPS: readonly string[] = ["!*=", "!^=", "!$=", ">=", "<=", "!=", "*=", "^=", "$=", "=", ">", "<"];
const WORD_OPS: Record<string, Op> = {
  contains: "contains",
  "!contains": "!contains",
  startswith: "startswith",
  "!startswith": "!startswith",
  endswith: "endswith",
  "!endswith": "!endswith",
};
const SYMBOL_TO_OP: Record<string, Op> = {
  "=": "=",
  "!=": "!=",
  ">": ">",
  "<": "<",
  ">=": ">=",
  "<=": "<=",
  "*=": "contains",
  "!*=": "!contains",
  "^=": "startswith",
  "!^=": "!startswith",
  "$=": "endswith",
  "!$=": "!endswith",
};

class ParseError extends Error {
  constructor(
    message: string,
    readonly at: number,
  ) {
    super(message);
  }
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] ?? "";
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "(" || c === ")") {
      tokens.push({ kind: c === "(" ? "lparen" : "rparen", text: c, at: i });
      i++;
      continue;
    }
    if (c === '"' || c === "'") {
      const close = text.indexOf(c, i + 1);
      if (close < 0) throw new ParseError("Unclosed quote", i);
      tokens.push({ kind: "string", text: text.slice(i + 1, close), at: i });
      i = close + 1;
      continue;
    }
    if (text.startsWith("&&", i) || text.startsWith("||", i)) {
      tokens.push({ kind: c === "&" ? "and" : "or", text: text.slice(i, i + 2), at: i });
      i += 2;
      continue;
    }
    const symbol = SYMBOL_OPS.find((op) => text.startsWith(op, i));
    if (symbol) {
      tokens.push({ kind: "op", text: symbol, at: i });
      i += symbol.length;
      continue;
    }
    if (c === "!" && !/[a-z]/i.test(text[i + 1] ?? "")) {
      tokens.push({ kind: "not", text: "!", at: i });
      i++;
      continue;
    }
    const m = /^!?[^\s()=<>!*^$"'&|]+/.exec(text.slice(i));
    if (!m) throw new ParseError(`Unexpected "${c}"`, i);
    tokens.push(wordToken(m[0], i));
    i += m[0].length;
  }
  return tokens;
}

function wordToken(word: string, at: number): Token {
  const lower = word.toLowerCase();
  if (lower === "and") return { kind: "and", text: word, at };
  if (lower === "or") return { kind: "or", text: word, at };
  if (lower === "not") return { kind: "not", text: word, at };
  if (lower in WORD_OPS) return { kind: "op", text: lower, at };
  // `!healthy`: a negated flag written without a space.
  if (word.startsWith("!")) return { kind: "word", text: word, at };
  return { kind: "word", text: word, at };
}

class Parser {
  private i = 0;
  readonly used = new Set<ElementType>();

  constructor(
    private readonly tokens: Token[],
    private readonly length: number,
  ) {}

  parse(): Ast {
    const ast = this.expr();
    const rest = this.tokens[this.i];
    if (rest) throw new ParseError(`Expected "and" or "or" before "${rest.text}"`, rest.at);
    return ast;
  }

  private peek(): Token | undefined {
    return this.tokens[this.i];
  }

  private expr(): Ast {
    const items = [this.and()];
    while (this.peek()?.kind === "or") {
      this.i++;
      items.push(this.and());
    }
    return items.length === 1 && items[0] ? items[0] : { t: "or", items };
  }

  private and(): Ast {
    const items = [this.unary()];
    while (this.peek()?.kind === "and") {
      this.i++;
      items.push(this.unary());
    }
    return items.length === 1 && items[0] ? items[0] : { t: "and", items };
  }

  private unary(): Ast {
    const token = this.peek();
    if (!token) throw new ParseError("Expected a condition, e.g. rps > 10", this.length);
    if (token.kind === "not") {
      this.i++;
      return { t: "not", item: this.unary() };
    }
    if (token.kind === "lparen") {
      this.i++;
      const inner = this.expr();
      const close = this.peek();
      if (close?.kind !== "rparen") throw new ParseError('Expected ")"', close?.at ?? this.length);
      this.i++;
      return inner;
    }
    if (token.kind === "word" && token.text.startsWith("!") && token.text.length > 1) {
      this.i++;
      return { t: "not", item: this.condition({ ...token, text: token.text.slice(1), at: token.at + 1 }) };
    }
    if (token.kind !== "word") throw new ParseError(`Expected a field name, found "${token.text}"`, token.at);
    this.i++;
    // Kiali allows `is healthy` and `has mtls`: the words are decoration.
    const lower = token.text.toLowerCase();
    if ((lower === "is" || lower === "has") && this.peek()?.kind === "word") return this.unary();
    return this.condition(token);
  }

  private condition(fieldToken: Token): Ast {
    const field = fieldByName(fieldToken.text);
    if (!field) throw new ParseError(`Unknown field "${fieldToken.text}"`, fieldToken.at);
    for (const type of field.on) this.used.add(type);
    const opToken = this.peek();
    if (opToken?.kind !== "op") {
      if (field.kind.kind === "flag") return { t: "flag", field };
      throw new ParseError(`"${field.name}" needs an operator and a value, e.g. ${example(field)}`, fieldToken.at);
    }
    if (field.kind.kind === "flag") {
      throw new ParseError(`"${field.name}" is used alone (e.g. "${field.name}" or "!${field.name}")`, opToken.at);
    }
    this.i++;
    const op = SYMBOL_TO_OP[opToken.text] ?? WORD_OPS[opToken.text];
    if (!op) throw new ParseError(`Unknown operator "${opToken.text}"`, opToken.at);
    const valueToken = this.peek();
    if (valueToken?.kind !== "word" && valueToken?.kind !== "string") {
      throw new ParseError(`Expected a value after "${opToken.text}"`, valueToken?.at ?? this.length);
    }
    this.i++;
    return { t: "cmp", field, op, value: checkValue(field, op, valueToken) };
  }
}

function example(field: FieldSpec): string {
  switch (field.kind.kind) {
    case "number":
      return `${field.name} > ${field.kind.unit === "ms" ? "100" : "10"}`;
    case "enum":
      return `${field.name} = ${field.kind.values[0] ?? ""}`;
    default:
      return `${field.name} = reviews`;
  }
}

const ORDER_OPS: ReadonlySet<Op> = new Set([">", "<", ">=", "<="]);

function checkValue(field: FieldSpec, op: Op, token: Token): string | number {
  const kind = field.kind;
  if (kind.kind === "number") {
    if (op !== "=" && op !== "!=" && !ORDER_OPS.has(op)) {
      throw new ParseError(`"${field.name}" is a number: use = != > < >= <=`, token.at);
    }
    const n = parseNumber(token.text, kind.unit);
    if (n === null) throw new ParseError(`"${token.text}" is not a number of ${unitName(kind.unit)}`, token.at);
    return n;
  }
  if (ORDER_OPS.has(op)) throw new ParseError(`"${field.name}" is not a number: use = or !=`, token.at);
  if (kind.kind === "enum") {
    const value = token.text.toLowerCase();
    if (op !== "=" && op !== "!=") throw new ParseError(`"${field.name}" takes = or !=`, token.at);
    if (!kind.values.includes(value)) {
      throw new ParseError(`"${token.text}" is not a ${field.name}: use ${kind.values.join(", ")}`, token.at);
    }
    return value;
  }
  return token.text.toLowerCase();
}

function unitName(unit: "rps" | "percent" | "ms"): string {
  return unit === "rps" ? "requests/s" : unit === "percent" ? "percent" : "milliseconds";
}

/** `5`, `5%` (percent), `250`, `250ms`, `1.5s` (ms). */
function parseNumber(text: string, unit: "rps" | "percent" | "ms"): number | null {
  const m = /^(-?\d+(?:\.\d+)?)(%|ms|s)?$/i.exec(text);
  if (!m) return null;
  const value = Number(m[1]);
  const suffix = (m[2] ?? "").toLowerCase();
  if (suffix === "") return value;
  if (suffix === "%" && unit === "percent") return value;
  if (suffix === "ms" && unit === "ms") return value;
  if (suffix === "s" && unit === "ms") return value * 1000;
  return null;
}

function compareString(actual: string, op: Op, expected: string): boolean {
  const a = actual.toLowerCase();
  switch (op) {
    case "=":
      return a === expected;
    case "!=":
      return a !== expected;
    case "contains":
      return a.includes(expected);
    case "!contains":
      return !a.includes(expected);
    case "startswith":
      return a.startsWith(expected);
    case "!startswith":
      return !a.startsWith(expected);
    case "endswith":
      return a.endsWith(expected);
    case "!endswith":
      return !a.endsWith(expected);
    default:
      return false;
  }
}

function compareNumber(actual: number, op: Op, expected: number): boolean {
  switch (op) {
    case "=":
      return actual === expected;
    case "!=":
      return actual !== expected;
    case ">":
      return actual > expected;
    case "<":
      return actual < expected;
    case ">=":
      return actual >= expected;
    case "<=":
      return actual <= expected;
    default:
      return false;
  }
}

const NEGATIVE_OPS: ReadonlySet<Op> = new Set(["!=", "!contains", "!startswith", "!endswith"]);

function evalCmp(ast: Extract<Ast, { t: "cmp" }>, subject: FindSubject): boolean {
  if (!ast.field.on.includes(subject.type)) return false;
  const actual = subject.get(ast.field.name);
  if (actual === undefined || actual === null) return false;
  if (typeof ast.value === "number") return typeof actual === "number" && compareNumber(actual, ast.op, ast.value);
  const expected = ast.value;
  if (Array.isArray(actual)) {
    // `name = x` matches when any of the node's names is x; `name != x` when none is (Kiali's OR / AND).
    const names: readonly string[] = actual;
    return NEGATIVE_OPS.has(ast.op)
      ? names.every((n) => compareString(n, ast.op, expected))
      : names.some((n) => compareString(n, ast.op, expected));
  }
  return compareString(String(actual), ast.op, expected);
}

function evaluate(ast: Ast, subject: FindSubject): boolean {
  switch (ast.t) {
    case "or":
      return ast.items.some((a) => evaluate(a, subject));
    case "and":
      return ast.items.every((a) => evaluate(a, subject));
    case "not":
      return !evaluate(ast.item, subject);
    case "flag":
      return ast.field.on.includes(subject.type) && subject.get(ast.field.name) === true;
    case "cmp":
      return evalCmp(ast, subject);
  }
}

/** Parses an expression; an empty one is valid and matches nothing (`find: null`). */
export function compileFind(text: string): FindResult {
  if (text.trim() === "") return { ok: true, find: null };
  try {
    const parser = new Parser(tokenize(text), text.length);
    const ast = parser.parse();
    const targets: ReadonlySet<ElementType> = new Set(parser.used);
    return {
      ok: true,
      find: { targets, matches: (s) => targets.has(s.type) && evaluate(ast, s) },
    };
  } catch (error) {
    if (error instanceof ParseError) return { ok: false, error: { message: error.message, at: error.at } };
    throw error;
  }
}
