/**
 * Find in trace: the text box (its value goes to the URL after a short pause, so typing does not flood the
 * history or rescan 100,000 spans per key), the match count, and previous / next.
 */
import { useEffect, useState } from "react";

const DEBOUNCE_MS = 250;

export interface FindBarProps {
  value: string;
  onChange: (text: string) => void;
  matchCount: number;
  /** 0-based position of the current match, -1 when none. */
  current: number;
  onStep: (delta: 1 | -1) => void;
}

export function FindBar({ value, onChange, matchCount, current, onStep }: FindBarProps) {
  const [text, setText] = useState(value);
  // The URL can change under us (back button, a link): follow it.
  useEffect(() => setText(value), [value]);
  useEffect(() => {
    if (text === value) return;
    const timer = setTimeout(() => onChange(text), DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text, value, onChange]);
  return (
    <search className="find-bar" aria-label="Find in trace">
      <input
        type="search"
        className="find-input"
        placeholder="Find in trace: service, operation, attribute, key=value, span id"
        aria-label="Find in trace"
        data-testid="find-input"
        value={text}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "Enter") {
            if (text !== value) onChange(text);
            else onStep(e.shiftKey ? -1 : 1);
          }
        }}
      />
      {value !== "" && (
        <span className="find-count muted" data-testid="find-count" aria-live="polite">
          {matchCount === 0 ? "no matches" : `${current + 1} of ${matchCount}`}
        </span>
      )}
      <button
        type="button"
        className="icon-button"
        aria-label="Previous match"
        data-testid="find-prev"
        disabled={matchCount === 0}
        onClick={() => onStep(-1)}
      >
        ↑
      </button>
      <button
        type="button"
        className="icon-button"
        aria-label="Next match"
        data-testid="find-next"
        disabled={matchCount === 0}
        onClick={() => onStep(1)}
      >
        ↓
      </button>
    </search>
  );
}
