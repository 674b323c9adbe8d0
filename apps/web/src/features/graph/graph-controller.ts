/**
 * Owns the cytoscape instance of the graph page. React hands it data and view state; it updates the canvas in
 * place: elements are added, changed or removed one by one (never rebuilt), existing nodes keep their
 * positions, new nodes are placed next to their neighbours, and a full layout runs only on the first data, on a
 * change of graph type or layout, or on request. Cytoscape stays out of React's render cycle (CONVENTIONS).
 */
import cytoscape, { type Core, type ElementDefinition, type NodeSingular } from "cytoscape";
import { layoutSize, NODE_SIZE, SERVICE_SIZE, toCyElements } from "./cy-elements";
import { edgeLabel } from "./edge-label";
import { drawsFlatBoxes, flatBoxGeometry, type Rect } from "./flat-boxes";
import { type GraphFilter, NO_FILTER } from "./graph-filter";
import type { GraphModel } from "./graph-model";
import { DEFAULT_PALETTE, type GraphPalette, graphStylesheet } from "./graph-style";
import { LayoutRunner } from "./layout-runner";
import { type Point, placeNewNodes } from "./place-new-nodes";
import { TrafficAnimation } from "./traffic-animation";
import type { EdgeLabel, LayoutName } from "./url";

export interface GraphControllerEvents {
  /** The user picked a node, edge or app box (its id), or clicked the background (null). */
  onSelect(id: string | null): void;
  /** A full layout started (true) or finished (false). */
  onLayoutState?(running: boolean): void;
}

export interface GraphStats {
  /** Time of the last full layout in the worker, ms. */
  layoutMs: number | null;
  /** Time of the last in-place update (diff + apply), ms. */
  syncMs: number | null;
  layouts: number;
}

/** Above this share of new nodes an update is a new graph: lay it all out rather than place node by node. */
const RELAYOUT_SHARE = 0.5;
/** Elements above which the canvas is drawn as a texture while panning and zooming (cytoscape's fast path). */
const BIG_GRAPH = 1_500;

export class GraphController {
  readonly cy: Core;
  private readonly runner = new LayoutRunner();
  private readonly animation: TrafficAnimation;
  private model: GraphModel | null = null;
  private labels: readonly EdgeLabel[] = [];
  private layoutName: LayoutName = "dagre";
  private layoutKey = "";
  private filter: GraphFilter = NO_FILTER;
  /** Whether any element may carry a find/hide class now. */
  private filterShown = false;
  private selected: string | null = null;
  private animate = false;
  private layoutPending = false;
  private fitPending = false;
  readonly stats: GraphStats = { layoutMs: null, syncMs: null, layouts: 0 };

  constructor(
    container: HTMLElement,
    private readonly events: GraphControllerEvents,
    palette: GraphPalette = DEFAULT_PALETTE,
    expectedElements = 0,
  ) {
    this.cy = cytoscape({
      container,
      style: graphStylesheet(palette),
      boxSelectionEnabled: false,
      selectionType: "single",
      minZoom: 0.05,
      maxZoom: 4,
      textureOnViewport: expectedElements > BIG_GRAPH,
    });
    this.animation = new TrafficAnimation(this.cy);
    // Flat boxes follow the nodes the user drags (compound boxes do that by themselves).
    this.cy.on("drag", "node", () => this.scheduleFlatBoxes());
    this.cy.on("tap", (event) => {
      const target = event.target;
      if (target === this.cy) {
        this.events.onSelect(null);
        return;
      }
      // Namespace boxes are only frames; a tap on one is a tap on the background.
      const box: unknown = target.data("box");
      this.events.onSelect(box === "namespace" ? null : String(target.id()));
    });
  }

  setPalette(palette: GraphPalette): void {
    this.cy.style(graphStylesheet(palette));
  }

  /**
   * New data, or new view settings. `layoutKey` names what the positions belong to (graph type + layout +
   * relayout counter): when it changes, everything is laid out again.
   */
  setGraph(model: GraphModel, labels: readonly EdgeLabel[], layoutName: LayoutName, layoutKey: string): void {
    const started = performance.now();
    const keyChanged = this.model === null || layoutKey !== this.layoutKey;
    this.model = model;
    this.labels = labels;
    this.layoutName = layoutName;
    this.layoutKey = layoutKey;
    let newNodes = 0;
    for (const n of model.nodes) if (this.cy.getElementById(n.id).empty()) newNodes++;
    const mostlyNew = newNodes > 3 && newNodes > model.nodes.length * RELAYOUT_SHARE;
    if (keyChanged || mostlyNew || this.layoutPending) {
      // A new picture: the canvas keeps the old one (or stays empty) until the layout answers, then takes the
      // elements with their positions in one batch. Drawing 1,000 unplaced nodes piled on one point first
      // cost seconds of main-thread time (bench/ui-graph.ts).
      void this.layoutThenSync(keyChanged);
    } else {
      const added = this.sync(toCyElements(model, labels), null);
      if (added.length > 0) this.placeAdded(added);
      this.afterSync();
    }
    this.stats.syncMs = performance.now() - started;
  }

