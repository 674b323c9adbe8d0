/**
 * A read-only window onto the canvas for scripts, the e2e specs and the UI benchmark: the graph is drawn on a
 * <canvas>, so its labels, colours and node positions are not in the DOM. `window.__meshscopeGraph` reports
 * what cytoscape draws (label text, colours, on-screen positions in CSS px of the page) so a test can assert
 * what a person sees and click a node where a person would.
 */
import type { GraphController, GraphStats } from "./graph-controller";

export interface DrawnNode {
  id: string;
  label: string;
  kind: string;
  health: string;
  /** Centre on the page, CSS px (for a mouse click). */
  x: number;
  y: number;
  visible: boolean;
  found: boolean;
  selected: boolean;
  borderColor: string;
  parent: string | null;
}

export interface DrawnEdge {
  id: string;
  source: string;
  target: string;
  label: string;
  health: string;
  protocol: string;
  visible: boolean;
  found: boolean;
  lineColor: string;
}

/** Updated by the React wrapper: in-place updates done, and when (performance.now()). */
export interface SyncCounters {
  syncs: number;
  firstLayoutAt: number | null;
  /** performance.now() at the end of the first frame cytoscape drew after the first layout. */
  firstFrameAt: number | null;
  lastSyncAt: number | null;
}

export interface GraphAutomation {
  /** True once a layout has finished and none is running. */
  layoutDone(): boolean;
  /** performance.now() when the first layout was applied, or null. */
  firstLayoutAt(): number | null;
  /** performance.now() when the canvas had drawn that layout, or null. */
  firstFrameAt(): number | null;
  stats(): GraphStats & { syncs: number; lastSyncAt: number | null };
  nodes(): DrawnNode[];
  edges(): DrawnEdge[];
}

declare global {
  interface Window {
    __meshscopeGraph?: GraphAutomation;
  }
}

export function installAutomationHook(
  controller: GraphController,
  container: HTMLElement,
  counters: SyncCounters,
): () => void {
  const cy = controller.cy;
  const hook: GraphAutomation = {
    layoutDone: () => controller.stats.layouts > 0 && !controller.layoutRunning,
    firstLayoutAt: () => counters.firstLayoutAt,
    firstFrameAt: () => counters.firstFrameAt,
    stats: () => ({ ...controller.stats, syncs: counters.syncs, lastSyncAt: counters.lastSyncAt }),
    nodes: () => {
      const rect = container.getBoundingClientRect();
      return cy.nodes().map((n) => {
        const p = n.renderedPosition();
        return {
          id: n.id(),
          label: String(n.data("label") ?? ""),
          kind: String(n.data("kind") ?? ""),
          health: String(n.data("health") ?? ""),
          x: rect.left + p.x,
          y: rect.top + p.y,
          visible: n.visible(),
          found: n.hasClass("found"),
          selected: n.selected(),
          borderColor: String(n.style("border-color")),
          parent: n.parent().nonempty() ? (n.parent().first().id() ?? null) : within(n.data("within")),
        };
      });
    },
    edges: () =>
      cy.edges().map((e) => ({
        id: e.id(),
        source: e.source().id(),
        target: e.target().id(),
        label: String(e.data("label") ?? ""),
        health: String(e.data("health") ?? ""),
        protocol: String(e.data("protocol") ?? ""),
        visible: e.visible(),
        found: e.hasClass("found"),
        lineColor: String(e.style("line-color")),
      })),
  };
  window.__meshscopeGraph = hook;
  return () => {
    if (window.__meshscopeGraph === hook) delete window.__meshscopeGraph;
  };
}

/** A flat box's member names its box in `within` (flat-boxes.ts) rather than being its compound child. */
function within(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}
