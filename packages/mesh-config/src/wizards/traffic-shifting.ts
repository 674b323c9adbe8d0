// Traffic shifting (canary): the default route split by weight across versions, optionally mirroring one more.
import type { HTTPRoute, MeshObject } from "../objects.js";
import type { TrafficShiftingBody } from "./body-schemas.js";
import {
  currentRoutes,
  defaultRouteIndex,
  destination,
  dropMirrorOntoRouted,
  withHttpRoutes,
  without,
} from "./routes.js";
import { planSubsets, type VersionUse } from "./subsets.js";
import { type Built, built, type WizardTarget } from "./target.js";

/**
 * DestinationRule subsets for the versions, then the VirtualService whose default route carries the weights.
 * An existing VirtualService keeps its matched rules (request routing) and the default route keeps its fault,
 * timeout and retries; only `route` (and the mirror, when the body names one) is replaced.
 */
export function buildTrafficShifting(t: WizardTarget, body: TrafficShiftingBody): Built<MeshObject[]> {
  const uses: VersionUse[] = body.weights.map((w, i) => ({ version: w.version, path: `weights[${i}].version` }));
  if (body.mirror !== undefined) uses.push({ version: body.mirror.version, path: "mirror.version" });
  const plan = planSubsets(t, uses);
  if (!plan.ok) return plan;
  const subset = (version: string) => plan.value.subsetOf.get(version);

  const mirror = body.mirror;
  // A mirrored version receives copies, not routed traffic (it may be listed with weight 0 by a form).
  const route = body.weights
    .filter((w) => w.version !== mirror?.version)
    .map((w) => ({ destination: destination(t, subset(w.version)), weight: w.weight }));

  const http = currentRoutes(t);
  const index = defaultRouteIndex(http);
  let next: HTTPRoute = { ...(index >= 0 ? http[index] : {}), route };
  if (mirror !== undefined) {
    next = { ...without(next, "mirrors", "mirrorPercentage"), mirror: destination(t, subset(mirror.version)) };
    if (mirror.percentage !== undefined) next.mirrorPercentage = { value: mirror.percentage.value };
  }
  next = dropMirrorOntoRouted(next);
  if (index >= 0) http[index] = next;
  else http.push(next);

  const vs = withHttpRoutes(t, http);
  if (!vs.ok) return vs;
  const dr = plan.value.destinationRule;
  return built(dr === undefined ? [vs.value] : [dr, vs.value]);
}
