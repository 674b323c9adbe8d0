import { useId } from "react";
import { COMPARE_SIZE } from "./TraceResultsTable";
import { SORT_OPTIONS, type TraceSort } from "./url";

/** Above the result list: its order, and the comparison of the two ticked traces. Pure. */
export function ResultsToolbar({
  sort,
  onSort,
  selectedCount,
  onCompare,
  onClear,
}: {
  sort: TraceSort;
  onSort: (sort: TraceSort) => void;
  selectedCount: number;
  onCompare: () => void;
  onClear: () => void;
}) {
  const sortId = useId();
  return (
    <div className="results-toolbar" data-testid="results-toolbar">
      <label htmlFor={sortId} className="results-toolbar-label">
        Sort
      </label>
      <select
        id={sortId}
        data-testid="results-sort"
        value={sort}
        onChange={(e) => onSort(SORT_OPTIONS.find((o) => o.value === e.target.value)?.value ?? "recent")}
      >
        {SORT_OPTIONS.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <span className="results-toolbar-spacer" />
      <span className="muted" data-testid="compare-selection" aria-live="polite">
        {selectedCount === 0 ? "Tick two traces to compare them" : `${selectedCount} of ${COMPARE_SIZE} selected`}
      </span>
      {selectedCount > 0 && (
        <button type="button" className="button" onClick={onClear} data-testid="compare-clear">
          Clear
        </button>
      )}
      <button
        type="button"
        className="button button-primary"
        data-testid="compare-button"
        disabled={selectedCount !== COMPARE_SIZE}
        onClick={onCompare}
      >
        Compare
      </button>
    </div>
  );
}
