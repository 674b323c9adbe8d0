/**
 * The cytoscape stylesheet: Kiali's visual grammar (kiali.md §1.1) in this console's colours. Node shapes by kind
 * (app round rectangle, workload ellipse, service round triangle, external round tag, unknown dashed ellipse),
 * node borders and edges coloured by health, TCP edges blue with a crossed arrow, idle edges grey; find hits get
 * a gold underlay. Colours come from CSS custom properties (graph.css), so both themes apply.
 */
import type { StylesheetJson } from "cytoscape";

export interface GraphPalette {
  healthy: string;
  degraded: string;
  failure: string;
  idle: string;
  tcp: string;
  nodeBg: string;
  text: string;
  textBg: string;
  boxBg: string;
  boxBorder: string;
  find: string;
  selected: string;
}

const VARS: Record<keyof GraphPalette, string> = {
  healthy: "--graph-healthy",
  degraded: "--graph-degraded",
  failure: "--graph-failure",
  idle: "--graph-idle",
  tcp: "--graph-tcp",
  nodeBg: "--graph-node-bg",
  text: "--graph-text",
  textBg: "--graph-text-bg",
  boxBg: "--graph-box-bg",
  boxBorder: "--graph-box-border",
  find: "--graph-find",
  selected: "--graph-selected",
};

/** Light-theme values, used when the CSS is not loaded (bench pages, tests). */
export const DEFAULT_PALETTE: GraphPalette = {
  healthy: "#3e8635",
  degraded: "#e6a700",
  failure: "#c9190b",
  idle: "#8a939e",
  tcp: "#2b6cd6",
  nodeBg: "#ffffff",
  text: "#24292f",
  textBg: "#f4f5f7",
  boxBg: "#f7f8fa",
  boxBorder: "#c9ced6",
  find: "#f4c145",
  selected: "#3d71d9",
};

export function readPalette(element: Element): GraphPalette {
  const css = getComputedStyle(element);
  const palette = { ...DEFAULT_PALETTE };
  for (const key of Object.keys(VARS) as (keyof GraphPalette)[]) {
    const value = css.getPropertyValue(VARS[key]).trim();
    if (value) palette[key] = value;
  }
  return palette;
}

/**
 * The class that gives an element its label. Cytoscape computes the style, the text size and the label geometry
 * of every element before its first frame, whether or not the zoom lets a label show (`min-zoomed-font-size` only
 * skips the drawing): on 1,000 nodes / 3,000 edges the text properties and label measuring were about half of
 * that frame (bench/ui-graph.ts CPU profile). The controller adds the class at once when the first zoom shows
 * labels, and otherwise over the frames after the first one (graph-controller.ts).
 */
export const LABELLED = "labelled";

/** Below these on-screen sizes, px, a label is not drawn (`min-zoomed-font-size`). */
export const NODE_FONT_PX = 11;
export const EDGE_FONT_PX = 10;
export const MIN_NODE_LABEL_PX = 6;
export const MIN_BOX_LABEL_PX = 5;
export const MIN_EDGE_LABEL_PX = 7;

/** Whether any label is drawn at this zoom: boxes show theirs first (11 px at 5 px and up). */
export function labelsReadableAt(zoom: number): boolean {
  return zoom * NODE_FONT_PX >= MIN_BOX_LABEL_PX || zoom * EDGE_FONT_PX >= MIN_EDGE_LABEL_PX;
}

