// The bodies of `POST /api/mesh/wizards/{wizard}` (DESIGN §5): the target service plus the Istio fields in Istio's
// own shapes. Checks that need the mesh (is the version known? is there a route to keep?) happen in the
// builders; everything that can be said from the body alone is said here.
import type { WizardName } from "@meshscope/model";
import * as z from "zod";
import { parseIstioDurationMs } from "../duration.js";
import {
  duration,
  headerMatches,
  nonNegativeInt,
  percent,
  positiveInt,
  queryParamMatches,
  stringMatch,
  target,
  typeError,
  version,
} from "./body-fields.js";

const versionRef = z.strictObject({ version });

const trafficShifting = z
  .strictObject({
    ...target,
    weights: z
      .array(z.strictObject({ version, weight: nonNegativeInt.max(100, { error: "must be at most 100" }) }))
      .min(1, { error: "give at least one version and its weight" }),
    mirror: z.strictObject({ version, percentage: percent.optional() }).optional(),
  })
  .check((ctx) => {
    const { weights, mirror } = ctx.value;
    // Istio ≥1.15 treats weights as relative, so 30/30 silently means 50/50 (istio.md §6 #4): the wizard only
    // writes splits that read the same to a person and to every Istio version.
    const total = weights.reduce((sum, w) => sum + w.weight, 0);
    if (total !== 100) {
      ctx.issues.push({
        code: "custom",
        input: weights,
        path: ["weights"],
        message: `weights must sum to exactly 100, not ${total}`,
      });
    }
    duplicates(weights.map((w) => w.version)).forEach((i) => {
      ctx.issues.push({
        code: "custom",
        input: weights,
        path: ["weights", i, "version"],
        message: "each version may appear once",
      });
    });
    const routed = weights.find((w) => w.version === mirror?.version && w.weight > 0);
    if (mirror !== undefined && routed !== undefined) {
      ctx.issues.push({
        code: "custom",
        input: mirror,
        path: ["mirror", "version"],
        message: `${mirror.version} already receives ${routed.weight}% of the traffic: mirror a version that is not routed`,
      });
    }
  });

const httpMatch = z
  .strictObject({
    headers: headerMatches.optional(),
    uri: stringMatch.optional(),
    queryParams: queryParamMatches.optional(),
  })
  .refine((m) => Object.values(m).some((v) => v !== undefined && Object.keys(v).length > 0), {
    // A rule that matches everything would make every later rule and the default route unreachable (IST0130).
    error: "a rule must match on headers, uri or queryParams; requests that match no rule go to defaultVersion",
  });

const requestRouting = z.strictObject({
  ...target,
  rules: z
    .array(z.strictObject({ match: httpMatch, version }))
    .min(1, { error: "give at least one rule (match → version)" }),
  /** Absent: keep the existing VirtualService's default route (the builder says when there is none). */
  defaultVersion: version.optional(),
});

const fault = z
  .strictObject({
    ...target,
    delay: z.strictObject({ percentage: percent, fixedDelay: duration }).optional(),
    abort: z
      .strictObject({
        percentage: percent,
        httpStatus: z
          .number({ error: typeError("must be an HTTP status code") })
          .int({ error: "must be an HTTP status code" })
          .min(100, { error: "must be an HTTP status from 100 to 599" })
          .max(599, { error: "must be an HTTP status from 100 to 599" }),
      })
      .optional(),
  })
  .refine((b) => b.delay !== undefined || b.abort !== undefined, { error: "give a delay, an abort or both" });

// Envoy's retry policies (x-envoy-retry-on and x-envoy-retry-grpc-on), as Istio's webhook lists them; an HTTP
// status code is accepted as well (Istio turns it into retriable-status-codes).
const RETRY_ON = new Set([
  "5xx",
  "gateway-error",
  "reset",
  "reset-before-request",
  "connect-failure",
  "envoy-ratelimited",
  "retriable-4xx",
  "refused-stream",
  "retriable-status-codes",
  "retriable-headers",
  "http3-post-connect-failure",
  "cancelled",
  "deadline-exceeded",
  "internal",
  "resource-exhausted",
  "unavailable",
]);

