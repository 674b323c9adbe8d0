// The wizard builders (issue #7, DESIGN §5): pure functions from a wizard body and the mesh as it is to the Istio
// objects to apply. See build.ts for the order and merging rules, routes.ts for how wizards compose.
export type {
  AccessControlBody,
  CircuitBreakerBody,
  FaultInjectionBody,
  MirroringBody,
  MtlsBody,
  RateLimitBody,
  RequestRoutingBody,
  TimeoutsRetriesBody,
  TrafficShiftingBody,
  WizardBody,
  WizardBodyInput,
} from "./body-schemas.js";
export { WIZARD_BODY_SCHEMAS } from "./body-schemas.js";
export { buildWizard } from "./build.js";
export { isManaged, wizardOf } from "./metadata.js";
export { rateLimitFilterName } from "./rate-limit.js";
export type { KnownVersion, WizardBuild, WizardContext } from "./types.js";
