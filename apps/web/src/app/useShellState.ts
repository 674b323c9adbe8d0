import { useCallback, useMemo } from "react";
import { useSearchParams } from "react-router";
import { currentSearchParams } from "./current-search";
import { readShellState, type ShellState, writeShellState } from "./shell-url";

/**
 * The shell state of the current URL and a setter that merges a patch into it. Each change is a history entry
 * (the back button undoes a change of window or namespaces); other query keys of the page are kept.
 */
export function useShellState(): [ShellState, (patch: Partial<ShellState>) => void] {
  const [params, setParams] = useSearchParams();
  const search = params.toString();
  const state = useMemo(() => readShellState(new URLSearchParams(search)), [search]);
  const update = useCallback(
    (patch: Partial<ShellState>) => {
      setParams(() => {
        const current = currentSearchParams();
        return writeShellState(current, { ...readShellState(current), ...patch });
      });
    },
    [setParams],
  );
  return [state, update];
}
