/**
 * The core of the decoder fuzzing (issue #8 point 4), shared by the `*.fuzz.test.ts` files (a fixed seed and a
 * fixed number of runs) and by `bench/fuzz.ts` (random seeds, many more runs). Test support only: under
 * `src/testing/`, which the package build excludes, so fast-check never reaches the published dist.
 *
 * A fuzz target is one property of one decoder. Every decoder property says the same three things: the
 * decoder returns or throws its documented error type and nothing else; it answers each input within a bound
 * (no hang: the inputs are at most tens of KiB, so seconds would already be pathological); and what it returns
 * respects the decode limits it was given (no unbounded allocation from a hostile count or length).
 */
import fc from "fast-check";
import type { DecodeResult } from "../decode-context.js";
import { WireError } from "../errors.js";
import type { DecodeLimits } from "../limits.js";

/** Parameters of one fuzz run; `seed` and `path` replay a failure printed by an earlier run. */
export interface FuzzRunParams {
  numRuns: number;
  seed?: number;
  path?: string;
}

export interface FuzzOutcome {
  name: string;
  failed: boolean;
  numRuns: number;
  seed: number;
  /** fast-check's replay path of the (shrunk) counterexample, when the run failed. */
  counterexamplePath: string | null;
  /** fast-check's report: the counterexample, the error and how to replay it. */
  report: string;
  elapsedMs: number;
}

export interface FuzzTarget {
  /** `<decoder>: <property>`, unique across all targets; bench/fuzz.ts prints it and filters by it. */
  name: string;
  /** Runs for CI, chosen so the target takes about a second on a loaded machine. */
  ciRuns: number;
  check(params: FuzzRunParams): Promise<FuzzOutcome>;
}

/** Wraps a property factory as a target. The property is built per check so every run starts fresh. */
export function fuzzTarget<Ts extends [unknown, ...unknown[]]>(
  name: string,
  ciRuns: number,
  makeProperty: () => fc.IProperty<Ts> | fc.IAsyncProperty<Ts>,
): FuzzTarget {
  return {
    name,
    ciRuns,
    async check(params) {
      const started = performance.now();
      const details = await fc.check(makeProperty(), {
        numRuns: params.numRuns,
        ...(params.seed === undefined ? {} : { seed: params.seed }),
        ...(params.path === undefined ? {} : { path: params.path }),
      });
      return {
        name,
        failed: details.failed,
        numRuns: details.numRuns,
        seed: details.seed,
        counterexamplePath: details.counterexamplePath,
        report: details.failed ? failureReport(details) : "",
        elapsedMs: performance.now() - started,
      };
    },
  };
}

/** fast-check's report, led by the error the counterexample raised (the report itself may leave it out). */
function failureReport<Ts>(details: fc.RunDetails<Ts>): string {
  const error = details.errorInstance;
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return `${message.split("\n").slice(0, 6).join("\n")}\n${fc.defaultReportMessage(details) ?? ""}`;
}

/** CI seed: fixed, or FUZZ_SEED to replay a failure (with FUZZ_PATH for its shrunk counterexample). */
export function ciRunParams(target: FuzzTarget): FuzzRunParams {
  const seed = process.env.FUZZ_SEED === undefined ? 20261126 : Number(process.env.FUZZ_SEED);
  const runs = process.env.FUZZ_RUNS === undefined ? target.ciRuns : Number(process.env.FUZZ_RUNS);
  return {
    numRuns: runs,
    seed,
    ...(process.env.FUZZ_PATH === undefined ? {} : { path: process.env.FUZZ_PATH }),
  };
}

/** Throws fast-check's report (seed, path, counterexample) when the target fails: the vitest failure message. */
export async function assertFuzzTarget(target: FuzzTarget): Promise<void> {
  const outcome = await target.check(ciRunParams(target));
  if (outcome.failed) throw new Error(`${target.name}\n${outcome.report}`);
}

/**
 * Time one decoder call may take before we call it a hang. Inputs stay below ~64 KiB; every decoder here is
 * linear, so even a loaded 2-core CI machine answers in milliseconds. 5 s is far past any GC pause.
 */
export const HANG_MS = Number(process.env.FUZZ_HANG_MS ?? 5_000);

/**
 * Runs one decode; returns its result, or undefined when it threw an error `isDocumented` accepts. Anything
 * else thrown (a TypeError, a RangeError from an allocation) propagates and fails the property, as does a call
 * slower than HANG_MS.
 */
