/**
 * Cytoscape element definitions for a graph model. Element data holds only what the stylesheet and the
 * automation hook read (kind, health, label, protocol); the side panel reads the model itself.
 */
import type { ElementDefinition } from "cytoscape";
import { edgeLabel } from "./edge-label";
import { drawsFlatBoxes } from "./flat-boxes";
import type { GraphModel, NodeView } from "./graph-model";
import type { EdgeLabel } from "./url";

/** Short badge tags drawn under a node's name; the legend spells them out (Kiali's badge set, kiali.md §1.2). */
export const BADGE_TAGS: Record<string, { tag: string; title: string }> = {
  virtualService: { tag: "VS", title: "Virtual service" },
  requestRouting: { tag: "RR", title: "Request routing" },
  trafficShifting: { tag: "TS", title: "Traffic shifting" },
  faultInjection: { tag: "FI", title: "Fault injection" },
  circuitBreaker: { tag: "CB", title: "Circuit breaker" },
  requestTimeout: { tag: "TO", title: "Request timeout" },
  timeout: { tag: "TO", title: "Request timeout" },
  mirroring: { tag: "MI", title: "Mirroring" },
};

export function badgeText(badges: readonly string[]): string {
  const tags = badges.map((b) => BADGE_TAGS[b]?.tag ?? b);
  return [...new Set(tags)].join(" ");
}

/** Node sizes, px at zoom 1: app and workload nodes are the "main" shapes; services a little smaller (Kiali). */
export const NODE_SIZE = 34;
export const SERVICE_SIZE = 30;
/** Label line height and glyph width of the 11 px label font, for the layout's room around each node. */
const LINE_HEIGHT = 14;
const CHAR_WIDTH = 6.4;
const MAX_LABEL_WIDTH = 150;
/**
 * Longest name drawn on the canvas. Cytoscape wraps labels only at spaces, so one 10 KB name without spaces
 * would be a single line tens of thousands of pixels wide and Fit would shrink the graph to a sliver; the side
 * panel, find and the tooltips show the whole name.
 */
export const MAX_CANVAS_LABEL_CHARS = 64;

/** `text` cut to MAX_CANVAS_LABEL_CHARS characters (code points), the last one an ellipsis when cut. */
export function canvasLabel(text: string): string {
  const chars = Array.from(text);
  return chars.length <= MAX_CANVAS_LABEL_CHARS ? text : `${chars.slice(0, MAX_CANVAS_LABEL_CHARS - 1).join("")}…`;
}

export function nodeLabelText(view: NodeView): string {
  const badges = badgeText(view.node.badges);
  const name = canvasLabel(view.label);
  return badges ? `${name}\n${badges}` : name;
}

/** The room a node needs in the layout: its shape plus its label underneath. */
export function layoutSize(view: NodeView): { width: number; height: number } {
  const lines = nodeLabelText(view).split("\n");
  const longest = Math.max(...lines.map((l) => l.length));
  const textWidth = Math.min(MAX_LABEL_WIDTH, longest * CHAR_WIDTH);
  const labelLines = lines.length + (longest * CHAR_WIDTH > MAX_LABEL_WIDTH ? 1 : 0);
  return { width: Math.max(NODE_SIZE, textWidth) + 8, height: NODE_SIZE + labelLines * LINE_HEIGHT + 8 };
}

/**
 * With `flatBoxes` (big graphs, flat-boxes.ts) a node names its box in `within` instead of being its compound
 * child; the automation hook reads either.
 */
export function nodeElement(view: NodeView, flatBoxes = false): ElementDefinition {
  const n = view.node;
  const box = view.parent ? (flatBoxes ? { within: view.parent } : { parent: view.parent }) : {};
  return {
    group: "nodes",
    data: {
      id: view.id,
      ...box,
      label: nodeLabelText(view),
      kind: n.kind,
      health: n.health,
      traced: n.traceDerived === true ? 1 : 0,
      size: n.kind === "service" ? SERVICE_SIZE : NODE_SIZE,
    },
  };
}

export function toCyElements(
  model: GraphModel,
  labels: readonly EdgeLabel[],
  flatBoxes = drawsFlatBoxes(model),
): ElementDefinition[] {
  const out: ElementDefinition[] = [];
  // Namespace boxes before app boxes before nodes: cytoscape needs a parent to exist before its children.
  const boxes = [...model.boxes].sort((a, b) => (a.boxType === b.boxType ? 0 : a.boxType === "namespace" ? -1 : 1));
  for (const box of boxes) {
    const nesting = box.parent ? (flatBoxes ? { within: box.parent } : { parent: box.parent }) : {};
    out.push({
      group: "nodes",
      data: {
        id: box.id,
        ...nesting,
        label: canvasLabel(box.label),
        kind: "box",
        box: box.boxType,
        // A flat box is sized by the controller from its members (flatBoxGeometry); it starts as a dot.
        ...(flatBoxes ? { flat: 1, w: 1, h: 1 } : {}),
      },
      // A flat box does not carry its members along when dragged: dragging it would tear it from them.
      ...(flatBoxes ? { grabbable: false } : {}),
    });
  }
  for (const view of model.nodes) out.push(nodeElement(view, flatBoxes));
  const bundled = bundledEdges(model);
  for (const view of model.edges) {
    const e = view.edge;
    const traffic = e.rps > 0 || e.tcpSentBytesPerSec + e.tcpReceivedBytesPerSec > 0;
    out.push({
      group: "edges",
      data: {
        id: view.id,
        source: e.source,
        target: e.target,
        label: edgeLabel(model, view, labels),
        protocol: e.protocol,
        health: e.health,
        traffic: traffic ? 1 : 0,
        traced: e.traceDerived === true ? 1 : 0,
        bundle: bundled.has(view.id) ? 1 : 0,
      },
    });
  }
  return out;
}

/**
 * Edges that share their pair of nodes with another edge (either direction, another protocol) or are loops: only
 * these are drawn as cytoscape's bundled beziers, which curve apart. Every other edge is drawn `straight`, which
 * looks the same as a lone bezier but spares cytoscape a parallel-edge lookup per edge on every restyle and
 * redraw (a third of the first frame on 3,000 edges, bench/ui-graph.ts CPU profile).
 */
export function bundledEdges(model: GraphModel): Set<string> {
  const byPair = new Map<string, string[]>();
  const out = new Set<string>();
  for (const view of model.edges) {
    const { source, target } = view.edge;
    if (source === target) {
      out.add(view.id);
      continue;
    }
    const key = source < target ? `${source}\n${target}` : `${target}\n${source}`;
    const ids = byPair.get(key);
    if (ids) ids.push(view.id);
    else byPair.set(key, [view.id]);
  }
  for (const ids of byPair.values()) if (ids.length > 1) for (const id of ids) out.add(id);
  return out;
}
