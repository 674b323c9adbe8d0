/**
 * The first layout of a big graph, started by the page as soon as the graph's model is built rather than once
 * the canvas exists: the canvas code (cytoscape) loads and its instance is created while the worker lays the
 * graph out, and the worker is started when the page mounts, not on the first request (worker start-up was
 * ~200 ms of the first layout, bench/ui-graph.ts). The canvas takes the answer if it lays out the same model
 * with the same layout; any other layout goes through the canvas's own runner as before.
 */
import type { GraphModel } from "./graph-model";
import { usesLayeredLayout } from "./layered-layout";
import { layoutRequestFor } from "./layout-request";
import { LayoutRunner } from "./layout-runner";
import type { LayoutAnswer } from "./layout-types";
import type { LayoutName } from "./url";

/** Node count assumed before the data is there: big enough for the layered worker, the one worth warming. */
const BIG = Number.MAX_SAFE_INTEGER;

let runner: LayoutRunner | null = null;
let early: { model: GraphModel; layout: LayoutName; answer: Promise<LayoutAnswer | null> } | null = null;

function earlyRunner(): LayoutRunner {
  runner ??= new LayoutRunner();
  return runner;
}

/**
 * Starts the layered-layout worker (a few kB) for the hierarchical layout. The general worker (cytoscape, dagre,
 * fcose: 600 kB to compile) is not warmed: the graphs it lays out are small, and compiling it would compete
 * with the page for the CPU.
 */
export function warmLayoutWorker(layout: LayoutName): void {
  if (usesLayeredLayout(layout, BIG)) earlyRunner().warm(layout, BIG);
}

/** Lays `model` out ahead of the canvas, when it is big enough for the layered layout (see warmLayoutWorker). */
export function startEarlyLayout(model: GraphModel, layout: LayoutName): void {
  if (early?.model === model && early.layout === layout) return;
  if (!usesLayeredLayout(layout, model.nodes.length)) return;
  early = { model, layout, answer: earlyRunner().run(layoutRequestFor(model, layout)) };
  // For the UI benchmark's breakdown, like the canvas's `graph:<step>` marks (graph-controller.ts).
  performance.mark("graph:early-layout-sent");
}

/** The early layout of exactly this model and layout, once; null when there is none. */
export function takeEarlyLayout(model: GraphModel, layout: LayoutName): Promise<LayoutAnswer | null> | null {
  if (early?.model !== model || early.layout !== layout) return null;
  const { answer } = early;
  early = null;
  return answer;
}
