import { useEffect, useId, useRef } from "react";
import { useNamespacesQuery } from "../../features/services/queries";
import type { ShellState } from "../shell-url";

/**
 * The namespace filter: a disclosure (`<details>`, keyboard-operable natively) with one checkbox per namespace
 * seen in the window, plus any namespace named in the URL but without data (so a shared link's filter stays
 * visible and can be undone). None ticked = all namespaces.
 */
export function NamespaceControl({
  shell,
  onChange,
}: {
  shell: ShellState;
  onChange: (patch: Partial<ShellState>) => void;
}) {
  const query = useNamespacesQuery(shell);
  const detailsRef = useRef<HTMLDetailsElement>(null);
  const legendId = useId();
  const known = query.data ?? [];
  const options = [...new Set([...known, ...shell.namespaces])].sort();
  const selected = new Set(shell.namespaces);
  const summary =
    shell.namespaces.length === 0
      ? "All namespaces"
      : shell.namespaces.length === 1
        ? shell.namespaces[0]
        : `${shell.namespaces.length} namespaces`;

  // Close on a click outside or Escape, as a menu would.
  useEffect(() => {
    const onPointer = (e: PointerEvent) => {
      const el = detailsRef.current;
      if (el?.open && e.target instanceof Node && !el.contains(e.target)) el.open = false;
    };
    const onKey = (e: KeyboardEvent) => {
      const el = detailsRef.current;
      if (e.key === "Escape" && el?.open) {
        el.open = false;
        el.querySelector("summary")?.focus();
      }
    };
    document.addEventListener("pointerdown", onPointer);
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("pointerdown", onPointer);
      document.removeEventListener("keydown", onKey);
    };
  }, []);

  const toggle = (ns: string, on: boolean) => {
    const next = new Set(selected);
    if (on) next.add(ns);
    else next.delete(ns);
    onChange({ namespaces: [...next].sort() });
  };

  return (
    <div className="shell-control">
      <span className="shell-label" aria-hidden="true">
        Namespaces
      </span>
      <details className="ns-picker" ref={detailsRef} data-testid="namespace-picker">
        <summary className="ns-picker-summary" aria-label={`Namespaces: ${summary}`} data-testid="namespace-summary">
          <span className="ns-picker-text">{summary}</span>
          <span aria-hidden="true">▾</span>
        </summary>
        <fieldset className="ns-picker-menu" aria-labelledby={legendId}>
          <legend id={legendId} className="visually-hidden">
            Show namespaces
          </legend>
          <label className="ns-option">
            <input
              type="checkbox"
              checked={shell.namespaces.length === 0}
              onChange={() => onChange({ namespaces: [] })}
              data-testid="namespace-all"
            />
            All namespaces
          </label>
          {query.isPending && <p className="muted ns-note">Loading namespaces…</p>}
          {query.isError && <p className="field-error ns-note">Could not load namespaces: {query.error.message}</p>}
          {query.isSuccess && options.length === 0 && <p className="muted ns-note">No namespaces in this window</p>}
          {options.map((ns) => (
            <label key={ns} className="ns-option">
              <input
                type="checkbox"
                checked={selected.has(ns)}
                onChange={(e) => toggle(ns, e.target.checked)}
                data-testid="namespace-option"
                data-namespace={ns}
              />
              <span className="ns-name">{ns}</span>
              {!known.includes(ns) && query.isSuccess && <span className="muted"> (no data)</span>}
            </label>
          ))}
        </fieldset>
      </details>
    </div>
  );
}
