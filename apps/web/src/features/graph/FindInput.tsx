/**
 * A find or hide expression field. The draft is checked as the user types (errors inline, with the position);
 * a valid draft is applied after a short pause or on Enter, so the graph follows typing without a URL entry
 * per keystroke.
 */
import { useEffect, useId, useState } from "react";
import { compileFind } from "./find-expression";

const APPLY_AFTER_MS = 400;

export function FindInput({
  label,
  value,
  onCommit,
  placeholder,
  status,
  testId,
}: {
  label: string;
  value: string;
  onCommit(text: string): void;
  placeholder: string;
  /** A short note after the field, e.g. "3 matches". */
  status?: string | null;
  testId: string;
}) {
  const id = useId();
  const [draft, setDraft] = useState(value);
  const [source, setSource] = useState(value);
  // The URL changed under us (back button, a link): the field follows.
  if (source !== value) {
    setSource(value);
    setDraft(value);
  }
  const result = compileFind(draft);
  const error = result.ok ? null : result.error;

  useEffect(() => {
    if (draft === value || !compileFind(draft).ok) return;
    const timer = setTimeout(() => onCommit(draft), APPLY_AFTER_MS);
    return () => clearTimeout(timer);
  }, [draft, value, onCommit]);

  return (
    <div className="find-field">
      <label htmlFor={id}>{label}</label>
      <div className="find-row">
        <input
          id={id}
          type="search"
          className="input mono"
          value={draft}
          placeholder={placeholder}
          spellCheck={false}
          autoComplete="off"
          aria-invalid={error !== null}
          aria-describedby={`${id}-msg`}
          data-testid={testId}
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter" && result.ok) onCommit(draft);
            if (e.key === "Escape") {
              setDraft("");
              onCommit("");
            }
          }}
        />
      </div>
      <p
        id={`${id}-msg`}
        className={error ? "field-error" : "field-hint"}
        data-testid={`${testId}-message`}
        aria-live="polite"
      >
        {error ? (
          <>
            {error.message}
            {draft.length > 0 && <span className="muted"> (at character {error.at + 1})</span>}
          </>
        ) : draft === value ? (
          (status ?? "")
        ) : (
          // The count belongs to the applied expression: while a new one waits to apply, say nothing stale.
          "…"
        )}
      </p>
    </div>
  );
}
