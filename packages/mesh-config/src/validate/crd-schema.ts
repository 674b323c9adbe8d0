// The subset of OpenAPI v3 that Kubernetes structural schemas use (what Istio's CRDs hold), read from untrusted
// data and walked over a value the way the kube-apiserver does for a custom resource: types, enums, required
// fields, bounds, `oneOf`/`anyOf`/`allOf`/`not`, and unknown fields, which the apiserver prunes silently and
// `kubectl apply` (field validation "Strict") rejects. Unknown fields are errors here because a typo such as
// `rout:` is otherwise lost without a word.
//
// Not evaluated: CEL rules (`x-kubernetes-validations`); the semantic layer checks what they check for the
// objects Meshscope writes (durations ≥ 1ms). `format: int32` is checked as a range because Istio decodes the
// field into a 32-bit integer; other formats (date-time, byte) appear only in `status`, which is not checked.

export type CrdType = "object" | "array" | "string" | "integer" | "number" | "boolean";

export interface CrdSchema {
  type?: CrdType;
  format?: string;
  properties?: Record<string, CrdSchema>;
  additionalProperties?: CrdSchema | boolean;
  items?: CrdSchema;
  required?: string[];
  enum?: (string | number | boolean | null)[];
  nullable?: boolean;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  minProperties?: number;
  maxProperties?: number;
  pattern?: string;
  oneOf?: CrdSchema[];
  anyOf?: CrdSchema[];
  allOf?: CrdSchema[];
  not?: CrdSchema;
  "x-kubernetes-preserve-unknown-fields"?: boolean;
  "x-kubernetes-int-or-string"?: boolean;
}

export type SchemaProblemKind = "unknown-field" | "type" | "required" | "enum" | "range" | "exclusive";

export interface SchemaProblem {
  kind: SchemaProblemKind;
  path: (string | number)[];
  message: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const TYPES: readonly CrdType[] = ["object", "array", "string", "integer", "number", "boolean"];

function isCrdType(value: unknown): value is CrdType {
  return TYPES.some((t) => t === value);
}
const NUMBER_KEYS = [
  "minimum",
  "maximum",
  "minLength",
  "maxLength",
  "minItems",
  "maxItems",
  "minProperties",
  "maxProperties",
] as const;
const BRANCH_KEYS = ["oneOf", "anyOf", "allOf"] as const;
const FLAG_KEYS = ["nullable", "x-kubernetes-preserve-unknown-fields", "x-kubernetes-int-or-string"] as const;

/**
 * The structural part of one raw `openAPIV3Schema` node (parsed CRD YAML), descriptions and CEL rules dropped.
 * Throws on a node that is not a schema: the input is a CRD file the project reads on purpose, and a shape it
 * does not understand must stop the conformance check rather than weaken it.
 */
export function compactCrdSchema(raw: unknown, at = "openAPIV3Schema"): CrdSchema {
  if (!isRecord(raw)) throw new Error(`${at}: a schema must be a mapping`);
  const out: CrdSchema = {};
  const { type, format, pattern, required, properties, additionalProperties, items, not } = raw;
  if (type !== undefined) {
    if (!isCrdType(type)) throw new Error(`${at}.type: unsupported ${String(type)}`);
    out.type = type;
  }
  if (typeof format === "string") out.format = format;
  if (typeof pattern === "string") out.pattern = pattern;
  for (const key of NUMBER_KEYS) {
    const v = raw[key];
    if (typeof v === "number") out[key] = v;
  }
  for (const key of FLAG_KEYS) if (raw[key] === true) out[key] = true;
  if (Array.isArray(required)) out.required = required.filter((r): r is string => typeof r === "string");
  if (Array.isArray(raw.enum)) {
    out.enum = raw.enum.filter(
      (e): e is string | number | boolean | null =>
        e === null || typeof e === "string" || typeof e === "number" || typeof e === "boolean",
    );
  }
  if (isRecord(properties)) {
    out.properties = Object.fromEntries(
      Object.entries(properties).map(([k, v]) => [k, compactCrdSchema(v, `${at}.properties.${k}`)]),
    );
  }
  if (typeof additionalProperties === "boolean") out.additionalProperties = additionalProperties;
  else if (additionalProperties !== undefined) {
    out.additionalProperties = compactCrdSchema(additionalProperties, `${at}.additionalProperties`);
  }
  if (items !== undefined) out.items = compactCrdSchema(items, `${at}.items`);
  for (const key of BRANCH_KEYS) {
    const v = raw[key];
    if (Array.isArray(v)) out[key] = v.map((b, i) => compactCrdSchema(b, `${at}.${key}[${i}]`));
  }
  if (not !== undefined) out.not = compactCrdSchema(not, `${at}.not`);
  return out;
}

const INT32 = { min: -(2 ** 31), max: 2 ** 31 - 1 };
const UINT32 = { min: 0, max: 2 ** 32 - 1 };

/** Every problem of `value` against `schema`; `path` is where `value` sits in the document. */
export function walkCrdSchema(schema: CrdSchema, value: unknown, path: (string | number)[] = []): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  // The apiserver prunes a null in a non-nullable field before validating, so null reads as "absent".
  if (value === null || value === undefined) return problems;
  if (!checkType(schema, value, path, problems)) return problems;
  checkEnumAndBounds(schema, value, path, problems);
  if (Array.isArray(value) && schema.items) {
    const itemSchema = schema.items;
    value.forEach((item, i) => {
      problems.push(...walkCrdSchema(itemSchema, item, [...path, i]));
    });
  }
  if (isRecord(value)) checkObject(schema, value, path, problems);
  checkBranches(schema, value, path, problems);
  return problems;
}

