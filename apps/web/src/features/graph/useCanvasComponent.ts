/**
 * The canvas (cytoscape, ~400 KB) is its own chunk: the page's chunk stays small, so /api/graph is requested as
 * soon as the page renders and cytoscape downloads and evaluates while the server answers, instead of before
 * the request (bench/ui-graph.ts). Not React.lazy: a component that suspends when the data arrives is shown
 * only after React's fallback throttle (~300 ms), even when its chunk is already there.
 */
import { useCallback, useEffect, useState } from "react";

export type CanvasComponent = typeof import("./CytoscapeGraph")["CytoscapeGraph"];

let canvasLoad: Promise<CanvasComponent> | null = null;
let loadedCanvas: CanvasComponent | null = null;

function loadCanvas(): Promise<CanvasComponent> {
  canvasLoad ??= import("./CytoscapeGraph").then(
    (m) => {
      loadedCanvas = m.CytoscapeGraph;
      return m.CytoscapeGraph;
    },
    (error: unknown) => {
      // A failed download may succeed on the next visit to the page.
      canvasLoad = null;
      throw error;
    },
  );
  return canvasLoad;
}

/** The canvas component once its chunk has loaded (started on mount, alongside the data query). */
export function useCanvasComponent(): { Canvas: CanvasComponent | null; error: unknown; retry(): void } {
  const [state, setState] = useState<{ Canvas: CanvasComponent | null; error: unknown }>(() => ({
    Canvas: loadedCanvas,
    error: null,
  }));
  const [attempt, setAttempt] = useState(0);
  const retry = useCallback(() => {
    setState({ Canvas: null, error: null });
    setAttempt((n) => n + 1);
  }, []);
  useEffect(() => {
    // `attempt` only re-runs the load after a failure.
    void attempt;
    if (state.Canvas) return;
    let live = true;
    loadCanvas().then(
      (Canvas) => live && setState({ Canvas, error: null }),
      (error: unknown) => live && setState({ Canvas: null, error }),
    );
    return () => {
      live = false;
    };
  }, [state.Canvas, attempt]);
  return { ...state, retry };
}
