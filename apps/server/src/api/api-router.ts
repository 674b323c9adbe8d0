/** Everything under /api: the JSON API of DESIGN §5 and the error envelope for unknown paths. */
import type { GraphResponse } from "@meshscope/model";
import { Router } from "express";
import type { HealthThresholds } from "../graph/health.js";
import { meshRouter } from "../mesh/mesh-routes.js";
import type { MeshService } from "../mesh/mesh-service.js";
import type { MetricReader } from "../metrics/metric-reader.js";
import type { EventsBus } from "../ops/events-bus.js";
import type { Logger } from "../ops/logger.js";
import type { SpanEdgeReader } from "../store/span-edges.js";
import type { TraceReader } from "../store/trace-store.js";
import { catalogRouter } from "./catalog-routes.js";
import { apiErrorHandler, sendApiError } from "./errors.js";
import { eventsRouter } from "./events-routes.js";
import { graphRouter } from "./graph-routes.js";
import { serviceRouter } from "./service-routes.js";
import type { OutlineSource } from "./trace-outline.js";
import { tracesRouter } from "./traces-routes.js";

export interface ApiDeps {
  reader: TraceReader;
  /** Where trace outlines are built (traces/outline-builder.ts); on the request's thread without it. */
  outlines?: OutlineSource;
  logger: Logger;
  /** Current time in µs since the epoch (injectable for tests of the default search window). */
  nowUs: () => number;
  /** The metric store's query side, for /api/graph; the route is absent without it. */
  metrics?: MetricReader;
  /** Client→server span pairs: trace-derived graph edges for services without proxy metrics. */
  spanEdges?: SpanEdgeReader;
  /** New-data announcements for /api/events; the route is absent without it. */
  events?: EventsBus;
  /** The scrape interval in seconds: the least step of service RED series (default 15). */
  scrapeIntervalSeconds?: number;
  /** Health tolerances for the graph and service pages; Kiali's defaults when absent. */
  thresholds?: HealthThresholds;
  /** Mesh config (/api/mesh) and the graph's badges; the routes are absent without it. */
  mesh?: MeshService;
}

export function apiRouter(deps: ApiDeps): Router {
  const router = Router();
  const mesh = deps.mesh;
  router.use(tracesRouter(deps.reader, deps.nowUs, deps.outlines));
  router.use(
    serviceRouter({
      traces: deps.reader,
      nowUs: deps.nowUs,
      scrapeIntervalSeconds: deps.scrapeIntervalSeconds ?? 15,
      ...(deps.metrics ? { metrics: deps.metrics } : {}),
      ...(deps.thresholds ? { thresholds: deps.thresholds } : {}),
    }),
  );
  router.use(catalogRouter(deps.reader));
  if (deps.events) router.use(eventsRouter({ bus: deps.events }));
  if (deps.metrics) {
    router.use(
      graphRouter({
        metrics: deps.metrics,
        nowUs: deps.nowUs,
        ...(deps.spanEdges ? { spanEdges: deps.spanEdges } : {}),
        ...(deps.thresholds ? { thresholds: deps.thresholds } : {}),
        ...(mesh ? { decorate: (graph: GraphResponse) => mesh.decorateGraph(graph) } : {}),
      }),
    );
  }
  if (mesh) router.use(meshRouter({ service: mesh, nowUs: deps.nowUs }));
  router.use((req, res) => {
    sendApiError(res, 404, "not_found", `no API route ${req.method} /api${req.path}`);
  });
  router.use(apiErrorHandler(deps.logger));
  return router;
}
