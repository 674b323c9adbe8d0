/**
 * A hand-written check of a `GET /api/traces/{id}` answer, accepting exactly what the zod schema `TraceResponse`
 * of @meshscope/model accepts (trace-response-check.test.ts holds the two side by side), about ten times faster.
 *
 * Why not zod here: zod rebuilds every object it checks, so a 100,000-span answer costs 1–2 s of copying and
 * garbage before the first row can be drawn (issue #6 scope 5, measured with bench/ui-trace.ts). This check reads
 * each field once, in place, and hands back the parsed object itself. The answer is untrusted input all the
 * same: anything off-shape is refused with an error naming the first bad field (`spans[12].kind: expected one
 * of …`). One difference that cannot matter to the page: keys the schema does not know are kept, not stripped.
 */
import { type ApiSpan, type Attributes, SPAN_KINDS, STATUS_CODES, type TraceResponse } from "@meshscope/model";
import type { ResponseSchema } from "../../api/client";

/** The nesting limit of attribute values in @meshscope/model's schema (api.ts MAX_ATTRIBUTE_DEPTH). */
const MAX_ATTRIBUTE_DEPTH = 32;
const KINDS: ReadonlySet<unknown> = new Set(SPAN_KINDS);
const STATUSES: ReadonlySet<unknown> = new Set(STATUS_CODES);

export class TraceShapeError extends Error {
  override readonly name = "TraceShapeError";
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `${typeof value} ${JSON.stringify(value)?.slice(0, 40)}`;
}

/** Throws the error for one field. Callers build `where` inside their failing branch only: a valid answer never
 * pays for path strings. */
function fail(where: string, expected: string, value: unknown): never {
  throw new TraceShapeError(`${where}: expected ${expected}, got ${describe(value)}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** zod's z.number() refuses NaN and ±Infinity; JSON cannot carry them, but a caller's object could. */
function isNumber(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value);
}

function isAttributeValue(value: unknown, depth: number): boolean {
  if (value === null) return true;
  const type = typeof value;
  if (type === "string" || type === "boolean" || type === "number") return true;
  if (depth >= MAX_ATTRIBUTE_DEPTH || type !== "object") return false;
  if (Array.isArray(value)) {
    for (const item of value) if (!isAttributeValue(item, depth + 1)) return false;
    return true;
  }
  return isAttributeMap(value, depth + 1);
}

/** Own enumerable keys only, as Object.values in the schema: `__proto__` from JSON.parse is an own key. */
function isAttributeMap(value: unknown, depth: number): value is Attributes {
  if (!isRecord(value)) return false;
  for (const key of Object.keys(value)) if (!isAttributeValue(value[key], depth)) return false;
  return true;
}

const ATTRIBUTES = "an object of attribute values";

function checkStatus(value: unknown, at: number): void {
  if (!isRecord(value)) fail(`spans[${at}].status`, "an object", value);
  if (!STATUSES.has(value.code)) fail(`spans[${at}].status.code`, `one of ${STATUS_CODES.join("|")}`, value.code);
  if (value.message !== undefined && typeof value.message !== "string") {
    fail(`spans[${at}].status.message`, "a string", value.message);
  }
}

function checkScope(value: unknown, at: number): void {
  if (value === null) return;
  if (!isRecord(value)) fail(`spans[${at}].scope`, "an object or null", value);
  if (typeof value.name !== "string") fail(`spans[${at}].scope.name`, "a string", value.name);
  if (value.version !== undefined && typeof value.version !== "string") {
    fail(`spans[${at}].scope.version`, "a string", value.version);
  }
}

function checkEvents(value: unknown, at: number): void {
  if (!Array.isArray(value)) fail(`spans[${at}].events`, "an array", value);
  for (let i = 0; i < value.length; i++) {
    const event: unknown = value[i];
    if (!isRecord(event)) fail(`spans[${at}].events[${i}]`, "an object", event);
    if (!isNumber(event.time)) fail(`spans[${at}].events[${i}].time`, "a number", event.time);
    if (typeof event.name !== "string") fail(`spans[${at}].events[${i}].name`, "a string", event.name);
    if (!isAttributeMap(event.attributes, 0)) {
      fail(`spans[${at}].events[${i}].attributes`, ATTRIBUTES, event.attributes);
    }
  }
}

function checkLinks(value: unknown, at: number): void {
  if (!Array.isArray(value)) fail(`spans[${at}].links`, "an array", value);
  for (let i = 0; i < value.length; i++) {
    const link: unknown = value[i];
    if (!isRecord(link)) fail(`spans[${at}].links[${i}]`, "an object", link);
    if (typeof link.traceId !== "string") fail(`spans[${at}].links[${i}].traceId`, "a string", link.traceId);
    if (typeof link.spanId !== "string") fail(`spans[${at}].links[${i}].spanId`, "a string", link.spanId);
    if (!isAttributeMap(link.attributes, 0)) {
      fail(`spans[${at}].links[${i}].attributes`, ATTRIBUTES, link.attributes);
    }
  }
}

function checkSpan(span: unknown, at: number): void {
  if (!isRecord(span)) fail(`spans[${at}]`, "an object", span);
  if (typeof span.spanId !== "string") fail(`spans[${at}].spanId`, "a string", span.spanId);
  if (span.parentSpanId !== null && typeof span.parentSpanId !== "string") {
    fail(`spans[${at}].parentSpanId`, "a string or null", span.parentSpanId);
  }
  if (typeof span.service !== "string") fail(`spans[${at}].service`, "a string", span.service);
  if (span.namespace !== null && typeof span.namespace !== "string") {
    fail(`spans[${at}].namespace`, "a string or null", span.namespace);
  }
  if (typeof span.name !== "string") fail(`spans[${at}].name`, "a string", span.name);
  if (!KINDS.has(span.kind)) fail(`spans[${at}].kind`, `one of ${SPAN_KINDS.join("|")}`, span.kind);
  if (!isNumber(span.start)) fail(`spans[${at}].start`, "a number", span.start);
  if (!isNumber(span.duration)) fail(`spans[${at}].duration`, "a number", span.duration);
  checkStatus(span.status, at);
  if (!isAttributeMap(span.attributes, 0)) fail(`spans[${at}].attributes`, ATTRIBUTES, span.attributes);
  if (!isAttributeMap(span.resource, 0)) fail(`spans[${at}].resource`, ATTRIBUTES, span.resource);
  checkScope(span.scope, at);
  checkEvents(span.events, at);
  checkLinks(span.links, at);
}

/** The spans array, every element checked as an ApiSpan (a hand-written guard, as the schema's own ones are). */
function isSpanList(value: unknown[]): value is ApiSpan[] {
  for (let i = 0; i < value.length; i++) checkSpan(value[i], i);
  return true;
}

/** The answer itself when it has the shape of TraceResponse; throws TraceShapeError naming the first bad field. */
export function checkTraceResponse(data: unknown): TraceResponse {
  if (!isRecord(data)) fail("answer", "an object", data);
  const { traceId, spans } = data;
  if (typeof traceId !== "string") fail("traceId", "a string", traceId);
  if (!Array.isArray(spans)) fail("spans", "an array", spans);
  if (!isSpanList(spans)) fail("spans", "an array of spans", spans);
  return { ...data, traceId, spans };
}

/** For apiGet: the same contract as a zod schema's parse. */
export const TraceResponseCheck: ResponseSchema<TraceResponse> = { parse: checkTraceResponse };