export function graphStylesheet(p: GraphPalette): StylesheetJson {
  // Order matters: a later rule wins, so the health rules come after the base node and edge rules.
  const nodeHealth = (status: string, color: string) => ({
    selector: `node[health = "${status}"]`,
    style: { "border-color": color },
  });
  const edgeHealth = (status: string, color: string) => ({
    selector: `edge[health = "${status}"][traffic = 1]`,
    style: { "line-color": color, "target-arrow-color": color },
  });
  return [
    {
      selector: "node",
      style: {
        "background-color": p.nodeBg,
        "border-width": 2,
        "border-color": p.idle,
      },
    },
    {
      // Labels (and every text property) only on `labelled` elements: see LABELLED.
      selector: `node.${LABELLED}`,
      style: {
        label: "data(label)",
        "font-size": NODE_FONT_PX,
        "font-family": "Inter, Segoe UI, system-ui, sans-serif",
        color: p.text,
        "text-valign": "bottom",
        "text-halign": "center",
        "text-margin-y": 4,
        "text-wrap": "wrap",
        "text-max-width": "150px",
        "text-background-color": p.textBg,
        "text-background-opacity": 0.85,
        "text-background-padding": "2px",
        "text-background-shape": "roundrectangle",
        // Below 6 px on screen a label is noise and costs draw time on big graphs.
        "min-zoomed-font-size": MIN_NODE_LABEL_PX,
      },
    },
    // Leaf nodes carry their size; boxes (no size) take the size of their children.
    { selector: "node[size]", style: { width: "data(size)", height: "data(size)" } },
    { selector: 'node[kind = "app"]', style: { shape: "round-rectangle" } },
    { selector: 'node[kind = "workload"]', style: { shape: "ellipse" } },
    { selector: 'node[kind = "service"]', style: { shape: "round-triangle" } },
    { selector: 'node[kind = "external"]', style: { shape: "round-tag" } },
    { selector: 'node[kind = "unknown"]', style: { shape: "ellipse", "border-style": "dashed" } },
    { selector: "node[traced = 1]", style: { "border-style": "dashed" } },
    nodeHealth("healthy", p.healthy),
    nodeHealth("degraded", p.degraded),
    nodeHealth("failure", p.failure),
    { selector: 'node[health = "degraded"], node[health = "failure"]', style: { "border-width": 3 } },
    {
      selector: 'node[kind = "box"]',
      style: {
        shape: "round-rectangle",
        "background-color": p.boxBg,
        "background-opacity": 0.55,
        "border-width": 1,
        "border-color": p.boxBorder,
        padding: "14px",
      },
    },
    {
      selector: `node.${LABELLED}[kind = "box"]`,
      style: {
        "text-valign": "top",
        "text-halign": "center",
        "text-margin-y": -2,
        "font-size": NODE_FONT_PX,
        "font-weight": "bold",
        "text-background-opacity": 0,
        "min-zoomed-font-size": MIN_BOX_LABEL_PX,
      },
    },
    { selector: 'node[box = "namespace"]', style: { "border-style": "dashed", "background-opacity": 0.25 } },
    // Flat boxes (big graphs, flat-boxes.ts): sized from their members and drawn under every edge and node.
    { selector: "node[flat = 1]", style: { width: "data(w)", height: "data(h)", "z-compound-depth": "bottom" } },
    { selector: 'node[flat = 1][box = "app"]', style: { "z-index": 1 } },
    {
      selector: "edge",
      style: {
        width: 2,
        // Parallel edges and loops are bundled beziers (below); a lone edge is straight, which looks the same.
        "curve-style": "straight",
        "line-color": p.idle,
        "target-arrow-color": p.idle,
        "target-arrow-shape": "vee",
        "arrow-scale": 1.1,
      },
    },
    {
      selector: `edge.${LABELLED}`,
      style: {
        label: "data(label)",
        "font-size": EDGE_FONT_PX,
        color: p.text,
        "text-background-color": p.textBg,
        "text-background-opacity": 0.9,
        "text-background-padding": "2px",
        "min-zoomed-font-size": MIN_EDGE_LABEL_PX,
      },
    },
    { selector: "edge[bundle = 1]", style: { "curve-style": "bezier" } },
    edgeHealth("healthy", p.healthy),
    edgeHealth("degraded", p.degraded),
    edgeHealth("failure", p.failure),
    {
      selector: 'edge[protocol = "tcp"]',
      style: { "target-arrow-shape": "triangle-cross" },
    },
    { selector: 'edge[protocol = "tcp"][traffic = 1]', style: { "line-color": p.tcp, "target-arrow-color": p.tcp } },
    { selector: "edge[traced = 1]", style: { "line-style": "dashed", "line-dash-pattern": [6, 4] } },
    { selector: "edge.animated", style: { "line-style": "dashed", "line-dash-pattern": [8, 5] } },
    {
      selector: ".found",
      style: { "underlay-color": p.find, "underlay-opacity": 0.7, "underlay-padding": 6 },
    },
    { selector: ".faded", style: { opacity: 0.3 } },
    { selector: ".hidden", style: { display: "none" } },
    {
      selector: "node:selected",
      style: { "overlay-color": p.selected, "overlay-opacity": 0.18, "overlay-padding": 6, "border-width": 3 },
    },
    {
      selector: "edge:selected",
      style: { width: 4, "overlay-color": p.selected, "overlay-opacity": 0.2, "overlay-padding": 4 },
    },
    { selector: "node:active, edge:active", style: { "overlay-opacity": 0.12 } },
  ];
}
