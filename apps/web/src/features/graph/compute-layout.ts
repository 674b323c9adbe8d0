/**
 * Runs a layout on a headless cytoscape instance and returns the node positions. It needs no DOM, so it runs in
 * the layout worker (layout.worker.ts), off the main thread: dagre on a 1,000-node graph takes seconds, and the
 * page must stay responsive meanwhile (CONVENTIONS "Data in the UI").
 */
import cytoscape, { type LayoutOptions } from "cytoscape";
import dagre from "cytoscape-dagre";
import fcose from "cytoscape-fcose";
import { layeredLayout, usesLayeredLayout } from "./layered-layout";
import type { LayoutAnswer, LayoutRequest } from "./layout-types";
import type { LayoutName } from "./url";

let registered = false;
function register(): void {
  if (registered) return;
  cytoscape.use(dagre);
  cytoscape.use(fcose);
  registered = true;
}

/**
 * Kiali's dagre settings (left to right, network-simplex ranks) with more room between ranks, because our labels
 * sit under the nodes and edge labels need space between ranks.
 */
function layoutOptions(name: LayoutName, nodeCount: number): LayoutOptions {
  // fcose draft quality above 400 nodes: its default quality pass doubles the time for little visible change.
  if (name === "fcose") {
    return {
      name: "fcose",
      animate: false,
      randomize: true,
      quality: nodeCount > 400 ? "draft" : "default",
      nodeDimensionsIncludeLabels: false,
      idealEdgeLength: 90,
      nodeRepulsion: 9000,
      nestingFactor: 0.6,
      packComponents: true,
    } as LayoutOptions;
  }
  return {
    name: "dagre",
    rankDir: "LR",
    ranker: "network-simplex",
    nodeSep: 18,
    edgeSep: 12,
    rankSep: 70,
    animate: false,
    fit: false,
  } as LayoutOptions;
}

export function computeLayout(request: LayoutRequest): LayoutAnswer {
  const started = performance.now();
  if (usesLayeredLayout(request.layout, request.nodes.length)) {
    return { id: request.id, positions: layeredLayout(request), ms: performance.now() - started };
  }
  register();
  const cy = cytoscape({
    headless: true,
    styleEnabled: true,
    style: [{ selector: "node[w]", style: { width: "data(w)", height: "data(h)", shape: "rectangle" } }],
  });
  const parentOk = (p: string | null) => (p ? { parent: p } : {});
  cy.add([
    ...request.boxes.map((b) => ({ group: "nodes" as const, data: { id: b.id, ...parentOk(b.parent) } })),
    ...request.nodes.map((n) => ({
      group: "nodes" as const,
      data: { id: n.id, ...parentOk(n.parent), w: n.width, h: n.height },
    })),
    ...request.edges.map((e) => ({ group: "edges" as const, data: { id: e.id, source: e.source, target: e.target } })),
  ]);
  cy.layout(layoutOptions(request.layout, request.nodes.length)).run();
  const positions: LayoutAnswer["positions"] = {};
  cy.nodes()
    .filter((n) => !n.isParent())
    .forEach((n) => {
      const p = n.position();
      positions[n.id()] = { x: p.x, y: p.y };
    });
  cy.destroy();
  return { id: request.id, positions, ms: performance.now() - started };
}
