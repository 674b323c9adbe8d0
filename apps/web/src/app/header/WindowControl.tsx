import { type FormEvent, useId, useState } from "react";
import { formatWindow, parseWindowText, type ShellState, WINDOW_PRESETS } from "../shell-url";

const CUSTOM = "custom";

/**
 * The time window: presets in a select, and "Custom…" opening a small form for any duration and, optionally, an
 * end time in the past (a replay). A window that is not a preset shows as its own "Custom (2h)" option.
 */
export function WindowControl({
  shell,
  onChange,
}: {
  shell: ShellState;
  onChange: (patch: Partial<ShellState>) => void;
}) {
  const [editing, setEditing] = useState(false);
  const isPreset = WINDOW_PRESETS.some((p) => p.seconds === shell.windowSeconds);
  const isCustom = !isPreset || shell.endUs !== null;
  // While the custom form is open the select says so, rather than still naming the preset being replaced.
  const value = isCustom || editing ? CUSTOM : String(shell.windowSeconds);
  const selectId = useId();
  return (
    <div className="shell-control">
      <label htmlFor={selectId} className="shell-label">
        Time window
      </label>
      <select
        id={selectId}
        data-testid="window-select"
        value={value}
        onChange={(e) => {
          if (e.target.value === CUSTOM) setEditing(true);
          else {
            setEditing(false);
            onChange({ windowSeconds: Number(e.target.value), endUs: null });
          }
        }}
      >
        {WINDOW_PRESETS.map((p) => (
          <option key={p.seconds} value={p.seconds}>
            {p.label}
          </option>
        ))}
        <option value={CUSTOM}>{isCustom ? `Custom (${formatWindow(shell.windowSeconds)})` : "Custom…"}</option>
      </select>
      {isCustom && !editing && (
        <button type="button" className="link-button" onClick={() => setEditing(true)} data-testid="window-edit">
          Edit
        </button>
      )}
      {editing && (
        <CustomWindowForm
          shell={shell}
          onCancel={() => setEditing(false)}
          onApply={(patch) => {
            setEditing(false);
            onChange(patch);
          }}
        />
      )}
    </div>
  );
}

/** `YYYY-MM-DDTHH:MM` in local time, the value format of `<input type="datetime-local">`. */
function toLocalInput(us: number): string {
  const d = new Date(us / 1000);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

function CustomWindowForm({
  shell,
  onApply,
  onCancel,
}: {
  shell: ShellState;
  onApply: (patch: Partial<ShellState>) => void;
  onCancel: () => void;
}) {
  const [duration, setDuration] = useState(formatWindow(shell.windowSeconds).replace(" ", ""));
  const [end, setEnd] = useState(shell.endUs !== null ? toLocalInput(shell.endUs) : "");
  const [error, setError] = useState<string | null>(null);
  const durationId = useId();
  const endId = useId();
  const errorId = useId();

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const seconds = parseWindowText(duration);
    if (seconds === null) {
      setError("Use a duration like 90s, 45m, 2h or 1d (at most 30d)");
      return;
    }
    let endUs: number | null = null;
    if (end !== "") {
      const ms = new Date(end).getTime();
      if (Number.isNaN(ms)) {
        setError("The end time is not a valid date");
        return;
      }
      if (ms > Date.now()) {
        setError("The end time is in the future; leave it empty to end the window now");
        return;
      }
      endUs = ms * 1000;
    }
    onApply({ windowSeconds: seconds, endUs });
  };

  return (
    <form
      className="custom-window"
      onSubmit={submit}
      aria-label="Custom time window"
      data-testid="custom-window-form"
      onKeyDown={(e) => {
        if (e.key === "Escape") onCancel();
      }}
    >
      <div className="field">
        <label htmlFor={durationId}>Duration</label>
        <input
          id={durationId}
          value={duration}
          onChange={(e) => setDuration(e.target.value)}
          aria-invalid={error !== null}
          aria-describedby={error ? errorId : undefined}
          // biome-ignore lint/a11y/noAutofocus: the form opens on request; focus belongs in its first field.
          autoFocus
          data-testid="custom-window-duration"
        />
      </div>
      <div className="field">
        <label htmlFor={endId}>Ending at (empty = now)</label>
        <input
          id={endId}
          type="datetime-local"
          value={end}
          onChange={(e) => setEnd(e.target.value)}
          data-testid="custom-window-end"
        />
      </div>
      {error && (
        <p id={errorId} className="field-error" role="alert">
          {error}
        </p>
      )}
      <div className="custom-window-actions">
        <button type="submit" className="button button-primary" data-testid="custom-window-apply">
          Apply
        </button>
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
