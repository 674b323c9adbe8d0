// Fault injection and timeouts/retries: route-level features, set on every route of the service's
// VirtualService (see onEveryRoute), so the routing itself (weights, matched rules) stays as it is.
import type { HTTPFaultInjection, HTTPRetry, HTTPRoute, MeshObject } from "../objects.js";
import type { FaultInjectionBody, TimeoutsRetriesBody } from "./body-schemas.js";
import { currentRoutes, onEveryRoute, withHttpRoutes, without } from "./routes.js";
import { type Built, built, type WizardTarget } from "./target.js";

/**
 * `fault` on every route, replacing any fault there (the wizard describes the whole fault: a delay-only body
 * removes an earlier abort). `percentage.value` is always written: without it Istio injects nothing
 * (istio.md §6 #7). Istio disables timeouts and retries on a route with a fault; validation warns about that.
 */
export function buildFaultInjection(t: WizardTarget, body: FaultInjectionBody): Built<MeshObject[]> {
  const fault: HTTPFaultInjection = {};
  if (body.delay !== undefined) {
    fault.delay = { percentage: { value: body.delay.percentage.value }, fixedDelay: body.delay.fixedDelay };
  }
  if (body.abort !== undefined) {
    fault.abort = { percentage: { value: body.abort.percentage.value }, httpStatus: body.abort.httpStatus };
  }
  return virtualServiceOnly(
    t,
    onEveryRoute(t, currentRoutes(t), (r) => ({ ...r, fault })),
  );
}

/**
 * `timeout` and `retries` on every route. The wizard owns both: a field the body leaves out is removed from the
 * routes (a form with "Add HTTP Retry" unchecked means no retry policy).
 */
export function buildTimeoutsRetries(t: WizardTarget, body: TimeoutsRetriesBody): Built<MeshObject[]> {
  const retries: HTTPRetry | undefined = body.retries === undefined ? undefined : { attempts: body.retries.attempts };
  if (retries !== undefined && body.retries?.perTryTimeout !== undefined) {
    retries.perTryTimeout = body.retries.perTryTimeout;
  }
  if (retries !== undefined && body.retries?.retryOn !== undefined) retries.retryOn = body.retries.retryOn;
  return virtualServiceOnly(
    t,
    onEveryRoute(t, currentRoutes(t), (r) => {
      const next: HTTPRoute = without(r, "timeout", "retries");
      if (body.timeout !== undefined) next.timeout = body.timeout;
      if (retries !== undefined) next.retries = retries;
      return next;
    }),
  );
}

function virtualServiceOnly(t: WizardTarget, http: HTTPRoute[]): Built<MeshObject[]> {
  const vs = withHttpRoutes(t, http);
  return vs.ok ? built([vs.value]) : vs;
}