function describeType(value: unknown): string {
  if (Array.isArray(value)) return "a list";
  if (isRecord(value)) return "a mapping";
  if (typeof value === "number" && Number.isInteger(value)) return "an integer";
  return `a ${typeof value}`;
}

function typeMatches(type: CrdType, value: unknown): boolean {
  switch (type) {
    case "object":
      return isRecord(value);
    case "array":
      return Array.isArray(value);
    case "string":
      return typeof value === "string";
    case "integer":
      return typeof value === "number" && Number.isInteger(value);
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "boolean":
      return typeof value === "boolean";
  }
}

const EXPECTED: Readonly<Record<CrdType, string>> = {
  object: "a mapping",
  array: "a list",
  string: "a string",
  integer: "an integer",
  number: "a number",
  boolean: "a boolean",
};

function checkType(schema: CrdSchema, value: unknown, path: (string | number)[], problems: SchemaProblem[]): boolean {
  if (schema["x-kubernetes-int-or-string"]) {
    if (typeof value === "string" || (typeof value === "number" && Number.isInteger(value))) return true;
    problems.push({ kind: "type", path, message: `must be an integer or a string, not ${describeType(value)}` });
    return false;
  }
  if (schema.type === undefined || typeMatches(schema.type, value)) return true;
  const expected = EXPECTED[schema.type];
  problems.push({ kind: "type", path, message: `must be ${expected}, not ${describeType(value)}` });
  return false;
}

