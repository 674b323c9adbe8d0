import type { FormEvent, ReactNode } from "react";
import { useId } from "react";
import { localInputToUs, usToLocalInput } from "./local-time";
import { CUSTOM_LOOKBACK, LOOKBACK_OPTIONS, MAX_LIMIT, type SearchFieldErrors, type TraceSearchFields } from "./url";

/** What the form shows for a field whose options come from the API. */
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

  return (
    <form className="search-form" onSubmit={submit} data-testid="trace-search-form" aria-label="Search traces">
      <ServiceField value={fields.service} services={services} onChange={(v) => set("service", v)} />
      <OperationField
        service={fields.service}
        value={fields.operation}
        operations={operations}
        onChange={(v) => set("operation", v)}
      />
      <Field label="Tags" hint="logfmt: http.status_code=500 error=true" error={errors.tags}>
        {(id, describedBy) => (
          <input
            id={id}
            data-testid="search-tags"
            type="text"
            spellCheck={false}
            autoComplete="off"
            placeholder='http.method=GET peer.service="my svc"'
            value={fields.tags}
            aria-invalid={errors.tags ? true : undefined}
            aria-describedby={describedBy}
            onChange={(e) => set("tags", e.target.value)}
          />
        )}
      </Field>
      <LookbackField fields={fields} errors={errors} onChange={onChange} />
      <div className="search-form-row">
        <TextField
          label="Min duration"
          testId="search-min-duration"
          placeholder="e.g. 100ms"
          value={fields.minDuration}
          error={errors.minDuration}
          onChange={(v) => set("minDuration", v)}
        />
        <TextField
          label="Max duration"
          testId="search-max-duration"
          placeholder="e.g. 1.2s"
          value={fields.maxDuration}
          error={errors.maxDuration}
          onChange={(v) => set("maxDuration", v)}
        />
      </div>
      <Field label="Limit" error={errors.limit}>
        {(id, describedBy) => (
          <input
            id={id}
            data-testid="search-limit"
            type="number"
            min={1}
            max={MAX_LIMIT}
            value={fields.limit}
            aria-invalid={errors.limit ? true : undefined}
            aria-describedby={describedBy}
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

/** Free text with completion from the service list: a service that sent spans a minute ago is still searchable. */
function ServiceField({
  value,
  services,
  onChange,
}: {
  value: string;
  services: OptionsState;
  onChange: (value: string) => void;
}) {
  const listId = useId();
  const hint =
    services.status === "error"
      ? services.error
      : services.status === "loading"
        ? "Loading services…"
        : `${services.options.length} services; empty means all`;
  return (
    <Field label="Service" hint={hint}>
      {(id, describedBy) => (
        <>
          <input
            id={id}
            data-testid="search-service"
            type="text"
            list={listId}
            autoComplete="off"
            spellCheck={false}
            placeholder="All services"
            value={value}
            aria-describedby={describedBy}
            onChange={(e) => onChange(e.target.value)}
          />
          <datalist id={listId}>
            {services.options.map((name) => (
              <option key={name} value={name} />
            ))}
          </datalist>
        </>
      )}
    </Field>
  );
}

function OperationField({
  service,
  value,
  operations,
  onChange,
}: {
  service: string;
  value: string;
  operations: OptionsState;
  onChange: (value: string) => void;
}) {
  // Keep a URL-given operation selectable even before (or without) the list knowing it.
  const options =
    value === "" || operations.options.includes(value) ? operations.options : [value, ...operations.options];
  const placeholder =
    service === ""
      ? "Pick a service first"
      : operations.status === "loading"
        ? "Loading operations…"
        : "All operations";
  return (
    <Field label="Operation" hint={operations.status === "error" ? operations.error : undefined}>
      {(id, describedBy) => (
        <select
          id={id}
          data-testid="search-operation"
          value={value}
          disabled={service === ""}
          aria-describedby={describedBy}
          onChange={(e) => onChange(e.target.value)}
        >
          <option value="">{placeholder}</option>
          {options.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

function LookbackField({
  fields,
  errors,
  onChange,
}: {
  fields: TraceSearchFields;
  errors: SearchFieldErrors;
  onChange: (fields: TraceSearchFields) => void;
}) {
  const known = LOOKBACK_OPTIONS.some((o) => o.value === fields.lookback);
  const pickLookback = (lookback: string) => {
    if (lookback !== CUSTOM_LOOKBACK) {
      onChange({ ...fields, lookback });
      return;
    }
    // A custom range starts as the last hour, so both inputs hold a time to adjust rather than nothing.
    const endUs = Date.now() * 1_000;
    onChange({
      ...fields,
      lookback,
      start: fields.start || String(endUs - 3_600_000_000),
      end: fields.end || String(endUs),
    });
  };
  return (
    <>
      <Field label="Lookback" error={errors.lookback}>
        {(id, describedBy) => (
          <select
            id={id}
            data-testid="search-lookback"
            value={fields.lookback}
            aria-describedby={describedBy}
            onChange={(e) => pickLookback(e.target.value)}
          >
            {!known && <option value={fields.lookback}>Last {fields.lookback}</option>}
            {LOOKBACK_OPTIONS.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        )}
      </Field>
      {fields.lookback === CUSTOM_LOOKBACK && (
        <div className="search-form-row">
          <TimeField
            label="From"
            value={fields.start}
            error={errors.start}
            onChange={(v) => onChange({ ...fields, start: v })}
          />
          <TimeField
            label="To"
            value={fields.end}
            error={errors.end}
            onChange={(v) => onChange({ ...fields, end: v })}
          />
        </div>
      )}
    </>
  );
}

function TimeField({
  label,
  value,
  error,
  onChange,
}: {
  label: string;
  value: string;
  error: string | undefined;
  onChange: (us: string) => void;
}) {
  return (
    <Field label={label} error={error} hint="Browser-local time">
      {(id, describedBy) => (
        <input
          id={id}
          data-testid={`search-${label.toLowerCase()}`}
          type="datetime-local"
          step={1}
          value={usToLocalInput(value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
          onChange={(e) => onChange(localInputToUs(e.target.value))}
        />
      )}
    </Field>
  );
}

function TextField({
  label,
  testId,
  placeholder,
  value,
  error,
  onChange,
}: {
  label: string;
  testId: string;
  placeholder: string;
  value: string;
  error: string | undefined;
  onChange: (value: string) => void;
}) {
  return (
    <Field label={label} error={error}>
      {(id, describedBy) => (
        <input
          id={id}
          data-testid={testId}
          type="text"
          placeholder={placeholder}
          value={value}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
          onChange={(e) => onChange(e.target.value)}
        />
      )}
    </Field>
  );
}

/** A labelled control with its hint or, when there is one, its error (tied to the control for screen readers). */
function Field({
  label,
  hint,
  error,
  children,
}: {
  label: string;
  hint?: string | undefined;
  error?: string | undefined;
  children: (id: string, describedBy: string | undefined) => ReactNode;
}) {
  const id = useId();
  const noteId = `${id}-note`;
  const note = error ?? hint;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children(id, note ? noteId : undefined)}
      {error ? (
        <span className="field-error" role="alert" id={noteId} data-testid="field-error">
          {error}
        </span>
      ) : (
        hint && (
          <span className="field-hint" id={noteId}>
            {hint}
          </span>
        )
      )}
    </div>
  );
}
