/**
 * The graph page's own state in the query string (`/graph?type=app&labels=rps,p95&find=rps%20%3E%2010&sel=…`), so
 * every view of the graph is a link someone can share. Values the page does not know are ignored (the default
 * applies) rather than reported: a hand-edited or older link still opens a graph.
 *
 * The time window, namespaces and refresh belong to the app shell and are read by `usePageTimeParams`.
 */
import { GraphType } from "@meshscope/model";

export const GRAPH_TYPES: readonly { value: GraphType; label: string }[] = [
  { value: "versionedApp", label: "Versioned app" },
  { value: "app", label: "App" },
  { value: "workload", label: "Workload" },
  { value: "service", label: "Service" },
];

export const LAYOUTS = [
  // Kiali's default: ranks flow left to right, so a request path reads like a sentence.
  { value: "dagre", label: "Hierarchical (dagre)" },
  // A force-directed layout for meshes without a clear direction (many cross-calls).
  { value: "fcose", label: "Force-directed (fcose)" },
] as const;
export type LayoutName = (typeof LAYOUTS)[number]["value"];

/** Edge label parts, in the order they are joined on a label (Kiali joins with " | "). */
export const EDGE_LABELS = [
  { value: "rps", label: "Request rate" },
  { value: "err", label: "Error %" },
  { value: "p95", label: "p95 latency" },
  { value: "p99", label: "p99 latency" },
  { value: "share", label: "Share of requests" },
  { value: "mtls", label: "mTLS" },
] as const;
export type EdgeLabel = (typeof EDGE_LABELS)[number]["value"];

export interface GraphViewState {
  type: GraphType;
  layout: LayoutName;
  labels: EdgeLabel[];
  find: string;
  hide: string;
  /** Id of the selected node or edge (ids are stable across refreshes, DESIGN §5). */
  selected: string | null;
  /** Traffic animation; null = the default (on, unless the user prefers reduced motion or the graph is large). */
  animate: boolean | null;
  /** Replay: the end of the window, µs since the epoch; null = live ("now"). */
  end: number | null;
}

export const DEFAULT_VIEW: GraphViewState = {
  type: "versionedApp",
  layout: "dagre",
  labels: ["rps"],
  find: "",
  hide: "",
  selected: null,
  animate: null,
  end: null,
};

const KEYS = {
  type: "type",
  layout: "layout",
  labels: "labels",
  find: "find",
  hide: "hide",
  selected: "sel",
  animate: "animate",
  end: "end",
} as const;

const LAYOUT_VALUES: ReadonlySet<string> = new Set(LAYOUTS.map((l) => l.value));
const LABEL_VALUES: ReadonlySet<string> = new Set(EDGE_LABELS.map((l) => l.value));

function isLayout(v: string): v is LayoutName {
  return LAYOUT_VALUES.has(v);
}
function isEdgeLabel(v: string): v is EdgeLabel {
  return LABEL_VALUES.has(v);
}

export function readGraphView(params: URLSearchParams): GraphViewState {
  const type = GraphType.safeParse(params.get(KEYS.type));
  const layout = params.get(KEYS.layout) ?? "";
  const labels = params.get(KEYS.labels);
  const animate = params.get(KEYS.animate);
  const end = params.get(KEYS.end) ?? "";
  return {
    type: type.success ? type.data : DEFAULT_VIEW.type,
    layout: isLayout(layout) ? layout : DEFAULT_VIEW.layout,
    // `labels=none` is the explicit empty choice; a missing key is the default.
    labels: labels === null ? DEFAULT_VIEW.labels : readLabels(labels),
    find: params.get(KEYS.find) ?? "",
    hide: params.get(KEYS.hide) ?? "",
    selected: params.get(KEYS.selected) || null,
    animate: animate === "1" ? true : animate === "0" ? false : null,
    end: /^\d{1,17}$/.test(end) ? Number(end) : null,
  };
}

function readLabels(text: string): EdgeLabel[] {
  const picked = new Set(text.split(",").map((s) => s.trim()));
  return EDGE_LABELS.map((l) => l.value).filter((v) => picked.has(v) && isEdgeLabel(v));
}

/**
 * Writes the view into `params` (a copy), leaving every other key (the shell's window, namespaces, refresh)
 * untouched, and dropping keys that hold their default so URLs stay short.
 */
export function writeGraphView(params: URLSearchParams, patch: Partial<GraphViewState>): URLSearchParams {
  const next = new URLSearchParams(params);
  const view = { ...readGraphView(params), ...patch };
  const set = (key: string, value: string | null) => {
    if (value === null || value === "") next.delete(key);
    else next.set(key, value);
  };
  set(KEYS.type, view.type === DEFAULT_VIEW.type ? null : view.type);
  set(KEYS.layout, view.layout === DEFAULT_VIEW.layout ? null : view.layout);
  const labels = view.labels.join(",");
  set(KEYS.labels, labels === DEFAULT_VIEW.labels.join(",") ? null : labels === "" ? "none" : labels);
  set(KEYS.find, view.find.trim() === "" ? null : view.find);
  set(KEYS.hide, view.hide.trim() === "" ? null : view.hide);
  set(KEYS.selected, view.selected);
  set(KEYS.animate, view.animate === null ? null : view.animate ? "1" : "0");
  set(KEYS.end, view.end === null ? null : String(Math.round(view.end)));
  return next;
}

/** A link to the graph, e.g. from a service page ("see it on the graph"), keeping the given shell params. */
export function graphPath(patch: Partial<GraphViewState>, base = new URLSearchParams()): string {
  const query = writeGraphView(base, patch).toString();
  return query ? `/graph?${query}` : "/graph";
}
