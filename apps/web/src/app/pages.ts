/**
 * Each console page as its own chunk, loaded on demand: the graph page alone pulls in cytoscape, the trace
 * view its waterfall, the mesh-config page the YAML editor, so a first visit to one page must not download and
 * compile the others (the benches' page-to-data time is mostly that). The pages keep their named exports; these
 * adapters turn them into what a route's `lazy` expects. `import()` caches its module, so calling a loader again
 * (a route, then a hovered link) costs nothing.
 */
import type { ComponentType } from "react";

type PageLoader = () => Promise<{ Component: ComponentType }>;

export const PAGES = {
  overview: () => import("../features/overview/OverviewPage").then((m) => ({ Component: m.OverviewPage })),
  graph: () => import("../features/graph/GraphPage").then((m) => ({ Component: m.GraphPage })),
  services: () => import("../features/services/ServicesPage").then((m) => ({ Component: m.ServicesPage })),
  serviceDetail: () =>
    import("../features/services/ServiceDetailPage").then((m) => ({ Component: m.ServiceDetailPage })),
  traces: () => import("../features/traces/TracesPage").then((m) => ({ Component: m.TracesPage })),
  traceCompare: () =>
    import("../features/trace-compare/TraceComparePage").then((m) => ({ Component: m.TraceComparePage })),
  openTrace: () => import("../features/trace/OpenTracePage").then((m) => ({ Component: m.OpenTracePage })),
  trace: () => import("../features/trace/TracePage").then((m) => ({ Component: m.TracePage })),
  meshConfig: () => import("../features/mesh-config/MeshConfigPage").then((m) => ({ Component: m.MeshConfigPage })),
} satisfies Record<string, PageLoader>;

/** The page a sidebar section opens, so hovering or focusing its link can start the download early. */
const SECTION_PAGES: Readonly<Record<string, PageLoader>> = {
  "/overview": PAGES.overview,
  "/graph": PAGES.graph,
  "/services": PAGES.services,
  "/traces": PAGES.traces,
  "/mesh-config": PAGES.meshConfig,
};

/** Starts loading a section's page chunk; a failure is left to the route (it shows the route error on navigation). */
export function preloadSection(pathname: string): void {
  SECTION_PAGES[pathname]?.().catch(() => {});
}

/**
 * The page routes.tsx renders at `pathname`, or null (login, 404). Mirrors the route table's paths (pages.test.ts
 * holds the two together) so the entry can ask for the page before React, the router and the schemas are even
 * evaluated; the router's own `lazy` call later gets the same cached module.
 */
export function pageForPath(pathname: string): PageLoader | null {
  const parts = pathname.split("/").filter((p) => p !== "");
  const [first, second, third, ...rest] = parts;
  if (rest.length > 0) return null;
  if (first === undefined || (first === "overview" && second === undefined)) return PAGES.overview;
  if (second === undefined) {
    if (first === "graph") return PAGES.graph;
    if (first === "services") return PAGES.services;
    if (first === "traces") return PAGES.traces;
    if (first === "mesh-config") return PAGES.meshConfig;
    return null;
  }
  if (first === "services" && third !== undefined) return PAGES.serviceDetail;
  if (first === "traces" && third === undefined) {
    if (second === "compare") return PAGES.traceCompare;
    if (second === "open") return PAGES.openTrace;
    return PAGES.trace;
  }
  return null;
}

/** Called once by the entry, first thing: the current page's chunk downloads while the rest of the entry runs. */
export function preloadCurrentPage(pathname: string): void {
  pageForPath(pathname)?.().catch(() => {});
}