export function decodeOrDocumentedError<T>(decode: () => T, isDocumented: (error: unknown) => boolean): T | undefined {
  const started = performance.now();
  let result: T | undefined;
  try {
    result = decode();
  } catch (error) {
    if (!isDocumented(error)) throw error;
  }
  const elapsed = performance.now() - started;
  if (elapsed > HANG_MS) throw new Error(`decoder took ${Math.round(elapsed)} ms on one input (bound ${HANG_MS} ms)`);
  return result;
}

/** The documented failure of the wire decoders: a WireError that says what is malformed or invalid. */
export const isWireError = (error: unknown): boolean =>
  error instanceof WireError &&
  (error.code === "malformed" || error.code === "invalid_field") &&
  error.message.length > 0;

/** Small limits for the fuzzed trace decoders, so a hostile count or length actually meets them. */
export const FUZZ_LIMITS: DecodeLimits = Object.freeze({
  maxAttributesPerSpan: 8,
  maxAttributeValueLength: 64,
  maxEventsPerSpan: 4,
  maxLinksPerSpan: 4,
});

function longestString(value: unknown): number {
  if (typeof value === "string") return value.length;
  if (Array.isArray(value)) return value.reduce((m: number, v) => Math.max(m, longestString(v)), 0);
  if (value !== null && typeof value === "object") {
    return Object.values(value).reduce((m: number, v) => Math.max(m, longestString(v)), 0);
  }
  return 0;
}

/** Throws unless every kept span respects `limits`: counts of attributes, events and links, value lengths. */
export function assertWithinLimits(result: DecodeResult, limits: DecodeLimits): void {
  for (const span of result.spans) {
    const where = `span ${span.spanId}`;
    const attributeSets: Array<[string, Record<string, unknown>]> = [
      ["attributes", span.attributes],
      ["resource", span.resource],
      ...span.events.map((e, i): [string, Record<string, unknown>] => [`events[${i}]`, e.attributes]),
      ...span.links.map((l, i): [string, Record<string, unknown>] => [`links[${i}]`, l.attributes]),
    ];
    for (const [label, attributes] of attributeSets) {
      const count = Object.keys(attributes).length;
      if (count > limits.maxAttributesPerSpan) {
        throw new Error(`${where}: ${count} ${label} kept, limit ${limits.maxAttributesPerSpan}`);
      }
      const longest = longestString(attributes);
      if (longest > limits.maxAttributeValueLength) {
        throw new Error(`${where}: a ${label} value of ${longest} chars kept, limit ${limits.maxAttributeValueLength}`);
      }
    }
    if (span.events.length > limits.maxEventsPerSpan) {
      throw new Error(`${where}: ${span.events.length} events kept, limit ${limits.maxEventsPerSpan}`);
    }
    if (span.links.length > limits.maxLinksPerSpan) {
      throw new Error(`${where}: ${span.links.length} links kept, limit ${limits.maxLinksPerSpan}`);
    }
  }
}

/** One edit of a valid input. Positions are taken modulo the input's length, so they shrink independently. */
export type Mutation =
  | { op: "flip"; at: number; bit: number }
  | { op: "set"; at: number; byte: number }
  | { op: "insert"; at: number; bytes: Uint8Array }
  | { op: "delete"; at: number; length: number }
  | { op: "truncate"; at: number }
  | { op: "duplicate"; at: number; length: number }
  | { op: "huge-varint"; at: number };

const position = fc.nat({ max: 1 << 20 });

export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant("flip" as const), at: position, bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({
    op: fc.constant("set" as const),
    at: position,
    byte: fc.oneof(fc.constantFrom(0x00, 0x7f, 0x80, 0xff, 0x0a, 0x22, 0x5c, 0x7b, 0x7d), fc.nat({ max: 255 })),
  }),
  fc.record({
    op: fc.constant("insert" as const),
    at: position,
    bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }),
  }),
  fc.record({ op: fc.constant("delete" as const), at: position, length: fc.integer({ min: 1, max: 16 }) }),
  fc.record({ op: fc.constant("truncate" as const), at: position }),
  fc.record({ op: fc.constant("duplicate" as const), at: position, length: fc.integer({ min: 1, max: 64 }) }),
  // A maximal 10-byte varint (or a length prefix claiming ~2^63 bytes) where a length or tag used to be.
  fc.record({ op: fc.constant("huge-varint" as const), at: position }),
);

