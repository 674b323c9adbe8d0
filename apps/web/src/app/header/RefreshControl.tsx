import { useIsFetching, useQueryClient } from "@tanstack/react-query";
import { useId } from "react";
import { isLiveQuery } from "../live-refresh";
import { REFRESH_MODES, type RefreshMode, type ShellState } from "../shell-url";

const LABELS: Record<RefreshMode, string> = {
  off: "Paused",
  "10s": "Every 10s",
  "30s": "Every 30s",
  live: "Live",
};

/**
 * The refresh mode and a "refresh now" button. A replayed window (an end time) is fixed data, so the mode is
 * shown disabled then, with the reason in its description.
 */
export function RefreshControl({
  shell,
  onChange,
}: {
  shell: ShellState;
  onChange: (patch: Partial<ShellState>) => void;
}) {
  const queryClient = useQueryClient();
  const fetching = useIsFetching({ predicate: isLiveQuery }) > 0;
  const selectId = useId();
  const hintId = useId();
  const replay = shell.endUs !== null;
  return (
    <div className="shell-control">
      <label htmlFor={selectId} className="shell-label">
        Refresh
      </label>
      <select
        id={selectId}
        data-testid="refresh-select"
        value={shell.refresh}
        disabled={replay}
        aria-describedby={replay ? hintId : undefined}
        onChange={(e) => {
          const mode = REFRESH_MODES.find((m) => m === e.target.value);
          if (mode) onChange({ refresh: mode });
        }}
      >
        {REFRESH_MODES.map((m) => (
          <option key={m} value={m}>
            {LABELS[m]}
          </option>
        ))}
      </select>
      {replay && (
        <span id={hintId} className="visually-hidden">
          A replayed window does not refresh.
        </span>
      )}
      <button
        type="button"
        className={fetching ? "icon-button is-spinning" : "icon-button"}
        aria-label="Refresh now"
        title="Refresh now"
        data-testid="refresh-now"
        onClick={() => void queryClient.invalidateQueries({ predicate: isLiveQuery }, { cancelRefetch: false })}
      >
        <span aria-hidden="true">↻</span>
      </button>
      {shell.refresh === "live" && !replay && (
        <span className="live-dot" data-testid="live-indicator" title="Refreshing on new data">
          <span aria-hidden="true">●</span> Live
        </span>
      )}
    </div>
  );
}
