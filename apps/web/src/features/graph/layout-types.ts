/** The layout request and answer exchanged with the layout worker (structured clone: plain data only). */
import type { LayoutName } from "./url";

export interface LayoutRequest {
  /** Answers carry the id back, so a late answer to an older request can be dropped. */
  id: number;
  layout: LayoutName;
  /** Leaf nodes with the room they need (shape + label). */
  nodes: { id: string; parent: string | null; width: number; height: number }[];
  /** Compound boxes (namespace, app); their size follows their children. */
  boxes: { id: string; parent: string | null }[];
  edges: { id: string; source: string; target: string }[];
}

export interface LayoutAnswer {
  id: number;
  /** Centre of each leaf node's layout box, px at zoom 1. */
  positions: Record<string, { x: number; y: number }>;
  /** Time spent in the layout algorithm, ms. */
  ms: number;
}
