/**
 * Inputs that cannot hold an invalid value: a number is clamped to its range and rounded as it is committed, a
 * duration is a positive integer plus a unit from a list. While the user types, the text may be briefly empty;
 * the committed value is the last good one, and blur puts the text back in line with it.
 */
import { type ReactNode, useEffect, useId, useState } from "react";
import { DURATION_UNITS, type DurationForm, type DurationUnit } from "./form-state";

export function clampNumber(value: number, min: number, max: number, integer: boolean): number {
  const v = integer ? Math.round(value) : value;
  return Math.min(max, Math.max(min, v));
}

export function NumberField({
  label,
  value,
  onChange,
  min,
  max,
  integer = true,
  suffix,
  testId,
  hint,
}: {
  label: string;
  value: number;
  onChange(value: number): void;
  min: number;
  max: number;
  integer?: boolean;
  suffix?: string;
  testId?: string;
  hint?: string;
}) {
  const id = useId();
  const [text, setText] = useState(String(value));
  useEffect(() => setText(String(value)), [value]);
  return (
    <div className="field wizard-field">
      <label htmlFor={id}>{label}</label>
      <span className="input-with-suffix">
        <input
          id={id}
          type="number"
          inputMode="numeric"
          min={min}
          max={max}
          step={integer ? 1 : "any"}
          value={text}
          data-testid={testId}
          onChange={(e) => {
            setText(e.target.value);
            const parsed = Number(e.target.value);
            if (e.target.value.trim() !== "" && Number.isFinite(parsed))
              onChange(clampNumber(parsed, min, max, integer));
          }}
          onBlur={() => setText(String(value))}
        />
        {suffix && <span className="muted">{suffix}</span>}
      </span>
      {hint && <span className="field-hint">{hint}</span>}
    </div>
  );
}

/** A Go-style duration (`250ms`, `5s`, `2m`): an integer ≥ 1 and a unit, so `0s` and `5 seconds` cannot happen. */
export function DurationField({
  label,
  value,
  onChange,
  testId,
}: {
  label: string;
  value: DurationForm;
  onChange(value: DurationForm): void;
  testId?: string;
}) {
  const id = useId();
  const [text, setText] = useState(String(value.value));
  useEffect(() => setText(String(value.value)), [value.value]);
  return (
    <div className="field wizard-field">
      <label htmlFor={id}>{label}</label>
      <span className="input-with-suffix">
        <input
          id={id}
          type="number"
          min={1}
          max={86_400_000}
          step={1}
          value={text}
          data-testid={testId}
          onChange={(e) => {
            setText(e.target.value);
            const parsed = Number(e.target.value);
            if (e.target.value.trim() !== "" && Number.isFinite(parsed)) {
              onChange({ ...value, value: clampNumber(parsed, 1, 86_400_000, true) });
            }
          }}
          onBlur={() => setText(String(value.value))}
        />
        <select
          aria-label={`${label} unit`}
          value={value.unit}
          data-testid={testId ? `${testId}-unit` : undefined}
          onChange={(e) => {
            const unit = DURATION_UNITS.find((u) => u === e.target.value);
            if (unit) onChange({ ...value, unit });
          }}
        >
          {DURATION_UNITS.map((u: DurationUnit) => (
            <option key={u} value={u}>
              {u}
            </option>
          ))}
        </select>
      </span>
    </div>
  );
}

/** A switchable group of fields ("Add HTTP delay"): the checkbox is the group's legend, so it labels the group. */
export function ToggleGroup({
  label,
  enabled,
  onToggle,
  children,
  testId,
}: {
  label: string;
  enabled: boolean;
  onToggle(enabled: boolean): void;
  children: ReactNode;
  testId?: string;
}) {
  return (
    <fieldset className={enabled ? "wizard-group" : "wizard-group is-off"} data-testid={testId}>
      <legend>
        <label className="toggle-label">
          <input type="checkbox" checked={enabled} onChange={(e) => onToggle(e.target.checked)} />
          {label}
        </label>
      </legend>
      {enabled && <div className="wizard-group-body">{children}</div>}
    </fieldset>
  );
}

export function SelectField<T extends string>({
  label,
  value,
  options,
  onChange,
  testId,
  labels,
}: {
  label: string;
  value: T;
  options: readonly T[];
  onChange(value: T): void;
  testId?: string;
  labels?: Partial<Record<T, string>>;
}) {
  const id = useId();
  return (
    <div className="field wizard-field">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        value={value}
        data-testid={testId}
        onChange={(e) => {
          const next = options.find((o) => o === e.target.value);
          if (next !== undefined) onChange(next);
        }}
      >
        {options.map((o) => (
          <option key={o} value={o}>
            {labels?.[o] ?? o}
          </option>
        ))}
      </select>
    </div>
  );
}

export function TextField({
  label,
  value,
  onChange,
  placeholder,
  testId,
  invalid = false,
}: {
  label: string;
  value: string;
  onChange(value: string): void;
  placeholder?: string;
  testId?: string;
  invalid?: boolean;
}) {
  const id = useId();
  return (
    <div className="field wizard-field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="text"
        value={value}
        placeholder={placeholder}
        aria-invalid={invalid}
        data-testid={testId}
        onChange={(e) => onChange(e.target.value)}
      />
    </div>
  );
}
