/** Forms of the policy wizards: local rate limit, mTLS mode, access control. */
import { DurationField, NumberField, SelectField, TextField } from "../fields";
import type { AccessControlForm, AccessRuleForm, MtlsForm, RateLimitForm } from "../form-state";
import { durationMs } from "../form-to-body";
import { MTLS_MODES, MTLS_SCOPES } from "../wizard-bodies";

export function RateLimitFields({ form, onChange }: { form: RateLimitForm; onChange(form: RateLimitForm): void }) {
  return (
    <>
      <NumberField
        label="Bucket size (max tokens)"
        value={form.maxTokens}
        min={1}
        max={1_000_000}
        onChange={(maxTokens) => onChange({ ...form, maxTokens })}
      />
      <NumberField
        label="Tokens per fill"
        value={form.tokensPerFill}
        min={1}
        max={1_000_000}
        onChange={(tokensPerFill) => onChange({ ...form, tokensPerFill })}
      />
      <DurationField
        label="Fill interval"
        value={form.fillInterval}
        onChange={(fillInterval) => onChange({ ...form, fillInterval })}
      />
      <p className="field-hint">
        About {((form.tokensPerFill * 1_000) / durationMs(form.fillInterval)).toFixed(1)} requests/s sustained per
        proxy, bursts up to {form.maxTokens}.
      </p>
    </>
  );
}

const MODE_LABELS = {
  STRICT: "STRICT: only mTLS",
  PERMISSIVE: "PERMISSIVE: mTLS and plain text",
  DISABLE: "DISABLE: plain text",
} as const;

export function MtlsFields({ form, onChange }: { form: MtlsForm; onChange(form: MtlsForm): void }) {
  return (
    <>
      <SelectField
        label="Mode"
        value={form.mode}
        options={MTLS_MODES}
        labels={MODE_LABELS}
        onChange={(mode) => onChange({ ...form, mode })}
      />
      <SelectField
        label="Applies to"
        value={form.scope}
        options={MTLS_SCOPES}
        labels={{ service: "this service's workloads", namespace: "the whole namespace" }}
        onChange={(scope) => onChange({ ...form, scope })}
      />
    </>
  );
}

export function AccessControlFields({
  form,
  onChange,
}: {
  form: AccessControlForm;
  onChange(form: AccessControlForm): void;
}) {
  const setRule = (i: number, patch: Partial<AccessRuleForm>) =>
    onChange({ ...form, rules: form.rules.map((r, k) => (k === i ? { ...r, ...patch } : r)) });
  return (
    <>
      <SelectField
        label="Action"
        value={form.action}
        options={["ALLOW", "DENY"] as const}
        onChange={(action) => onChange({ ...form, action })}
      />
      <fieldset className="wizard-group">
        <legend>Rules (a request matching any rule is {form.action === "ALLOW" ? "allowed" : "denied"})</legend>
        {form.rules.map((rule, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity beyond their position
          <div key={i} className="route-rule">
            <TextField
              label="From principals"
              placeholder="cluster.local/ns/bookinfo/sa/bookinfo-productpage"
              value={rule.principals}
              onChange={(principals) => setRule(i, { principals })}
            />
            <TextField
              label="From namespaces"
              placeholder="bookinfo, istio-system"
              value={rule.namespaces}
              onChange={(namespaces) => setRule(i, { namespaces })}
            />
            <TextField
              label="Methods"
              placeholder="GET, POST"
              value={rule.methods}
              onChange={(methods) => setRule(i, { methods })}
            />
            <TextField
              label="Paths"
              placeholder="/api/*"
              value={rule.paths}
              onChange={(paths) => setRule(i, { paths })}
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
            onChange({ ...form, rules: [...form.rules, { principals: "", namespaces: "", methods: "", paths: "" }] })
          }
        >
          Add rule
        </button>
      </fieldset>
    </>
  );
}