  private afterSync(): void {
    this.updateFlatBoxes();
    this.applyFilter();
    this.applySelection();
    if (this.animate) this.animation.start();
  }

  /**
   * Adds, updates and removes elements in one batch; returns the ids of leaf nodes that were added. With
   * `positions`, every leaf node listed moves there (added ones are created there).
   */
  private sync(defs: ElementDefinition[], positions: ReadonlyMap<string, Point> | null): string[] {
    const cy = this.cy;
    const wanted = new Set<string>();
    for (const d of defs) if (d.data.id) wanted.add(d.data.id);
    const added: string[] = [];
    const toAdd: ElementDefinition[] = [];
    cy.batch(() => {
      for (const def of defs) {
        const id = def.data.id ?? "";
        const existing = cy.getElementById(id);
        const position = positions?.get(id);
        if (existing.empty()) {
          toAdd.push(position ? { ...def, position } : def);
          if (def.group === "nodes" && def.data.kind !== "box") added.push(id);
          continue;
        }
        const parent = def.data.parent ?? null;
        if (existing.isNode() && (existing.data("parent") ?? null) !== parent) {
          // A parent added in this batch must exist first.
          if (parent !== null && cy.getElementById(parent).empty()) cy.add(toAdd.splice(0));
          existing.move({ parent });
        }
        const current = cy.getElementById(id);
        if (changed(current.data(), def.data)) current.data(def.data);
        if (position) current.position(position);
      }
      // One add for all new elements: cytoscape indexes and bounds them once (boxes precede their members).
      if (toAdd.length > 0) cy.add(toAdd);
      // Edges first, then nodes deepest-first, so no removal takes a wanted child with it.
      cy.edges()
        .filter((e) => !wanted.has(e.id()))
        .remove();
      const gone: NodeSingular[] = [];
      cy.nodes().forEach((n) => {
        if (!wanted.has(n.id())) gone.push(n);
      });
      for (const node of gone.sort((a, b) => depth(b) - depth(a))) {
        node.children().move({ parent: null });
        node.remove();
      }
    });
    return added;
  }

  private placeAdded(added: string[]): void {
    const model = this.model;
    if (!model) return;
    const addedSet = new Set(added);
    const placed = new Map<string, Point>();
    this.cy.nodes().forEach((n) => {
      // Boxes (compound or flat) are frames around nodes, not obstacles of their own.
      if (!n.isParent() && n.data("kind") !== "box" && !addedSet.has(n.id())) placed.set(n.id(), { ...n.position() });
    });
    const siblings = (id: string) => {
      const parent = model.nodeById.get(id)?.parent;
      const box = parent ? model.boxById.get(parent) : undefined;
      return box ? box.members.filter((m) => m !== id) : [];
    };
    const edges = model.edges.map((e) => e.edge);
    const positions = placeNewNodes({ newIds: added, placed, edges, siblings });
    this.cy.batch(() => {
      for (const [id, p] of positions) this.cy.getElementById(id).position(p);
    });
  }

  private flatBoxFrame = 0;

  private scheduleFlatBoxes(): void {
    if (this.flatBoxFrame !== 0 || !this.model || !drawsFlatBoxes(this.model)) return;
    this.flatBoxFrame = requestAnimationFrame(() => {
      this.flatBoxFrame = 0;
      this.updateFlatBoxes();
    });
  }

  /** Sizes and places the flat boxes around what they hold (big graphs only; see flat-boxes.ts). */
  private updateFlatBoxes(): void {
    const model = this.model;
    if (!model || !drawsFlatBoxes(model)) return;
    const cy = this.cy;
    const extentOf = (id: string): Rect | null => {
      const view = model.nodeById.get(id);
      const node = cy.getElementById(id);
      if (!view || node.empty()) return null;
      // The position is the shape's centre; the label hangs underneath (the room layoutSize reserves).
      const p = node.position();
      const size = layoutSize(view);
      const top = p.y - (view.node.kind === "service" ? SERVICE_SIZE : NODE_SIZE) / 2;
      return { x1: p.x - size.width / 2, y1: top, x2: p.x + size.width / 2, y2: top + size.height };
    };
    const geometry = flatBoxGeometry(model, extentOf);
    cy.batch(() => {
      for (const [id, g] of geometry) {
        const box = cy.getElementById(id);
        if (box.empty()) continue;
        if (box.data("w") !== g.width || box.data("h") !== g.height) box.data({ w: g.width, h: g.height });
        box.position({ x: g.x, y: g.y });
      }
    });
  }

