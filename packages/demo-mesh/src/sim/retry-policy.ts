// Route timeouts and retries as Istio programs Envoy's router (istio.md §4.1; istio/istio
// pilot/pkg/networking/core/route/retry): with no `retries` on the route Istio still installs its default policy,
// 2 retries on "connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes" with 503 as the
// retriable status; numeric `retryOn` entries become retriable status codes. The route `timeout` is disabled
// unless set. A route with a `fault` gets neither ("timeouts or retries will not be enabled when faults are
// enabled on the client side", virtual_service.proto).

import { type HTTPRoute, parseIstioDurationMs } from "@meshscope/mesh-config";

export interface RetryPolicy {
  /** Retries after the first try (Envoy num_retries). */
  retries: number;
  perTryTimeoutMs: number;
  on: ReadonlySet<string>;
  statusCodes: ReadonlySet<number>;
}

export interface RoutePolicy {
  timeoutMs: number;
  retry: RetryPolicy;
}

const DEFAULT_RETRY_ON = "connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes";
const NO_RETRY: RetryPolicy = {
  retries: 0,
  perTryTimeoutMs: Number.POSITIVE_INFINITY,
  on: new Set(),
  statusCodes: new Set(),
};

function parseRetryOn(retryOn: string): { on: Set<string>; statusCodes: Set<number> } {
  const on = new Set<string>();
  const statusCodes = new Set<number>();
  for (const raw of retryOn.split(",")) {
    const p = raw.trim();
    if (p === "") continue;
    if (/^\d{3}$/.test(p)) {
      statusCodes.add(Number(p));
      on.add("retriable-status-codes");
    } else on.add(p);
  }
  return { on, statusCodes };
}

const durationOr = (d: string | undefined, fallback: number): number => {
  const ms = d === undefined ? undefined : parseIstioDurationMs(d);
  return ms === undefined || ms <= 0 ? fallback : ms;
};

// Memo of buildPolicy per route object (a pure function of it); dropped with the config that holds the route.
const cache = new WeakMap<HTTPRoute, RoutePolicy>();
const defaultRetryOn = parseRetryOn(DEFAULT_RETRY_ON);
// The default policy's retriable status code (Istio's DefaultPolicy sets RetriableStatusCodes 503).
defaultRetryOn.statusCodes.add(503);
const DEFAULT_POLICY: RoutePolicy = {
  timeoutMs: Number.POSITIVE_INFINITY,
  retry: { retries: 2, perTryTimeoutMs: Number.POSITIVE_INFINITY, ...defaultRetryOn },
};

export function routePolicy(route: HTTPRoute | undefined): RoutePolicy {
  if (!route) return DEFAULT_POLICY;
  let p = cache.get(route);
  if (!p) {
    p = buildPolicy(route);
    cache.set(route, p);
  }
  return p;
}

function buildPolicy(route: HTTPRoute): RoutePolicy {
  if (route.fault) return { timeoutMs: Number.POSITIVE_INFINITY, retry: NO_RETRY };
  const timeoutMs = durationOr(route.timeout, Number.POSITIVE_INFINITY);
  const r = route.retries;
  if (!r) return { timeoutMs, retry: DEFAULT_POLICY.retry };
  const retries = r.attempts ?? 2;
  if (retries <= 0) return { timeoutMs, retry: NO_RETRY };
  const parsed = r.retryOn ? parseRetryOn(r.retryOn) : { on: DEFAULT_POLICY.retry.on, statusCodes: new Set([503]) };
  return {
    timeoutMs,
    retry: { retries, perTryTimeoutMs: durationOr(r.perTryTimeout, Number.POSITIVE_INFINITY), ...parsed },
  };
}

/** How an attempt failed, in Envoy's retry terms. */
export type FailureKind = "response" | "connect-failure" | "per-try-timeout";

/** Whether Envoy's retry state would retry this outcome (envoy RetryStateImpl, x-envoy-retry-on semantics). */
export function isRetriable(policy: RetryPolicy, kind: FailureKind, code: number): boolean {
  const on = policy.on;
  if (kind === "connect-failure")
    return on.has("connect-failure") || on.has("5xx") || on.has("gateway-error") || on.has("reset");
  if (kind === "per-try-timeout") return on.has("5xx") || on.has("gateway-error") || on.has("reset");
  if (on.has("5xx") && code >= 500) return true;
  if (on.has("gateway-error") && (code === 502 || code === 503 || code === 504)) return true;
  if (on.has("retriable-4xx") && code === 409) return true;
  return on.has("retriable-status-codes") && policy.statusCodes.has(code);
}

/** Envoy's fully jittered exponential back-off: uniform in [0, (2^n − 1) · 25 ms], capped at 250 ms. */
export function backoffMs(retryNumber: number, random: number): number {
  return random * Math.min(250, (2 ** retryNumber - 1) * 25);
}
