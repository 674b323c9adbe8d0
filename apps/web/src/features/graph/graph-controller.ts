/**
 * Owns the cytoscape instance of the graph page. React hands it data and view state; it updates the canvas in
 * place: elements are added, changed or removed one by one (never rebuilt), existing nodes keep their
 * positions, new nodes are placed next to their neighbours, and a full layout runs only on the first data, on a
 * change of graph type or layout, or on request. Cytoscape stays out of React's render cycle (CONVENTIONS).
 */
import cytoscape, { type Core, type ElementDefinition, type NodeSingular } from "cytoscape";
import { layoutSize, NODE_SIZE, SERVICE_SIZE, toCyElements } from "./cy-elements";
import { takeEarlyLayout } from "./early-layout";
import { edgeLabel } from "./edge-label";
import { BOX_PADDING, drawsFlatBoxes, flatBoxGeometry, type Rect } from "./flat-boxes";
import { type GraphFilter, NO_FILTER } from "./graph-filter";
import type { GraphModel, NodeView } from "./graph-model";
import { DEFAULT_PALETTE, type GraphPalette, graphStylesheet, LABELLED, labelsReadableAt } from "./graph-style";
import { canvasPositions, layoutRequestFor } from "./layout-request";
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
/** Elements given their labels per step when labels are added after the first frame (see LABELLED). */
const LABEL_CHUNK = 600;

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
  /** Counts full layouts asked for; only the latest one's answer is applied. */
  private layoutSeq = 0;
  private fitPending = false;
  /**
   * Labels (graph-style.ts LABELLED): none before the first layout; then all at once when its zoom shows them,
   * else `filling`, a chunk per frame after the first frame, so that frame does not measure thousands of labels
   * nobody can read at that zoom. New elements get the class when they are added in `on`.
   */
  private labelMode: "off" | "filling" | "on" = "off";
  private labelTimer = 0;
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
    mark("canvas-created");
    // Zoomed in to where labels show before they were all added: add the rest now.
    this.cy.on("zoom", () => {
      if (this.labelMode === "filling" && labelsReadableAt(this.cy.zoom())) this.labelAll();
    });
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
    // An empty canvas (the first graph) has nothing to look up, update or remove: 4,000 lookups for nothing.
    const fresh = cy.elements().empty();
    cy.batch(() => {
      for (const def of defs) {
        const id = def.data.id ?? "";
        const existing = fresh ? null : cy.getElementById(id);
        const position = positions?.get(id);
        if (!existing || existing.empty()) {
          const labelled = this.labelMode === "on" ? { classes: LABELLED } : {};
          toAdd.push(position ? { ...def, ...labelled, position } : { ...def, ...labelled });
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
      if (fresh) return;
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
    const geometry = flatBoxGeometry(model, (id) => this.extentOf(model, id));
    cy.batch(() => {
      for (const [id, g] of geometry) {
        const box = cy.getElementById(id);
        if (box.empty()) continue;
        if (box.data("w") !== g.width || box.data("h") !== g.height) box.data({ w: g.width, h: g.height });
        const at = box.position();
        if (at.x !== g.x || at.y !== g.y) box.position({ x: g.x, y: g.y });
      }
    });
  }

  /** A leaf node's drawn extent (shape and label) at zoom 1, or null when it is not on the canvas. */
  private extentOf(model: GraphModel, id: string): Rect | null {
    const view = model.nodeById.get(id);
    const node = this.cy.getElementById(id);
    if (!view || node.empty()) return null;
    return extentAt(view, node.position());
  }

  /** `fit`: zoom to the whole graph afterwards (new graph, new type, new layout); kept if superseded. */
  private async layoutThenSync(fit: boolean): Promise<void> {
    const model = this.model;
    if (!model) return;
    this.fitPending ||= fit;
    this.layoutPending = true;
    this.events.onLayoutState?.(true);
    const seq = ++this.layoutSeq;
    mark("layout-sent");
    // The page may have started this very layout before the canvas existed (early-layout.ts).
    const answer = await (takeEarlyLayout(model, this.layoutName) ??
      this.runner.run(layoutRequestFor(model, this.layoutName)));
    // Null: a newer layout superseded this one; it will finish the job.
    // The early answer comes from another runner: a layout asked for after it wins here too.
    if (!answer || this.cy.destroyed() || this.model !== model || seq !== this.layoutSeq) return;
    mark("layout-answered");
    const positions = canvasPositions(model, answer);
    const defs = toCyElements(model, this.labels);
    if (this.cy.elements().empty()) withFlatBoxes(model, defs, positions);
    this.sync(defs, positions);
    this.afterSync();
    mark("elements-placed");
    this.layoutPending = false;
    this.stats.layoutMs = answer.ms;
    this.stats.layouts++;
    if (this.fitPending) this.fit();
    this.fitPending = false;
    this.startLabels();
    mark("fitted");
    this.events.onLayoutState?.(false);
  }

  private startLabels(): void {
    if (this.labelMode !== "off") return;
    if (labelsReadableAt(this.cy.zoom())) {
      this.labelAll();
      return;
    }
    this.labelMode = "filling";
    this.cy.one("render", () => this.scheduleLabelChunk());
  }

  private scheduleLabelChunk(): void {
    // A task after the frame, not the frame itself: input gets its turn between chunks.
    this.labelTimer = window.setTimeout(() => {
      this.labelTimer = 0;
      if (this.labelMode !== "filling" || this.cy.destroyed()) return;
      const rest = this.cy.elements().filter((el) => !el.hasClass(LABELLED));
      if (rest.length <= LABEL_CHUNK) {
        this.labelAll();
        return;
      }
      rest.slice(0, LABEL_CHUNK).addClass(LABELLED);
      this.cy.one("render", () => this.scheduleLabelChunk());
    }, 0);
  }

  private labelAll(): void {
    window.clearTimeout(this.labelTimer);
    this.labelTimer = 0;
    this.labelMode = "on";
    this.cy.batch(() => {
      this.cy.elements().forEach((el) => {
        if (!el.hasClass(LABELLED)) el.addClass(LABELLED);
      });
    });
  }

  /** Lays the whole graph out again (the toolbar's "Re-layout"). */
  relayout(): void {
    void this.layoutThenSync(true);
  }

  get layoutRunning(): boolean {
    return this.layoutPending;
  }

  /**
   * Zooms and pans so every visible node is on screen. The frame comes from the node positions and the room
   * their labels take (layoutSize), not from cytoscape's bounding boxes: `cy.fit` computes the style and the
   * label and edge geometry of every element first, which on 1,000 nodes / 3,000 edges cost more than the rest
   * of the first layout together, and the first frame computed most of it again (bench/ui-graph.ts profile).
   */
  fit(): void {
    const model = this.model;
    if (!model) return;
    const { hidden } = this.filter;
    let frame: Rect | null = null;
    for (const pass of [true, false]) {
      for (const view of model.nodes) {
        if (pass && hidden.has(view.id)) continue;
        const extent = this.extentOf(model, view.id);
        if (extent) frame = union(frame, extent);
      }
      // Everything hidden: frame the whole graph, as cy.fit of nothing would.
      if (frame) break;
    }
    if (!frame) return;
    if (model.boxes.length > 0) {
      // App and namespace boxes around the nodes: their padding, and their titles above them.
      const around = 2 * BOX_PADDING;
      frame = {
        x1: frame.x1 - around,
        y1: frame.y1 - around - 2 * BOX_TITLE,
        x2: frame.x2 + around,
        y2: frame.y2 + around,
      };
    }
    const padding = 30;
    const width = Math.max(1, frame.x2 - frame.x1);
    const height = Math.max(1, frame.y2 - frame.y1);
    const fitted = Math.min((this.cy.width() - 2 * padding) / width, (this.cy.height() - 2 * padding) / height);
    // A tiny graph fitted to a big canvas would be drawn huge: cap the zoom at 1.6.
    const zoom = Math.max(this.cy.minZoom(), Math.min(1.6, this.cy.maxZoom(), fitted));
    this.cy.viewport({
      zoom,
      pan: {
        x: (this.cy.width() - zoom * (frame.x1 + frame.x2)) / 2,
        y: (this.cy.height() - zoom * (frame.y1 + frame.y2)) / 2,
      },
    });
  }

  setLabels(labels: readonly EdgeLabel[]): void {
    const model = this.model;
    // The wrapper calls this once on mount with the labels setGraph already drew (or is laying out): a walk over
    // every edge for nothing.
    const same = labels.length === this.labels.length && labels.every((l, i) => l === this.labels[i]);
    this.labels = labels;
    if (!model || same) return;
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
    window.clearTimeout(this.labelTimer);
    this.animation.stop();
    this.runner.dispose();
    this.cy.destroy();
  }
}

/**
 * `graph:<step>` marks of the first layout's steps, for the UI benchmark's breakdown (bench/ui-graph.ts); later
 * layouts add more, the bench reads the first of each.
 */
function mark(step: string): void {
  performance.mark(`graph:${step}`);
}

/** A leaf node's drawn extent at zoom 1 with its shape centred on `p`: the label hangs underneath (layoutSize). */
function extentAt(view: NodeView, p: Point): Rect {
  const size = layoutSize(view);
  const top = p.y - (view.node.kind === "service" ? SERVICE_SIZE : NODE_SIZE) / 2;
  return { x1: p.x - size.width / 2, y1: top, x2: p.x + size.width / 2, y2: top + size.height };
}

/**
 * The first elements of a laid-out graph: flat boxes (flat-boxes.ts) are created at their final size and place,
 * from the layout's positions, rather than as dots that updateFlatBoxes then resizes and moves one by one.
 */
function withFlatBoxes(model: GraphModel, defs: ElementDefinition[], positions: ReadonlyMap<string, Point>): void {
  if (!drawsFlatBoxes(model)) return;
  const geometry = flatBoxGeometry(model, (id) => {
    const view = model.nodeById.get(id);
    const p = positions.get(id);
    return view && p ? extentAt(view, p) : null;
  });
  for (const def of defs) {
    const g = def.data.id === undefined ? undefined : geometry.get(def.data.id);
    if (!g) continue;
    def.data = { ...def.data, w: g.width, h: g.height };
    def.position = { x: g.x, y: g.y };
  }
}

/** Height of a box's title above its frame, px at zoom 1 (11 px bold label). */
const BOX_TITLE = 16;

function union(a: Rect | null, b: Rect): Rect {
  if (!a) return { ...b };
  return { x1: Math.min(a.x1, b.x1), y1: Math.min(a.y1, b.y1), x2: Math.max(a.x2, b.x2), y2: Math.max(a.y2, b.y2) };
}

function depth(node: NodeSingular): number {
  return node.ancestors().length;
}

/** Shallow comparison of element data (values are strings and numbers). */
function changed(current: Record<string, unknown>, next: Record<string, unknown>): boolean {
  for (const key of Object.keys(next)) if (current[key] !== next[key]) return true;
  return false;
}