function checkEnumAndBounds(
  schema: CrdSchema,
  value: unknown,
  path: (string | number)[],
  problems: SchemaProblem[],
): void {
  const range = (message: string) => problems.push({ kind: "range", path, message });
  if (schema.enum && !schema.enum.some((allowed) => allowed === value)) {
    problems.push({ kind: "enum", path, message: `must be one of ${schema.enum.join(", ")}; got ${String(value)}` });
  }
  if (typeof value === "number") {
    if (schema.minimum !== undefined && value < schema.minimum) range(`must be at least ${schema.minimum}`);
    if (schema.maximum !== undefined && value > schema.maximum) range(`must be at most ${schema.maximum}`);
    const bits = schema.format === "int32" ? INT32 : schema.format === "uint32" ? UINT32 : undefined;
    if (bits && (value < bits.min || value > bits.max)) range(`does not fit in ${schema.format}`);
  }
  if (typeof value === "string") {
    if (schema.minLength !== undefined && value.length < schema.minLength) {
      range(`must be at least ${schema.minLength} characters long`);
    }
    if (schema.maxLength !== undefined && value.length > schema.maxLength) {
      range(`must be at most ${schema.maxLength} characters long`);
    }
    if (schema.pattern !== undefined && !safeTest(schema.pattern, value)) range(`must match ${schema.pattern}`);
  }
  const count = Array.isArray(value) ? value.length : isRecord(value) ? Object.keys(value).length : undefined;
  if (count === undefined) return;
  const [min, max, what] = Array.isArray(value)
    ? [schema.minItems, schema.maxItems, "items"]
    : [schema.minProperties, schema.maxProperties, "entries"];
  if (min !== undefined && count < min) range(`must have at least ${min} ${what}`);
  if (max !== undefined && count > max) range(`must have at most ${max} ${what}`);
}

// Patterns come from Istio's CRD (RE2); the few that JavaScript cannot compile are skipped rather than guessed.
function safeTest(pattern: string, value: string): boolean {
  try {
    return new RegExp(pattern, "u").test(value);
  } catch {
    return true;
  }
}

function checkObject(
  schema: CrdSchema,
  value: Record<string, unknown>,
  path: (string | number)[],
  problems: SchemaProblem[],
): void {
  for (const name of schema.required ?? []) {
    if (value[name] === undefined || (value[name] === null && !schema.properties?.[name]?.nullable)) {
      problems.push({ kind: "required", path: [...path, name], message: "required field is missing" });
    }
  }
  // Only a node that says what it is (`type: object`) prunes; `oneOf` branches carry nothing but `required`.
  const closed = schema.type === "object" && !schema["x-kubernetes-preserve-unknown-fields"];
  const known = Object.keys(schema.properties ?? {});
  for (const [key, child] of Object.entries(value)) {
    const propertySchema = schema.properties?.[key];
    if (propertySchema) {
      problems.push(...walkCrdSchema(propertySchema, child, [...path, key]));
    } else if (isRecord(schema.additionalProperties)) {
      problems.push(...walkCrdSchema(schema.additionalProperties, child, [...path, key]));
    } else if (closed && schema.additionalProperties !== true) {
      const hint = closestName(key, known);
      problems.push({
        kind: "unknown-field",
        path: [...path, key],
        message: `unknown field "${key}"${hint === undefined ? "" : ` (did you mean "${hint}"?)`}`,
      });
    }
  }
}

function checkBranches(schema: CrdSchema, value: unknown, path: (string | number)[], problems: SchemaProblem[]): void {
  const passes = (branch: CrdSchema) => walkCrdSchema(branch, value, path).length === 0;
  for (const branch of schema.allOf ?? []) problems.push(...walkCrdSchema(branch, value, path));
  if (schema.oneOf && schema.oneOf.filter(passes).length !== 1) {
    const fields = schema.oneOf.flatMap((b) => b.required ?? []);
    const message =
      fields.length > 0 ? `only one of ${fields.join(", ")} may be set` : "must match exactly one allowed shape";
    problems.push({ kind: "exclusive", path, message });
  }
  if (schema.anyOf && !schema.anyOf.some(passes)) {
    const fields = schema.anyOf.flatMap((b) => b.required ?? []);
    const message = fields.length > 0 ? `one of ${fields.join(", ")} must be set` : "matches no allowed shape";
    problems.push({ kind: "required", path, message });
  }
  if (schema.not && passes(schema.not)) {
    problems.push({ kind: "exclusive", path, message: "matches a shape the schema forbids" });
  }
}

/** The known name one edit away (or a case difference), to turn `rout` into a useful hint. */
function closestName(key: string, known: readonly string[]): string | undefined {
  const lower = key.toLowerCase();
  return known.find((k) => k.toLowerCase() === lower || editDistance(k.toLowerCase(), lower) <= 2);
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
