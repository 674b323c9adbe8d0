/** Forms of the resilience wizards: fault injection, timeouts and retries, circuit breaker. */
import { DurationField, NumberField, TextField, ToggleGroup } from "../fields";
import type { CircuitBreakerForm, FaultInjectionForm, TimeoutsRetriesForm } from "../form-state";

export function FaultInjectionFields({
  form,
  onChange,
}: {
  form: FaultInjectionForm;
  onChange(form: FaultInjectionForm): void;
}) {
  const { delay, abort } = form;
  return (
    <>
      <ToggleGroup
        label="Add HTTP delay"
        enabled={delay.enabled}
        onToggle={(enabled) => onChange({ ...form, delay: { ...delay, enabled } })}
        testId="fault-delay"
      >
        <NumberField
          label="Delayed requests"
          value={delay.percent}
          min={0}
          max={100}
          integer={false}
          suffix="%"
          testId="delay-percent"
          onChange={(percent) => onChange({ ...form, delay: { ...delay, percent } })}
        />
        <DurationField
          label="Fixed delay"
          value={delay.duration}
          testId="delay-duration"
          onChange={(duration) => onChange({ ...form, delay: { ...delay, duration } })}
        />
      </ToggleGroup>
      <ToggleGroup
        label="Add HTTP abort"
        enabled={abort.enabled}
        onToggle={(enabled) => onChange({ ...form, abort: { ...abort, enabled } })}
        testId="fault-abort"
      >
        <NumberField
          label="Aborted requests"
          value={abort.percent}
          min={0}
          max={100}
          integer={false}
          suffix="%"
          testId="abort-percent"
          onChange={(percent) => onChange({ ...form, abort: { ...abort, percent } })}
        />
        <NumberField
          label="HTTP status"
          value={abort.status}
          min={100}
          max={599}
          testId="abort-status"
          hint="100–599"
          onChange={(status) => onChange({ ...form, abort: { ...abort, status } })}
        />
      </ToggleGroup>
    </>
  );
}

export function TimeoutsRetriesFields({
  form,
  onChange,
}: {
  form: TimeoutsRetriesForm;
  onChange(form: TimeoutsRetriesForm): void;
}) {
  const { timeout, retries } = form;
  return (
    <>
      <ToggleGroup
        label="Add HTTP timeout"
        enabled={timeout.enabled}
        onToggle={(enabled) => onChange({ ...form, timeout: { ...timeout, enabled } })}
        testId="timeout-group"
      >
        <DurationField
          label="Timeout"
          value={timeout.duration}
          testId="timeout-duration"
          onChange={(duration) => onChange({ ...form, timeout: { ...timeout, duration } })}
        />
      </ToggleGroup>
      <ToggleGroup
        label="Add HTTP retries"
        enabled={retries.enabled}
        onToggle={(enabled) => onChange({ ...form, retries: { ...retries, enabled } })}
        testId="retries-group"
      >
        <NumberField
          label="Attempts"
          value={retries.attempts}
          min={1}
          max={100}
          testId="retry-attempts"
          onChange={(attempts) => onChange({ ...form, retries: { ...retries, attempts } })}
        />
        <ToggleGroup
          label="Per-try timeout"
          enabled={retries.perTry.enabled}
          onToggle={(enabled) => onChange({ ...form, retries: { ...retries, perTry: { ...retries.perTry, enabled } } })}
        >
          <DurationField
            label="Per-try timeout"
            value={retries.perTry.duration}
            onChange={(duration) =>
              onChange({ ...form, retries: { ...retries, perTry: { ...retries.perTry, duration } } })
            }
          />
        </ToggleGroup>
        <TextField
          label="Retry on (comma-separated Envoy conditions)"
          value={retries.retryOn}
          onChange={(retryOn) => onChange({ ...form, retries: { ...retries, retryOn } })}
        />
      </ToggleGroup>
    </>
  );
}

export function CircuitBreakerFields({
  form,
  onChange,
}: {
  form: CircuitBreakerForm;
  onChange(form: CircuitBreakerForm): void;
}) {
  const { pool, outlier } = form;
  const setPool = (patch: Partial<CircuitBreakerForm["pool"]>) => onChange({ ...form, pool: { ...pool, ...patch } });
  const setOutlier = (patch: Partial<CircuitBreakerForm["outlier"]>) =>
    onChange({ ...form, outlier: { ...outlier, ...patch } });
  return (
    <>
      <ToggleGroup
        label="Connection pool"
        enabled={pool.enabled}
        onToggle={(enabled) => setPool({ enabled })}
        testId="cb-pool"
      >
        <NumberField
          label="Max connections (TCP)"
          value={pool.maxConnections}
          min={1}
          max={1_000_000}
          testId="cb-max-connections"
          onChange={(maxConnections) => setPool({ maxConnections })}
        />
        <NumberField
          label="HTTP/1 max pending requests"
          value={pool.http1MaxPendingRequests}
          min={1}
          max={1_000_000}
          testId="cb-max-pending"
          onChange={(http1MaxPendingRequests) => setPool({ http1MaxPendingRequests })}
        />
        <NumberField
          label="Max requests per connection"
          value={pool.maxRequestsPerConnection}
          min={1}
          max={1_000_000}
          testId="cb-max-per-connection"
          onChange={(maxRequestsPerConnection) => setPool({ maxRequestsPerConnection })}
        />
      </ToggleGroup>
      <ToggleGroup
        label="Outlier detection"
        enabled={outlier.enabled}
        onToggle={(enabled) => setOutlier({ enabled })}
        testId="cb-outlier"
      >
        <NumberField
          label="Consecutive 5xx errors"
          value={outlier.consecutive5xxErrors}
          min={1}
          max={1_000}
          onChange={(consecutive5xxErrors) => setOutlier({ consecutive5xxErrors })}
        />
        <DurationField label="Interval" value={outlier.interval} onChange={(interval) => setOutlier({ interval })} />
        <DurationField
          label="Base ejection time"
          value={outlier.baseEjectionTime}
          onChange={(baseEjectionTime) => setOutlier({ baseEjectionTime })}
        />
        <NumberField
          label="Max ejection"
          value={outlier.maxEjectionPercent}
          min={0}
          max={100}
          suffix="%"
          onChange={(maxEjectionPercent) => setOutlier({ maxEjectionPercent })}
        />
      </ToggleGroup>
    </>
  );
}
