import type { HealthStatus } from "@meshscope/model";
import { HEALTH_ICON, HEALTH_LABEL } from "./health";

/** A health state as icon + word in its colour; `data-health` lets tests and user scripts read the state. */
export function HealthBadge({ health, compact = false }: { health: HealthStatus; compact?: boolean }) {
  return (
    <span
      className={`health health-${health}`}
      data-testid="health-badge"
      data-health={health}
      title={compact ? HEALTH_LABEL[health] : undefined}
    >
      <span className="health-icon" aria-hidden="true">
        {HEALTH_ICON[health]}
      </span>
      <span className={compact ? "visually-hidden" : undefined}>{HEALTH_LABEL[health]}</span>
    </span>
  );
}