export function applyMutation(input: Uint8Array, m: Mutation): Uint8Array {
  const n = input.length;
  if (n === 0) return m.op === "insert" ? m.bytes : input;
  const at = m.at % n;
  const join = (...parts: Uint8Array[]) => {
    const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
    let o = 0;
    for (const p of parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  };
  switch (m.op) {
    case "flip": {
      const out = input.slice();
      out[at] = (out[at] ?? 0) ^ (1 << m.bit);
      return out;
    }
    case "set": {
      const out = input.slice();
      out[at] = m.byte;
      return out;
    }
    case "insert":
      return join(input.subarray(0, at), m.bytes, input.subarray(at));
    case "delete":
      return join(input.subarray(0, at), input.subarray(Math.min(n, at + m.length)));
    case "truncate":
      return input.slice(0, at);
    case "duplicate":
      return join(input.subarray(0, Math.min(n, at + m.length)), input.subarray(at));
    case "huge-varint":
      return join(
        input.subarray(0, at),
        Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]),
        input.subarray(at + 1),
      );
  }
}

/** Valid inputs (chosen by index) with 1–8 mutations applied. `seeds` must be non-empty. */
export function mutatedBytes(seeds: readonly Uint8Array[]): fc.Arbitrary<Uint8Array> {
  if (seeds.length === 0) throw new Error("mutatedBytes needs at least one valid input");
  return fc
    .tuple(fc.nat({ max: seeds.length - 1 }), fc.array(mutationArb, { minLength: 1, maxLength: 8 }))
    .map(([i, mutations]) => mutations.reduce(applyMutation, seeds[i] ?? new Uint8Array()));
}

const utf8Encoder = new TextEncoder();
const lenientUtf8 = new TextDecoder("utf-8");

/** The same for text formats: mutate the UTF-8 bytes, decode leniently (invalid bytes become U+FFFD). */
export function mutatedText(seeds: readonly string[]): fc.Arbitrary<string> {
  return mutatedBytes(seeds.map((s) => utf8Encoder.encode(s))).map((bytes) => lenientUtf8.decode(bytes));
}

/**
 * Protobuf-shaped bytes: well-formed tags of every wire type (and sometimes invalid ones), field numbers mostly
 * in the range OTLP and remote-write use (so a field is often "known" with the wrong content), LEN payloads
 * that are random bytes, text, or nested messages. Reaches deeper into a decoder than uniform random bytes.
 */
export function protobufShapedBytes(maxDepth = 4): fc.Arbitrary<Uint8Array> {
  const fieldNumber = fc.oneof(
    { weight: 8, arbitrary: fc.integer({ min: 1, max: 16 }) },
    { weight: 1, arbitrary: fc.constantFrom(0, 17, 100, 536_870_911) },
  );
  const varintBytes = (v: bigint): number[] => {
    const out: number[] = [];
    let x = BigInt.asUintN(64, v);
    while (x >= 0x80n) {
      out.push(Number(x & 0x7fn) | 0x80);
      x >>= 7n;
    }
    out.push(Number(x));
    return out;
  };
  const tagBytes = (field: number, wireType: number) => varintBytes((BigInt(field) << 3n) | BigInt(wireType));
  const withLength = (field: number, payload: number[]) => [
    ...tagBytes(field, 2),
    ...varintBytes(BigInt(payload.length)),
    ...payload,
  ];
  const { message } = fc.letrec<{ message: number[]; field: number[] }>((tie) => ({
    message: fc.array(tie("field"), { maxLength: 6 }).map((fields) => fields.flat()),
    field: fc.oneof(
      { maxDepth, depthIdentifier: "protobuf" },
      fc
        .tuple(
          fieldNumber,
          fc.oneof(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), fc.constantFrom(0n, 1n, 2n, 127n, 128n)),
        )
        .map(([f, v]) => [...tagBytes(f, 0), ...varintBytes(v)]),
      fc.tuple(fieldNumber, fc.uint8Array({ minLength: 8, maxLength: 8 })).map(([f, b]) => [...tagBytes(f, 1), ...b]),
      fc.tuple(fieldNumber, fc.uint8Array({ minLength: 4, maxLength: 4 })).map(([f, b]) => [...tagBytes(f, 5), ...b]),
      fc.tuple(fieldNumber, fc.uint8Array({ maxLength: 40 })).map(([f, b]) => withLength(f, [...b])),
      fc.tuple(fieldNumber, fc.string({ maxLength: 20 })).map(([f, s]) => withLength(f, [...utf8Encoder.encode(s)])),
      // 16- and 8-byte payloads: the sizes of trace and span ids.
      fc
        .tuple(
          fieldNumber,
          fc.oneof(fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.uint8Array({ minLength: 8, maxLength: 8 })),
        )
        .map(([f, b]) => withLength(f, [...b])),
      fc.tuple(fieldNumber, tie("message")).map(([f, m]) => withLength(f, m)),
      // Groups (wire types 3/4, deprecated but legal to skip), and the invalid wire types 6 and 7.
      fc.tuple(fieldNumber, tie("message")).map(([f, m]) => [...tagBytes(f, 3), ...m, ...tagBytes(f, 4)]),
      fc.tuple(fieldNumber, fc.constantFrom(3, 4, 6, 7)).map(([f, w]) => tagBytes(f, w)),
    ),
  }));
  return message.map((bytes) => Uint8Array.from(bytes));
}

