// buildWizard: body in (untrusted JSON), Istio objects out, or the problems with the body, each with its path.
import type { WizardName } from "@meshscope/model";
import type * as z from "zod";
import { formatPath } from "../object-shape.js";
import type { MeshObject } from "../objects.js";
import { WIZARD_BODY_SCHEMAS, type WizardBody } from "./body-schemas.js";
import { buildCircuitBreaker } from "./circuit-breaker.js";
import { buildMirroring } from "./mirroring.js";
import { buildRateLimit } from "./rate-limit.js";
import { buildRequestRouting } from "./request-routing.js";
import { buildFaultInjection, buildTimeoutsRetries } from "./route-features.js";
import { buildAccessControl, buildMtls } from "./security.js";
import type { Built, WizardTarget } from "./target.js";
import { buildTrafficShifting } from "./traffic-shifting.js";
import type { WizardBuild, WizardContext } from "./types.js";

// Mapped types, so that indexing with a generic wizard name keeps body, schema and builder in step.
const SCHEMAS: { [N in WizardName]: z.ZodType<WizardBody<N>, unknown> } = WIZARD_BODY_SCHEMAS;

type Builder<N extends WizardName> = (t: WizardTarget, body: WizardBody<N>) => Built<MeshObject[]>;

const BUILDERS: { [N in WizardName]: Builder<N> } = {
  "traffic-shifting": buildTrafficShifting,
  "request-routing": buildRequestRouting,
  "fault-injection": buildFaultInjection,
  "timeouts-retries": buildTimeoutsRetries,
  "circuit-breaker": buildCircuitBreaker,
  mirroring: buildMirroring,
  "rate-limit": buildRateLimit,
  mtls: buildMtls,
  "access-control": buildAccessControl,
};

/**
 * The Istio objects `name` writes for `body`, in apply order (DestinationRules before the VirtualServices that
 * route to their subsets), merged into what `context.existing` holds for the service. Only objects the wizard
 * creates or changes are returned; an existing DestinationRule that already has every subset is left out.
 */
export function buildWizard(name: WizardName, body: unknown, context: WizardContext): WizardBuild {
  return run(name, body, context);
}

// Generic over the wizard so the parsed body and its builder are checked against each other.
function run<N extends WizardName>(name: N, body: unknown, context: WizardContext): WizardBuild {
  const parsed = SCHEMAS[name].safeParse(body, {
    error: (issue) =>
      issue.code === "invalid_type" && issue.input === undefined ? "required field is missing" : undefined,
  });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => ({
      path: formatPath(issue.path.filter((p): p is string | number => typeof p !== "symbol")),
      message: issue.message,
    }));
    return { ok: false, problems };
  }
  const target: WizardTarget = {
    wizard: name,
    namespace: parsed.data.namespace,
    service: parsed.data.service,
    context,
  };
  const result = BUILDERS[name](target, parsed.data);
  return result.ok ? { ok: true, objects: result.value } : result;
}