const retryOn = z.string().check((ctx) => {
  for (const policy of ctx.value.split(",").map((p) => p.trim())) {
    const code = /^\d{3}$/.test(policy) ? Number(policy) : undefined;
    if (RETRY_ON.has(policy) || (code !== undefined && code >= 100 && code <= 599)) continue;
    ctx.issues.push({
      code: "custom",
      input: ctx.value,
      message: `"${policy}" is not a retry policy (e.g. 5xx, gateway-error, connect-failure, or an HTTP status)`,
    });
  }
});

const timeoutsRetries = z
  .strictObject({
    ...target,
    timeout: duration.optional(),
    retries: z
      .strictObject({ attempts: nonNegativeInt, perTryTimeout: duration.optional(), retryOn: retryOn.optional() })
      .refine((r) => r.attempts > 0 || (r.perTryTimeout === undefined && r.retryOn === undefined), {
        // The webhook rejects this combination: attempts 0 disables retries, so the other fields mean nothing.
        error: "attempts 0 disables retries: drop perTryTimeout and retryOn, or retry at least once",
      })
      .optional(),
  })
  .refine((b) => b.timeout !== undefined || b.retries !== undefined, { error: "give a timeout, retries or both" });

const nonEmpty = <T extends object>(value: T) => Object.values(value).some((v) => v !== undefined);

const connectionPool = z
  .strictObject({
    tcp: z
      .strictObject({ maxConnections: positiveInt.optional(), connectTimeout: duration.optional() })
      .refine(nonEmpty, { error: "set maxConnections or connectTimeout, or leave tcp out" })
      .optional(),
    http: z
      .strictObject({
        http1MaxPendingRequests: positiveInt.optional(),
        http2MaxRequests: positiveInt.optional(),
        maxRequestsPerConnection: nonNegativeInt.optional(),
        maxRetries: nonNegativeInt.optional(),
        idleTimeout: duration.optional(),
        maxConcurrentStreams: positiveInt.optional(),
      })
      .refine(nonEmpty, { error: "set at least one HTTP limit, or leave http out" })
      .optional(),
  })
  // Istio: "connection pool must contain at least one of tcp or http".
  .refine(nonEmpty, { error: "set tcp or http limits" });

const outlierDetection = z
  .strictObject({
    consecutive5xxErrors: nonNegativeInt.optional(),
    consecutiveGatewayErrors: nonNegativeInt.optional(),
    interval: duration.optional(),
    baseEjectionTime: duration.optional(),
    maxEjectionPercent: nonNegativeInt.max(100, { error: "must be a percentage from 0 to 100" }).optional(),
    minHealthPercent: nonNegativeInt.max(100, { error: "must be a percentage from 0 to 100" }).optional(),
  })
  .refine(nonEmpty, { error: "set at least one outlier detection field, or leave outlierDetection out" });

const circuitBreaker = z
  .strictObject({ ...target, connectionPool: connectionPool.optional(), outlierDetection: outlierDetection.optional() })
  .refine((b) => b.connectionPool !== undefined || b.outlierDetection !== undefined, {
    error: "give connectionPool, outlierDetection or both",
  });

const mirroring = z
  .strictObject({
    ...target,
    /** The version that serves the traffic; absent = keep the routes the service has. */
    version: version.optional(),
    mirror: versionRef,
    percentage: percent,
  })
  .refine((b) => b.version === undefined || b.version !== b.mirror.version, {
    path: ["mirror", "version"],
    error: "the mirror must be another version than the one that serves the traffic",
  });

// Envoy's local rate limit refuses a token bucket refilled more often than every 50 ms
// (envoy/source/extensions/filters/common/local_ratelimit: "local rate limit token bucket fill timer must be >= 50ms").
const MIN_FILL_INTERVAL_MS = 50;

