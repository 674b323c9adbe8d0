import { NumberField, SelectField, ToggleGroup } from "../fields";
import type { TrafficShiftingForm } from "../form-state";
import { setWeight, totalWeight } from "../linked-weights";

/**
 * One slider and one number per version, linked: moving one rebalances the others so the total stays 100. A
 * mirrored version is pinned at 0 (it only receives copies) and its slider is disabled.
 */
export function TrafficShiftingFields({
  form,
  onChange,
}: {
  form: TrafficShiftingForm;
  onChange(form: TrafficShiftingForm): void;
}) {
  const mirrored = form.mirror.enabled ? form.mirror.version : null;
  const fixed = new Set(mirrored === null ? [] : [mirrored]);
  const move = (version: string, value: number) =>
    onChange({ ...form, weights: setWeight(form.weights, version, value, fixed) });
  const versions = form.weights.map((w) => w.version);
  return (
    <>
      <fieldset className="wizard-group" data-testid="weights">
        <legend>Weights (total {totalWeight(form.weights)}%)</legend>
        {form.weights.map((w) => (
          <div key={w.version} className="weight-row" data-testid="weight-row" data-version={w.version}>
            <span className="weight-version mono">{w.version}</span>
            <input
              type="range"
              min={0}
              max={100}
              step={1}
              value={w.weight}
              disabled={w.version === mirrored}
              aria-label={`Weight of ${w.version}`}
              data-testid={`weight-slider-${w.version}`}
              onChange={(e) => move(w.version, Number(e.target.value))}
            />
            <NumberField
              label={`${w.version} %`}
              value={w.weight}
              min={0}
              max={100}
              onChange={(v) => move(w.version, v)}
              testId={`weight-input-${w.version}`}
            />
          </div>
        ))}
      </fieldset>
      {versions.length > 1 && (
        <ToggleGroup
          label="Mirror one version"
          enabled={form.mirror.enabled}
          testId="mirror-group"
          onToggle={(enabled) => {
            const mirror = { ...form.mirror, enabled };
            // The mirror target stops taking real traffic: its weight goes to the others.
            const weights = enabled
              ? setWeight(form.weights, mirror.version, 0, new Set([mirror.version]))
              : form.weights;
            onChange({ weights, mirror });
          }}
        >
          <SelectField
            label="Mirror to"
            value={form.mirror.version}
            options={versions}
            onChange={(version) => {
              const weights = setWeight(form.weights, version, 0, new Set([version]));
              onChange({ weights, mirror: { ...form.mirror, version } });
            }}
          />
          <NumberField
            label="Share of requests copied"
            value={form.mirror.percentage}
            min={0}
            max={100}
            suffix="%"
            onChange={(percentage) => onChange({ ...form, mirror: { ...form.mirror, percentage } })}
          />
        </ToggleGroup>
      )}
    </>
  );
}
