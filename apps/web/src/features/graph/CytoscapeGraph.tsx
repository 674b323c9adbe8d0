/**
 * The one React component that holds cytoscape. It renders a single <div> once; every prop change is passed to
 * the GraphController imperatively (update in place, keep positions), so a data refresh never re-creates the
 * canvas or re-runs the layout.
 */
import { memo, useEffect, useRef } from "react";
import { installAutomationHook, type SyncCounters } from "./automation-hook";
import { GraphController } from "./graph-controller";
import type { GraphFilter } from "./graph-filter";
import type { GraphModel } from "./graph-model";
import { readPalette } from "./graph-style";
import type { EdgeLabel, LayoutName } from "./url";

export interface CytoscapeGraphProps {
  model: GraphModel;
  labels: readonly EdgeLabel[];
  layout: LayoutName;
  /** Changes when the positions must be recomputed (graph type, layout, the Re-layout button). */
  layoutKey: string;
  filter: GraphFilter;
  selected: string | null;
  animate: boolean;
  /** Bumped by the Fit button. */
  fitRequest: number;
  onSelect(id: string | null): void;
  onLayoutState(running: boolean): void;
}

export const CytoscapeGraph = memo(function CytoscapeGraph(props: CytoscapeGraphProps) {
  const containerRef = useRef<HTMLDivElement>(null);
  const controllerRef = useRef<GraphController | null>(null);
  // The latest callbacks, read by the controller's events without re-creating it.
  const propsRef = useRef(props);
  propsRef.current = props;
  const counters = useRef<SyncCounters>({ syncs: 0, firstLayoutAt: null, firstFrameAt: null, lastSyncAt: null });

  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    const controller = new GraphController(
      container,
      {
        onSelect: (id) => propsRef.current.onSelect(id),
        onLayoutState: (running) => {
          if (!running && counters.current.firstLayoutAt === null) {
            counters.current.firstLayoutAt = performance.now();
            controllerRef.current?.cy.one("render", () => {
              counters.current.firstFrameAt = performance.now();
            });
          }
          propsRef.current.onLayoutState(running);
        },
      },
      readPalette(container),
      propsRef.current.model.nodes.length + propsRef.current.model.edges.length,
    );
    controllerRef.current = controller;
    const uninstall = installAutomationHook(controller, container, counters.current);
    // The theme is an attribute on <html> (ThemeProvider); follow it without re-creating the canvas.
    const observer = new MutationObserver(() => controller.setPalette(readPalette(container)));
    observer.observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme", "class"] });
    return () => {
      observer.disconnect();
      uninstall();
      controller.destroy();
      controllerRef.current = null;
    };
  }, []);

  const { model, labels, layout, layoutKey, filter, selected, animate, fitRequest } = props;

  // Data and layout key: in place.
  useEffect(() => {
    // Labels are read from the ref: a label change alone goes through setLabels below, not a full sync.
    controllerRef.current?.setGraph(model, propsRef.current.labels, layout, layoutKey);
    counters.current.syncs++;
    counters.current.lastSyncAt = performance.now();
  }, [model, layout, layoutKey]);

  useEffect(() => {
    controllerRef.current?.setLabels(labels);
  }, [labels]);

  useEffect(() => {
    controllerRef.current?.setFilter(filter);
  }, [filter]);

  useEffect(() => {
    const controller = controllerRef.current;
    controller?.setSelected(selected);
    if (selected) controller?.reveal(selected);
  }, [selected]);

  useEffect(() => {
    controllerRef.current?.setAnimation(animate);
  }, [animate]);

  useEffect(() => {
    if (fitRequest > 0) controllerRef.current?.fit();
  }, [fitRequest]);

  return <div ref={containerRef} className="graph-canvas" data-testid="graph-canvas" />;
});
