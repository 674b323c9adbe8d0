import type { FormEvent, ReactNode } from "react";
import { useId } from "react";
import { LOOKBACK_OPTIONS, type SearchFieldErrors, type TraceSearchFields } from "./url";

/** What the form shows in a select whose options come from the API. */
export interface OptionsState {
  status: "idle" | "loading" | "error" | "ready";
  options: string[];
  error?: string;
}

interface TraceSearchFormProps {
  fields: TraceSearchFields;
  errors: SearchFieldErrors;
  services: OptionsState;
  operations: OptionsState;
  onChange: (fields: TraceSearchFields) => void;
  onSubmit: () => void;
  searching: boolean;
}

/** The Jaeger-style search form. Pure: the page owns the fields and the option lists. */
export function TraceSearchForm({
  fields,
  errors,
  services,
  operations,
  onChange,
  onSubmit,
  searching,
}: TraceSearchFormProps) {
  const set = (name: keyof TraceSearchFields, value: string) => {
    // Operations are per service: a new service invalidates the chosen operation.
    onChange(name === "service" ? { ...fields, service: value, operation: "" } : { ...fields, [name]: value });
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit();
  };
  // Keep a URL-given service selectable even before (or without) the service list knowing it.
  const serviceOptions = withCurrent(services.options, fields.service);
  const operationOptions = withCurrent(operations.options, fields.operation);

  return (
    <form className="search-form" onSubmit={submit} data-testid="trace-search-form" aria-label="Search traces">
      <Field label="Service" hint={services.status === "error" ? services.error : undefined}>
        {(id) => (
          <select
            id={id}
            data-testid="search-service"
            value={fields.service}
            onChange={(e) => set("service", e.target.value)}
          >
            <option value="">{services.status === "loading" ? "Loading services…" : "All services"}</option>
            {serviceOptions.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Operation" hint={operations.status === "error" ? operations.error : undefined}>
        {(id) => (
          <select
            id={id}
            data-testid="search-operation"
            value={fields.operation}
            disabled={fields.service === ""}
            onChange={(e) => set("operation", e.target.value)}
          >
            <option value="">
              {fields.service === ""
                ? "Pick a service first"
                : operations.status === "loading"
                  ? "Loading operations…"
                  : "All operations"}
            </option>
            {operationOptions.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Tags" hint="logfmt: http.status_code=500 error=true" wide>
        {(id) => (
          <input
            id={id}
            data-testid="search-tags"
            type="text"
            spellCheck={false}
            placeholder='http.method=GET peer.service="my svc"'
            value={fields.tags}
            onChange={(e) => set("tags", e.target.value)}
          />
        )}
      </Field>
      <Field label="Lookback">
        {(id) => (
          <select
            id={id}
            data-testid="search-lookback"
            value={fields.lookback}
            onChange={(e) => set("lookback", e.target.value)}
          >
            {withCurrent(
              LOOKBACK_OPTIONS.map((o) => o.value),
              fields.lookback,
            ).map((value) => (
              <option key={value} value={value}>
                {LOOKBACK_OPTIONS.find((o) => o.value === value)?.label ?? `Last ${value}`}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Min duration" error={errors.minDuration}>
        {(id) => (
          <input
            id={id}
            data-testid="search-min-duration"
            type="text"
            placeholder="e.g. 100ms"
            value={fields.minDuration}
            aria-invalid={errors.minDuration ? true : undefined}
            onChange={(e) => set("minDuration", e.target.value)}
          />
        )}
      </Field>
      <Field label="Max duration" error={errors.maxDuration}>
        {(id) => (
          <input
            id={id}
            data-testid="search-max-duration"
            type="text"
            placeholder="e.g. 1.2s"
            value={fields.maxDuration}
            aria-invalid={errors.maxDuration ? true : undefined}
            onChange={(e) => set("maxDuration", e.target.value)}
          />
        )}
      </Field>
      <Field label="Limit" error={errors.limit}>
        {(id) => (
          <input
            id={id}
            data-testid="search-limit"
            type="number"
            min={1}
            max={10_000}
            value={fields.limit}
            aria-invalid={errors.limit ? true : undefined}
            onChange={(e) => set("limit", e.target.value)}
          />
        )}
      </Field>
      <div className="search-form-actions">
        <button type="submit" className="button button-primary" data-testid="search-submit" disabled={searching}>
          {searching ? "Searching…" : "Find traces"}
        </button>
      </div>
    </form>
  );
}

function Field({
  label,
  hint,
  error,
  wide,
  children,
}: {
  label: string;
  hint?: string | undefined;
  error?: string | undefined;
  wide?: boolean;
  children: (id: string) => ReactNode;
}) {
  const id = useId();
  return (
    <div className={wide ? "field field-wide" : "field"}>
      <label htmlFor={id}>{label}</label>
      {children(id)}
      {error ? (
        <span className="field-error" role="alert">
          {error}
        </span>
      ) : (
        hint && <span className="field-hint">{hint}</span>
      )}
    </div>
  );
}

function withCurrent(options: readonly string[], current: string): string[] {
  return current === "" || options.includes(current) ? [...options] : [current, ...options];
}
