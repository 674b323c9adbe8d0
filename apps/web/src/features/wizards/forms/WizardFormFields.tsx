import type { WizardForm } from "../form-state";
import { AccessControlFields, MtlsFields, RateLimitFields } from "./PolicyFields";
import { CircuitBreakerFields, FaultInjectionFields, TimeoutsRetriesFields } from "./ResilienceFields";
import { MirroringFields, RequestRoutingFields } from "./RoutingFields";
import { TrafficShiftingFields } from "./TrafficShiftingFields";

/** The form of whichever wizard `state` belongs to; each edit produces a state of the same wizard. */
export function WizardFormFields({
  state,
  versions,
  onChange,
}: {
  state: WizardForm;
  versions: readonly string[];
  onChange(state: WizardForm): void;
}) {
  switch (state.wizard) {
    case "traffic-shifting":
      return <TrafficShiftingFields form={state.form} onChange={(form) => onChange({ wizard: state.wizard, form })} />;
    case "request-routing":
      return (
        <RequestRoutingFields
          form={state.form}
          versions={versions}
          onChange={(form) => onChange({ wizard: state.wizard, form })}
        />
      );
    case "fault-injection":
      return <FaultInjectionFields form={state.form} onChange={(form) => onChange({ wizard: state.wizard, form })} />;
    case "timeouts-retries":
      return <TimeoutsRetriesFields form={state.form} onChange={(form) => onChange({ wizard: state.wizard, form })} />;
    case "circuit-breaker":
      return <CircuitBreakerFields form={state.form} onChange={(form) => onChange({ wizard: state.wizard, form })} />;
    case "mirroring":
      return (
        <MirroringFields
          form={state.form}
          versions={versions}
          onChange={(form) => onChange({ wizard: state.wizard, form })}
        />
      );
    case "rate-limit":
      return <RateLimitFields form={state.form} onChange={(form) => onChange({ wizard: state.wizard, form })} />;
    case "mtls":
      return <MtlsFields form={state.form} onChange={(form) => onChange({ wizard: state.wizard, form })} />;
    case "access-control":
      return <AccessControlFields form={state.form} onChange={(form) => onChange({ wizard: state.wizard, form })} />;
  }
}
