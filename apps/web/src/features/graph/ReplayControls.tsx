/**
 * Replay of a past window (Kiali's Replay, kiali.md §1.7): pick when the window ends, step it by a minute, or
 * play it forward (10 s of graph time per 2 s). The end lives in the URL (`end`, µs), so a replay is a link.
 */
import { useEffect, useState } from "react";

const STEP_US = 60_000_000;
const PLAY_STEP_US = 10_000_000;
const PLAY_EVERY_MS = 2_000;

/** `datetime-local` wants local time without zone: `2024-06-10T14:03:05`. */
function toLocalInput(us: number): string {
  const d = new Date(us / 1000);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

export function ReplayControls({ end, onChange }: { end: number | null; onChange(end: number | null): void }) {
  const [playing, setPlaying] = useState(false);

  useEffect(() => {
    if (!playing || end === null) return;
    const timer = setTimeout(() => {
      const next = end + PLAY_STEP_US;
      // Caught up with now: stop and go live.
      if (next >= Date.now() * 1000) {
        setPlaying(false);
        onChange(null);
      } else onChange(next);
    }, PLAY_EVERY_MS);
    return () => clearTimeout(timer);
  }, [playing, end, onChange]);

  if (end === null) {
    return (
      <button
        type="button"
        className="button"
        data-testid="replay-start"
        onClick={() => onChange(Math.floor(Date.now() / 60_000) * 60_000_000 - 10 * STEP_US)}
        title="Show the graph of a past window"
      >
        Replay
      </button>
    );
  }
  return (
    <fieldset className="replay" data-testid="replay-controls">
      <legend className="visually-hidden">Replay</legend>
      <label className="replay-label">
        <span>Window ends</span>
        <input
          type="datetime-local"
          step={1}
          className="input"
          value={toLocalInput(end)}
          max={toLocalInput(Date.now() * 1000)}
          data-testid="replay-end"
          onChange={(e) => {
            const ms = new Date(e.target.value).getTime();
            if (Number.isFinite(ms)) onChange(Math.min(ms, Date.now()) * 1000);
          }}
        />
      </label>
      <button
        type="button"
        className="icon-button"
        aria-label="One minute earlier"
        onClick={() => onChange(end - STEP_US)}
      >
        ◀
      </button>
      <button type="button" className="button" onClick={() => setPlaying(!playing)} data-testid="replay-play">
        {playing ? "Pause" : "Play"}
      </button>
      <button
        type="button"
        className="icon-button"
        aria-label="One minute later"
        onClick={() => onChange(Math.min(end + STEP_US, Date.now() * 1000))}
      >
        ▶
      </button>
      <button
        type="button"
        className="button"
        data-testid="replay-stop"
        onClick={() => {
          setPlaying(false);
          onChange(null);
        }}
      >
        Back to live
      </button>
    </fieldset>
  );
}