const rateLimit = z.strictObject({
  ...target,
  maxTokens: positiveInt,
  tokensPerFill: positiveInt,
  fillInterval: duration.check((ctx) => {
    // zod runs every check, so an invalid duration reaches this one too; it has been reported already.
    const ms = parseIstioDurationMs(ctx.value);
    if (ms !== undefined && ms >= 1 && ms < MIN_FILL_INTERVAL_MS) {
      ctx.issues.push({ code: "custom", input: ctx.value, message: "Envoy needs a fill interval of at least 50ms" });
    }
  }),
});

const mtls = z.strictObject({
  ...target,
  mode: z.enum(["STRICT", "PERMISSIVE", "DISABLE"], { error: "mode must be STRICT, PERMISSIVE or DISABLE" }),
  /** `service` (default): only the service's pods; `namespace`: the namespace-wide policy named `default`. */
  scope: z.enum(["service", "namespace"], { error: 'scope must be "service" or "namespace"' }).default("service"),
});

const list = (what: string) =>
  z
    .array(z.string().min(1, { error: `${what} must not be empty strings` }))
    .min(1, { error: `give at least one of ${what}, or leave it out` });

// Istio principals are SPIFFE ids without the scheme (`cluster.local/ns/default/sa/sleep`); metrics and
// certificates show them with `spiffe://`, and a policy written that way never matches (istio.md §6 #16).
const principals = list("principals").transform((ps) => ps.map((p) => p.replace(/^spiffe:\/\//, "")));

const HTTP_METHODS = /^[A-Z]+$/;

const accessControl = z.strictObject({
  ...target,
  action: z.enum(["ALLOW", "DENY"], { error: "action must be ALLOW or DENY" }),
  rules: z
    .array(
      z.strictObject({
        from: z
          .strictObject({ principals: principals.optional(), namespaces: list("namespaces").optional() })
          .refine(nonEmpty, { error: "from needs principals or namespaces (leave from out to match any source)" })
          .optional(),
        to: z
          .strictObject({
            methods: list("methods")
              .refine((ms) => ms.every((m) => HTTP_METHODS.test(m)), { error: "methods are upper-case, like GET" })
              .optional(),
            paths: list("paths").optional(),
          })
          .refine(nonEmpty, { error: "to needs methods or paths (leave to out to match any request)" })
          .optional(),
      }),
    )
    // An empty rule list is "allow nothing" for ALLOW and "deny nothing" for DENY: never what a form means.
    .min(1, { error: "give at least one rule" }),
});

function duplicates(values: readonly string[]): number[] {
  return values.flatMap((v, i) => (values.indexOf(v) < i ? [i] : []));
}

/** The zod schema of each wizard's body; strict objects, so an unknown key is an error naming the key. */
export const WIZARD_BODY_SCHEMAS = {
  "traffic-shifting": trafficShifting,
  "request-routing": requestRouting,
  "fault-injection": fault,
  "timeouts-retries": timeoutsRetries,
  "circuit-breaker": circuitBreaker,
  mirroring,
  "rate-limit": rateLimit,
  mtls,
  "access-control": accessControl,
} as const satisfies Record<WizardName, z.ZodType>;

/** A wizard's body after parsing (defaults filled in, principals without `spiffe://`). */
export type WizardBody<N extends WizardName> = z.output<(typeof WIZARD_BODY_SCHEMAS)[N]>;
/** A wizard's body as a client writes it. */
export type WizardBodyInput<N extends WizardName> = z.input<(typeof WIZARD_BODY_SCHEMAS)[N]>;

export type TrafficShiftingBody = WizardBody<"traffic-shifting">;
export type RequestRoutingBody = WizardBody<"request-routing">;
export type FaultInjectionBody = WizardBody<"fault-injection">;
export type TimeoutsRetriesBody = WizardBody<"timeouts-retries">;
export type CircuitBreakerBody = WizardBody<"circuit-breaker">;
export type MirroringBody = WizardBody<"mirroring">;
export type RateLimitBody = WizardBody<"rate-limit">;
export type MtlsBody = WizardBody<"mtls">;
export type AccessControlBody = WizardBody<"access-control">;
