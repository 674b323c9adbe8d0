/**
 * Reading the demo's Bookinfo off `/api/graph` in tests: node ids as the graph names them, typed graph reads, and
 * polling with a deadline (the data arrives at the scrape interval; a test waits as long as the data needs).
 */
import { type GraphEdge, GraphResponse } from "@meshscope/model";

const NS = "bookinfo";

/** Node ids of Bookinfo in the versionedApp graph (graph/node-identity.ts). */
export const NODE = {
  // The gateway has no `version` label: Istio's stats plugin reports its canonical revision as "latest".
  gateway: "app:istio-system/istio-ingressgateway/latest",
  productpage: `app:${NS}/productpage/v1`,
  details: `app:${NS}/details/v1`,
  reviews: (version: "v1" | "v2" | "v3") => `app:${NS}/reviews/${version}`,
  ratings: `app:${NS}/ratings/v1`,
  service: (name: "productpage" | "details" | "reviews" | "ratings") => `service:${NS}/${name}`,
} as const;

/** Every hop of Bookinfo as caller → serving app, i.e. the graph without service nodes. */
export const BOOKINFO_HOPS: ReadonlyArray<readonly [string, string]> = [
  [NODE.gateway, NODE.productpage],
  [NODE.productpage, NODE.details],
  [NODE.productpage, NODE.reviews("v1")],
  [NODE.productpage, NODE.reviews("v2")],
  [NODE.productpage, NODE.reviews("v3")],
  [NODE.reviews("v2"), NODE.ratings],
  [NODE.reviews("v3"), NODE.ratings],
];

export interface GraphWindow {
  /** Seconds, whole. */
  windowS: number;
  /** Window end, ms since the epoch (default now). */
  endMs?: number;
  injectServiceNodes?: boolean;
}

export async function fetchGraph(consoleUrl: string, w: GraphWindow): Promise<GraphResponse> {
  const params = new URLSearchParams({
    type: "versionedApp",
    namespaces: NS,
    window: String(w.windowS),
    end: String(Math.round((w.endMs ?? Date.now()) * 1000)),
    injectServiceNodes: String(w.injectServiceNodes ?? true),
  });
  const res = await fetch(`${consoleUrl}/api/graph?${params}`);
  const body: unknown = await res.json();
  if (!res.ok) throw new Error(`GET /api/graph → ${res.status} ${JSON.stringify(body)}`);
  return GraphResponse.parse(body);
}

/** The HTTP edge from `source` to `target`, if the window has traffic on it. */
export function edgeBetween(graph: GraphResponse, source: string, target: string): GraphEdge | undefined {
  return graph.edges.find((e) => e.source === source && e.target === target && e.protocol === "http");
}

export function edgeRps(graph: GraphResponse, source: string, target: string): number {
  return edgeBetween(graph, source, target)?.rps ?? 0;
}

/** The edges ending at `target`. */
export function edgesInto(graph: GraphResponse, target: string): GraphEdge[] {
  return graph.edges.filter((e) => e.target === target);
}

/** Requests/s carrying `flag` (Envoy response flag) over the given edges. */
export function flagRps(edges: readonly GraphEdge[], flag: string): number {
  return edges.reduce((sum, e) => sum + (e.flags[flag] ?? 0), 0);
}

/** The share of failed requests over the given edges, weighted by their rates. */
export function errorRatio(edges: readonly GraphEdge[]): number {
  const rps = edges.reduce((sum, e) => sum + e.rps, 0);
  return rps > 0 ? edges.reduce((sum, e) => sum + e.rps * e.errorRate, 0) / rps : 0;
}

export interface Probe<T> {
  /** The value when the condition holds, else undefined. */
  value: T | undefined;
  /** What was seen, for the timeout message. */
  seen: string;
}

/**
 * Polls `probe` every `intervalMs` until it yields a value; past `timeoutMs` it throws with what was last seen,
 * so a failure says how far the data was from the expectation.
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<Probe<T>>,
  timeoutMs: number,
  intervalMs = 500,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let seen = "nothing yet";
  for (;;) {
    const result = await probe();
    if (result.value !== undefined) return result.value;
    seen = result.seen;
    if (Date.now() >= deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last seen: ${seen}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
