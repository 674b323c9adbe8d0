// Field schemas shared by the wizard bodies. Each rule is one Istio accepts (istiod's validating webhook and the
// CRD's CEL, reference istio.md §4.1) or one the wizards add on purpose (kiali.md §3.3), so a body that parses
// here never produces an object Istio would reject. Objects are strict: an unknown key is a typo in a form or a
// script, and silently dropping it would apply something other than what the author meant.
import * as z from "zod";
import { parseIstioDurationMs } from "../duration.js";

// Kubernetes object names of Services and namespaces are DNS-1123 labels (RFC 1123, at most 63 characters).
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * A type error that says "required field is missing" for an absent field (zod's own text reads "expected string,
 * received undefined"), and `expected` otherwise.
 */
export const typeError = (expected: string) => (issue: { input: unknown }) =>
  issue.input === undefined ? "required field is missing" : expected;

export const dnsLabel = (what: string) =>
  z
    .string({ error: typeError(`${what} must be a string`) })
    .min(1, { error: `${what} is required` })
    .max(63, { error: `${what} must be at most 63 characters` })
    .regex(DNS_LABEL, { error: `${what} must be a DNS-1123 label (lower-case letters, digits and "-")` });

/** The service every wizard body names: where the objects go and which host they are for. */
export const target = {
  namespace: dnsLabel("namespace"),
  service: dnsLabel("service"),
};

/** A version label value as it appears on pods (`v1`, `1.0`); subset names are derived from it separately. */
export const version = z
  .string({ error: typeError("version must be a string") })
  .min(1, { error: "version is required" })
  .max(63, { error: "version must be at most 63 characters (a Kubernetes label value)" });

/**
 * An Istio duration: Go syntax (`5s`, `250ms`, `1m`, `1.5s`), at least 1 ms and whole milliseconds, as the CEL rule
 * `duration(self) >= duration('1ms')` and the webhook's ValidateDuration require. Kept as written.
 */
export const duration = z.string({ error: typeError("must be a duration string such as 5s or 250ms") }).check((ctx) => {
  const ms = parseIstioDurationMs(ctx.value);
  if (ms === undefined) {
    ctx.issues.push({
      code: "custom",
      input: ctx.value,
      message: `"${ctx.value}" is not a duration: write it like 5s, 250ms or 1m`,
    });
  } else if (ms < 1) {
    ctx.issues.push({ code: "custom", input: ctx.value, message: `"${ctx.value}" is shorter than 1ms` });
  } else if (!Number.isInteger(ms)) {
    ctx.issues.push({
      code: "custom",
      input: ctx.value,
      message: `"${ctx.value}" is not whole milliseconds (Istio supports millisecond precision only)`,
    });
  }
});

/**
 * Istio's `Percent.value`: 0, or 0.0001–100 (the webhook: "percentage %v is neither 0.0, nor in range [0.0001,
 * 100.0]"; smaller values round to nothing in Envoy's fractional percent).
 */
export const percentValue = z
  .number({ error: typeError("must be a number from 0 to 100") })
  .min(0, { error: "must be a percentage from 0 to 100" })
  .max(100, { error: "must be a percentage from 0 to 100" })
  .refine((v) => v === 0 || v >= 0.0001, { error: "must be 0 or at least 0.0001" });

export const percent = z.strictObject({ value: percentValue });

export const nonNegativeInt = z
  .number({ error: typeError("must be a whole number") })
  .int({ error: "must be a whole number" })
  .min(0, { error: "must not be negative" })
  .max(2 ** 31 - 1, { error: "must fit in an int32" });

export const positiveInt = nonNegativeInt.min(1, { error: "must be at least 1" });

/** Istio's StringMatch: exactly one of exact, prefix or regex (a oneOf in the CRD). */
export const stringMatch = z
  .strictObject({
    exact: z.string().optional(),
    prefix: z.string().optional(),
    regex: z.string().optional(),
  })
  .check((ctx) => {
    const set = Object.values(ctx.value).filter((v) => v !== undefined).length;
    if (set !== 1) {
      ctx.issues.push({ code: "custom", input: ctx.value, message: "give exactly one of exact, prefix or regex" });
    }
    const { regex } = ctx.value;
    if (regex !== undefined && !compiles(regex)) {
      ctx.issues.push({ code: "custom", input: regex, path: ["regex"], message: `"${regex}" is not a valid regex` });
    }
  });

// Envoy uses RE2, which is a subset of JavaScript's syntax for everything people write in route matches; a
// pattern JavaScript cannot compile will not compile in RE2 either (the converse does not hold: look-arounds).
function compiles(pattern: string): boolean {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}

// HTTP/2 and Envoy carry header names in lower case, and Istio asks for lower-case keys in `headers` matches.
const HEADER_NAME = /^[a-z0-9!#$%&'*+.^_`|~-]+$/;

// zod reports a bad record key as "Invalid key in record"; say which rule the key breaks instead.
export const headerMatches = z.record(z.string().regex(HEADER_NAME), stringMatch, {
  error: (issue) =>
    issue.code === "invalid_key" ? `"${String(issue.input)}" is not a lower-case HTTP header name` : undefined,
});

export const queryParamMatches = z.record(z.string().min(1), stringMatch, {
  error: (issue) => (issue.code === "invalid_key" ? "query parameter names must not be empty" : undefined),
});
