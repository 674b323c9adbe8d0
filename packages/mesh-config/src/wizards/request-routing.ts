// Request routing (A/B tests, dark launches by header): matched rules to versions, then the default route.
import type { HTTPRoute, MeshObject } from "../objects.js";
import type { RequestRoutingBody } from "./body-schemas.js";
import { currentRoutes, defaultRouteIndex, destination, dropMirrorOntoRouted, withHttpRoutes } from "./routes.js";
import { planSubsets, type VersionUse } from "./subsets.js";
import { type Built, built, failed, type WizardTarget } from "./target.js";

/**
 * The VirtualService's rules become the body's rules, in order, followed by the default route LAST (a catch-all
 * before a matched rule would make the rule unreachable, IST0130). The wizard owns the matched rules: existing
 * ones are replaced. The existing default route is kept with its fault, timeout, retries and mirror (its
 * destination becomes `defaultVersion` when given), and the new rules inherit its fault, timeout and retries so
 * that a feature set for the whole service still holds for requests that match a rule.
 */
export function buildRequestRouting(t: WizardTarget, body: RequestRoutingBody): Built<MeshObject[]> {
  const uses: VersionUse[] = body.rules.map((r, i) => ({ version: r.version, path: `rules[${i}].version` }));
  if (body.defaultVersion !== undefined) uses.push({ version: body.defaultVersion, path: "defaultVersion" });
  const plan = planSubsets(t, uses);
  if (!plan.ok) return plan;
  const subset = (version: string) => plan.value.subsetOf.get(version);

  const http = currentRoutes(t);
  const existingDefault = http[defaultRouteIndex(http)];
  let defaultRoute: HTTPRoute;
  if (body.defaultVersion !== undefined) {
    defaultRoute = dropMirrorOntoRouted({
      ...existingDefault,
      route: [{ destination: destination(t, subset(body.defaultVersion)) }],
    });
  } else if (existingDefault !== undefined) {
    defaultRoute = existingDefault;
  } else {
    return failed({
      path: "defaultVersion",
      message: `${t.service} has no default route to keep: name the version that serves requests matching no rule`,
    });
  }

  const inherited: HTTPRoute = {};
  if (existingDefault?.fault !== undefined) inherited.fault = existingDefault.fault;
  if (existingDefault?.timeout !== undefined) inherited.timeout = existingDefault.timeout;
  if (existingDefault?.retries !== undefined) inherited.retries = existingDefault.retries;
  const rules: HTTPRoute[] = body.rules.map((r) => ({
    match: [{ ...r.match }],
    route: [{ destination: destination(t, subset(r.version)) }],
    ...inherited,
  }));

  const vs = withHttpRoutes(t, [...rules, defaultRoute]);
  if (!vs.ok) return vs;
  const dr = plan.value.destinationRule;
  return built(dr === undefined ? [vs.value] : [dr, vs.value]);
}
