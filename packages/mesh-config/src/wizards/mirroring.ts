// Mirroring (dark launch): copies of live requests go to another version, whose answers are discarded.
import type { HTTPRoute, MeshObject } from "../objects.js";
import type { MirroringBody } from "./body-schemas.js";
import { currentRoutes, defaultRouteIndex, destination, onEveryRoute, withHttpRoutes, without } from "./routes.js";
import { planSubsets, type VersionUse } from "./subsets.js";
import { type Built, built, failed, type WizardTarget } from "./target.js";

/**
 * With `version`, the default route sends all traffic to that version; without it the routes the service has are
 * kept. Every route that sends traffic then mirrors `percentage` of it to the mirror version (`mirror` and
 * `mirrorPercentage`, replacing any `mirrors` list, which Istio does not allow beside `mirror`). Mirroring to a
 * version a route already sends traffic to is refused: the version would serve those requests twice.
 */
export function buildMirroring(t: WizardTarget, body: MirroringBody): Built<MeshObject[]> {
  const uses: VersionUse[] = [{ version: body.mirror.version, path: "mirror.version" }];
  if (body.version !== undefined) uses.unshift({ version: body.version, path: "version" });
  const plan = planSubsets(t, uses);
  if (!plan.ok) return plan;
  const mirrorSubset = plan.value.subsetOf.get(body.mirror.version);
  const primary = body.version === undefined ? undefined : plan.value.subsetOf.get(body.version);

  const base = primary === undefined ? currentRoutes(t) : routedTo(t, primary);
  const clash = base.findIndex((r) =>
    (r.route ?? []).some((d) => d.destination.subset === mirrorSubset && d.weight !== 0),
  );
  if (clash >= 0) {
    return failed({
      path: "mirror.version",
      message: `${body.mirror.version} already receives traffic from route spec.http[${clash}]: mirror a version that is not routed`,
    });
  }
  const http = onEveryRoute(t, base, (r) => ({
    ...without(r, "mirrors"),
    mirror: destination(t, mirrorSubset),
    mirrorPercentage: { value: body.percentage.value },
  }));

  const vs = withHttpRoutes(t, http);
  if (!vs.ok) return vs;
  const dr = plan.value.destinationRule;
  return built(dr === undefined ? [vs.value] : [dr, vs.value]);
}

/** The current routes with the default route (added when missing) sending everything to `subset`. */
function routedTo(t: WizardTarget, subset: string): HTTPRoute[] {
  const http = currentRoutes(t);
  const index = defaultRouteIndex(http);
  const next: HTTPRoute = { ...(index >= 0 ? http[index] : {}), route: [{ destination: destination(t, subset) }] };
  if (index >= 0) http[index] = next;
  else http.push(next);
  return http;
}