/** Text in the neighbourhood of JSON: random JSON values, JSON with junk, and plain random strings. */
export const jsonishText: fc.Arbitrary<string> = fc.oneof(
  fc.json({ maxDepth: 4 }),
  fc.string({ maxLength: 200 }),
  fc.string({ unit: "binary", maxLength: 200 }),
  fc
    .array(
      fc.constantFrom(
        "{",
        "}",
        "[",
        "]",
        ",",
        ":",
        '"',
        '"a"',
        "1",
        "-1e999",
        "null",
        "true",
        " ",
        "\\u0000",
        "\\ud800",
      ),
      {
        maxLength: 60,
      },
    )
    .map((tokens) => tokens.join("")),
);

/** Wraps `inner` in OTLP's JSON envelope at a random depth, so a random value lands where a field is read. */
export function otlpJsonEnvelope(inner: fc.Arbitrary<unknown>, path: readonly string[]): fc.Arbitrary<string> {
  return fc.tuple(fc.integer({ min: 0, max: path.length }), inner).map(([depth, value]) => {
    let out: unknown = value;
    for (let i = depth - 1; i >= 0; i--) {
      const key = path[i] ?? "x";
      // Repeated fields have plural names in OTLP (resourceSpans, spans, attributes, dataPoints, values).
      out = { [key]: key.endsWith("s") ? [out] : out };
    }
    return JSON.stringify(out);
  });
}

/** A stable text form for comparing decoded values: object keys sorted, prototypes ignored, -0 kept apart. */
export function canonical(value: unknown): string {
  if (typeof value === "number" && Object.is(value, -0)) return "-0";
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "undefined";
}

export function assertSame(label: string, actual: unknown, expected: unknown): void {
  const a = canonical(actual);
  const e = canonical(expected);
  if (a !== e) throw new Error(`${label} differs\n  decoded:  ${a.slice(0, 2000)}\n  expected: ${e.slice(0, 2000)}`);
}

type JsonEdit = { walk: number[]; replacement: unknown; remove: boolean };

const jsonEdit: fc.Arbitrary<JsonEdit> = fc.record({
  walk: fc.array(fc.nat({ max: 64 }), { maxLength: 10 }),
  replacement: fc.oneof(
    fc.jsonValue({ maxDepth: 2 }),
    fc.constantFrom(
      "",
      "0",
      "-1",
      "1e309",
      "NaN",
      "ffffffffffffffffffffffffffffffff",
      "00000000000000000000000000000000",
    ),
    fc.constantFrom(-1, 2 ** 53, 2 ** 64, -(2 ** 63), 1.5, 1e308),
    fc.string({ unit: "binary", maxLength: 100 }),
  ),
  remove: fc.boolean(),
});

/** Walks `edit.walk` down `root` (indexes modulo the keys or items met) and replaces or removes what it reaches. */
function applyJsonEdit(root: unknown, edit: JsonEdit): unknown {
  if (edit.walk.length === 0 || root === null || typeof root !== "object") return edit.replacement;
  const [step = 0, ...rest] = edit.walk;
  const next: JsonEdit = { ...edit, walk: rest };
  if (Array.isArray(root)) {
    if (root.length === 0) return [edit.replacement];
    const i = step % root.length;
    const copy = [...root];
    if (rest.length === 0 && edit.remove) copy.splice(i, 1);
    else copy[i] = applyJsonEdit(copy[i], next);
    return copy;
  }
  const keys = Object.keys(root);
  if (keys.length === 0) return { x: edit.replacement };
  const key = keys[step % keys.length] ?? "";
  const copy: Record<string, unknown> = { ...root };
  if (rest.length === 0 && edit.remove) delete copy[key];
  else copy[key] = applyJsonEdit(copy[key], next);
  return copy;
}

/** Structure-aware mutations of valid JSON documents: subtrees replaced by other JSON (often of the wrong
 * type), keys removed, items dropped. Reaches every field of a decoder, where byte flips mostly break the syntax. */
export function mutatedJson(seeds: readonly unknown[]): fc.Arbitrary<string> {
  if (seeds.length === 0) throw new Error("mutatedJson needs at least one valid document");
  return fc
    .tuple(fc.nat({ max: seeds.length - 1 }), fc.array(jsonEdit, { minLength: 1, maxLength: 4 }))
    .map(([i, edits]) => JSON.stringify(edits.reduce(applyJsonEdit, seeds[i])));
}
