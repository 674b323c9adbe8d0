/** `GET /api/graph` (DESIGN §5): validate the query, read the window's edge traffic, build the graph. */
import { GraphQuery, type GraphResponse } from "@meshscope/model";
import { Router } from "express";
import { buildGraph } from "../graph/build-graph.js";
import type { HealthThresholds } from "../graph/health.js";
import type { MetricReader } from "../metrics/metric-reader.js";
import { parseOr400 } from "./errors.js";

export interface GraphRouteDeps {
  metrics: MetricReader;
  /** Current time in µs since the epoch: the default window end. */
  nowUs: () => number;
  thresholds?: HealthThresholds;
}

export function graphRouter(deps: GraphRouteDeps): Router {
  const router = Router();
  router.get("/graph", (req, res) => {
    const q = parseOr400(GraphQuery, req.query);
    const endUs = q.end ?? deps.nowUs();
    const startUs = endUs - q.window * 1_000_000;
    // Every reporter is read: the builder pins source vs destination per request (graph/reporter-pinning.ts).
    const edges = deps.metrics.edgeTraffic({
      startMs: startUs / 1000,
      endMs: endUs / 1000,
      ...(q.namespaces && q.namespaces.length > 0 ? { namespaces: q.namespaces } : {}),
    });
    const body: GraphResponse = buildGraph(edges, {
      type: q.type,
      injectServiceNodes: q.injectServiceNodes,
      window: { startUs, endUs },
      ...(q.namespaces ? { namespaces: q.namespaces } : {}),
      ...(deps.thresholds ? { thresholds: deps.thresholds } : {}),
    });
    res.json(body);
  });
  return router;
}
