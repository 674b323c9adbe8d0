/**
 * Preferences of the graph page kept in localStorage (CONVENTIONS: preferences there, view state in the URL):
 * whether the legend is open. And the user's motion preference, which decides the animation default.
 */
import { useCallback, useEffect, useState } from "react";

const LEGEND_KEY = "meshscope.graph.legend";

export function useLegendOpen(): [boolean, (open: boolean) => void] {
  const [open, setOpen] = useState(() => {
    try {
      // Closed until asked for, as in Kiali: the legend covers part of the canvas.
      return localStorage.getItem(LEGEND_KEY) === "open";
    } catch {
      return false;
    }
  });
  const update = useCallback((next: boolean) => {
    setOpen(next);
    try {
      localStorage.setItem(LEGEND_KEY, next ? "open" : "closed");
    } catch {
      // Storage can be disabled (private mode, policy): the choice then lasts for this page only.
    }
  }, []);
  return [open, update];
}

export function usePrefersReducedMotion(): boolean {
  const query = "(prefers-reduced-motion: reduce)";
  const [reduced, setReduced] = useState(() => typeof matchMedia === "function" && matchMedia(query).matches);
  useEffect(() => {
    if (typeof matchMedia !== "function") return;
    const list = matchMedia(query);
    const onChange = () => setReduced(list.matches);
    list.addEventListener("change", onChange);
    return () => list.removeEventListener("change", onChange);
  }, []);
  return reduced;
}