  /** `fit`: zoom to the whole graph afterwards (new graph, new type, new layout); kept if superseded. */
  private async layoutThenSync(fit: boolean): Promise<void> {
    const model = this.model;
    if (!model) return;
    this.fitPending ||= fit;
    this.layoutPending = true;
    this.events.onLayoutState?.(true);
    const sizes = new Map(model.nodes.map((n) => [n.id, layoutSize(n)]));
    const answer = await this.runner.run({
      layout: this.layoutName,
      nodes: model.nodes.map((n) => {
        const size = sizes.get(n.id) ?? { width: 40, height: 40 };
        return { id: n.id, parent: n.parent, ...size };
      }),
      boxes: model.boxes.map((b) => ({ id: b.id, parent: b.parent })),
      edges: model.edges.map((e) => ({ id: e.id, source: e.edge.source, target: e.edge.target })),
    });
    // Null: a newer layout superseded this one; it will finish the job.
    if (!answer || this.cy.destroyed() || this.model !== model) return;
    const positions = new Map<string, Point>();
    for (const n of model.nodes) {
      const p = answer.positions[n.id];
      if (!p) continue;
      // The layout box holds the shape with its label underneath: put the shape at the top of the box.
      const size = sizes.get(n.id);
      const shape = n.node.kind === "service" ? SERVICE_SIZE : NODE_SIZE;
      positions.set(n.id, { x: p.x, y: p.y - (size ? (size.height - shape) / 2 : 0) });
    }
    this.sync(toCyElements(model, this.labels), positions);
    this.afterSync();
    this.layoutPending = false;
    this.stats.layoutMs = answer.ms;
    this.stats.layouts++;
    if (this.fitPending) this.fit();
    this.fitPending = false;
    this.events.onLayoutState?.(false);
  }

  /** Lays the whole graph out again (the toolbar's "Re-layout"). */
  relayout(): void {
    void this.layoutThenSync(true);
  }

  get layoutRunning(): boolean {
    return this.layoutPending;
  }

  fit(): void {
    const visible = this.cy.elements().not(".hidden");
    this.cy.fit(visible.length > 0 ? visible : undefined, 30);
    // A tiny graph fitted to a big canvas would be drawn huge: cap the zoom at 1.6.
    if (this.cy.zoom() > 1.6) {
      this.cy.zoom(1.6);
      this.cy.center(visible);
    }
  }

  setLabels(labels: readonly EdgeLabel[]): void {
    const model = this.model;
    this.labels = labels;
    if (!model) return;
    this.cy.batch(() => {
      for (const view of model.edges) {
        const edge = this.cy.getElementById(view.id);
        const label = edgeLabel(model, view, labels);
        if (edge.data("label") !== label) edge.data("label", label);
      }
    });
  }

  setFilter(filter: GraphFilter): void {
    this.filter = filter;
    this.applyFilter();
  }

  private applyFilter(): void {
    const { found, hidden } = this.filter;
    const active = found.size > 0 || hidden.size > 0;
    // Nothing to show and nothing shown: skip the walk over every element (thousands on big graphs).
    if (!active && !this.filterShown) return;
    this.filterShown = active;
    const anyFound = found.size > 0;
    this.cy.batch(() => {
      this.cy.elements().forEach((el) => {
        const id = el.id();
        el.toggleClass("hidden", hidden.has(id));
        el.toggleClass("found", found.has(id));
        // With a find active, the rest steps back so the hits stand out (boxes stay as frames).
        el.toggleClass("faded", anyFound && !found.has(id) && el.data("kind") !== "box");
      });
    });
  }

  setSelected(id: string | null): void {
    this.selected = id;
    this.applySelection();
  }

  private applySelection(): void {
    const current = this.cy.$(":selected");
    if (this.selected === null) {
      current.unselect();
      return;
    }
    const el = this.cy.getElementById(this.selected);
    if (current.length === 1 && current.id() === this.selected) return;
    current.unselect();
    if (el.nonempty()) el.select();
  }

  /** Pans so the element is on screen (keyboard selection, deep links). */
  reveal(id: string): void {
    const el = this.cy.getElementById(id);
    if (el.empty()) return;
    const box = el.renderedBoundingBox();
    const w = this.cy.width();
    const h = this.cy.height();
    if (box.x1 < 0 || box.y1 < 0 || box.x2 > w || box.y2 > h) this.cy.center(el);
  }

  setAnimation(on: boolean): void {
    this.animate = on;
    if (on) this.animation.start();
    else this.animation.stop();
  }

  /** The model currently drawn (the automation hook reads labels from the canvas elements, not from here). */
  get currentModel(): GraphModel | null {
    return this.model;
  }

  destroy(): void {
    cancelAnimationFrame(this.flatBoxFrame);
    this.animation.stop();
    this.runner.dispose();
    this.cy.destroy();
  }
}

function depth(node: NodeSingular): number {
  return node.ancestors().length;
}

/** Shallow comparison of element data (values are strings and numbers). */
function changed(current: Record<string, unknown>, next: Record<string, unknown>): boolean {
  for (const key of Object.keys(next)) if (current[key] !== next[key]) return true;
  return false;
}
