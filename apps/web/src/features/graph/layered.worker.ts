/// <reference lib="webworker" />
/**
 * The layout worker of big hierarchical graphs: only the layered layout, without cytoscape, dagre and fcose
 * (600 kB the general worker must load and compile before it answers, on the first graph's critical path).
 */
import { layeredLayout } from "./layered-layout";
import type { LayoutAnswer, LayoutRequest } from "./layout-types";

self.onmessage = (event: MessageEvent<LayoutRequest>) => {
  const started = performance.now();
  const answer: LayoutAnswer = { id: event.data.id, positions: layeredLayout(event.data), ms: 0 };
  answer.ms = performance.now() - started;
  self.postMessage(answer);
};
