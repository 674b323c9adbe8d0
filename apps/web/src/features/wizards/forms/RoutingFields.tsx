/** Forms of the routing wizards: request routing (match → version rows) and mirroring. */
import { NumberField, SelectField, TextField } from "../fields";
import {
  MATCH_KINDS,
  MATCH_TYPES,
  type MirroringForm,
  type RequestRoutingForm,
  type RouteRuleForm,
} from "../form-state";

const KIND_LABELS = { header: "Header", uri: "URI", query: "Query parameter" } as const;

export function RequestRoutingFields({
  form,
  versions,
  onChange,
}: {
  form: RequestRoutingForm;
  versions: readonly string[];
  onChange(form: RequestRoutingForm): void;
}) {
  const setRule = (i: number, patch: Partial<RouteRuleForm>) =>
    onChange({ ...form, rules: form.rules.map((r, k) => (k === i ? { ...r, ...patch } : r)) });
  const first = versions[0] ?? "v1";
  return (
    <>
      <fieldset className="wizard-group" data-testid="routing-rules">
        <legend>Rules, first match wins</legend>
        {form.rules.map((rule, i) => (
          // Rules have no id of their own; their order is their meaning (Istio evaluates them in order).
          // biome-ignore lint/suspicious/noArrayIndexKey: rows are edited in place and removed by position
          <div key={i} className="route-rule" data-testid="routing-rule">
            <SelectField
              label="Match"
              value={rule.kind}
              options={MATCH_KINDS}
              labels={KIND_LABELS}
              onChange={(kind) => setRule(i, { kind })}
            />
            {rule.kind !== "uri" && (
              <TextField
                label="Name"
                value={rule.name}
                invalid={rule.name.trim() === ""}
                onChange={(name) => setRule(i, { name })}
              />
            )}
            <SelectField
              label="How"
              value={rule.type}
              options={MATCH_TYPES}
              onChange={(type) => setRule(i, { type })}
            />
            <TextField
              label="Value"
              value={rule.value}
              invalid={rule.value === ""}
              onChange={(value) => setRule(i, { value })}
            />
            <SelectField
              label="Route to"
              value={rule.version}
              options={versions}
              onChange={(version) => setRule(i, { version })}
            />
            <button
              type="button"
              className="icon-button rule-remove"
              aria-label={`Remove rule ${i + 1}`}
              onClick={() => onChange({ ...form, rules: form.rules.filter((_, k) => k !== i) })}
            >
              ✕
            </button>
          </div>
        ))}
        <button
          type="button"
          className="button"
          onClick={() =>
            onChange({
              ...form,
              rules: [...form.rules, { kind: "header", name: "", type: "exact", value: "", version: first }],
            })
          }
        >
          Add rule
        </button>
      </fieldset>
      <SelectField
        label="Everything else goes to"
        value={form.defaultVersion}
        options={versions}
        onChange={(defaultVersion) => onChange({ ...form, defaultVersion })}
      />
    </>
  );
}

export function MirroringFields({
  form,
  versions,
  onChange,
}: {
  form: MirroringForm;
  versions: readonly string[];
  onChange(form: MirroringForm): void;
}) {
  return (
    <>
      <SelectField
        label="Traffic served by"
        value={form.version}
        options={versions}
        onChange={(version) => onChange({ ...form, version })}
      />
      <SelectField
        label="Copies sent to"
        value={form.mirrorVersion}
        options={versions}
        onChange={(mirrorVersion) => onChange({ ...form, mirrorVersion })}
      />
      <NumberField
        label="Share of requests copied"
        value={form.percentage}
        min={0}
        max={100}
        integer={false}
        suffix="%"
        onChange={(percentage) => onChange({ ...form, percentage })}
      />
    </>
  );
}
