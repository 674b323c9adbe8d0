/** A service's health: its inbound requests (destination proxy's reports) against Kiali's thresholds. */
import type { HealthStatus } from "@meshscope/model";
import { type HealthThresholds, tallyHealth } from "../graph/health.js";
import type { Red } from "./red.js";

/** No requests at all is `idle`; TCP-only traffic has no request health (`unknown`), as in Kiali. */
export function serviceHealth(inbound: Red, th: HealthThresholds): HealthStatus {
  return tallyHealth(inbound.tally, th) ?? (inbound.hasTcp ? "unknown" : "idle");
}
