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

/**
 * A small graph of the same shape (namespaces, app boxes, services calling versions), laid out once when the
 * worker starts. The page starts this worker before its data arrives (early-layout.ts): the idle worker then
 * compiles the layout code and loads the collation data of `localeCompare` (~35 ms on first use), which took
 * about half of the first real layout in a fresh worker (bench/ui-graph.ts).
 */
function warmUp(): void {
  const request: LayoutRequest = { id: 0, layout: "dagre", nodes: [], boxes: [], edges: [] };
  for (let ns = 0; ns < 4; ns++) {
    request.boxes.push({ id: `ns${ns}`, parent: null });
    for (let app = 0; app < 6; app++) {
      const box = `ns${ns}/a${app}`;
      request.boxes.push({ id: box, parent: `ns${ns}` });
      request.nodes.push({ id: `${box}/svc`, parent: box, width: 60, height: 60 });
      for (let v = 0; v < 2; v++) {
        request.nodes.push({ id: `${box}/v${v}`, parent: box, width: 60, height: 60 });
        request.edges.push({ id: `${box}/e${v}`, source: `${box}/svc`, target: `${box}/v${v}` });
        if (app < 5)
          request.edges.push({ id: `${box}/x${v}`, source: `${box}/v${v}`, target: `ns${ns}/a${app + 1}/svc` });
      }
    }
  }
  layeredLayout(request);
}

warmUp();
