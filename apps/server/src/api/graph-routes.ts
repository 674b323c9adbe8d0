/** `GET /api/graph` (DESIGN §5): validate the query, read the window's edge traffic, build the graph. */
import { GraphQuery, type GraphResponse } from "@meshscope/model";
import { Router } from "express";
import { buildGraph } from "../graph/build-graph.js";
import { graphJson } from "../graph/graph-json.js";
import type { HealthThresholds } from "../graph/health.js";
import { mergeTraceEdges } from "../graph/trace-edges.js";
import type { MetricReader } from "../metrics/metric-reader.js";
import type { SpanEdgeReader } from "../store/span-edges.js";
import { parseOr400 } from "./errors.js";

export interface GraphRouteDeps {
  metrics: MetricReader;
  /** Current time in µs since the epoch: the default window end. */
  nowUs: () => number;
  thresholds?: HealthThresholds;
  /** When present, services without proxy metrics get edges from their spans (graph/trace-edges.ts). */
  spanEdges?: SpanEdgeReader;
  /** Adds what the metrics do not know, such as mesh-config badges (mesh/badges.ts). */
  decorate?: (graph: GraphResponse) => GraphResponse;
}

export function graphRouter(deps: GraphRouteDeps): Router {
  const router = Router();
  router.get("/graph", (req, res) => {
    const q = parseOr400(GraphQuery, req.query);
    const started = performance.now();
    const endUs = q.end ?? deps.nowUs();
    const startUs = endUs - q.window * 1_000_000;
    // Every reporter is read: the builder pins source vs destination per request (graph/reporter-pinning.ts).
    // A live graph (no end given) ends at this request's "now", which no later request repeats. Its traffic and
    // graph are read within this (synchronous) handler and dropped once serialised, so both may be built in the
    // last live answer's arrays and objects (EdgeTrafficQuery.transient, BuildGraphOptions.transient).
    const live = q.end === undefined;
    const trafficAt = performance.now();
    const traffic = deps.metrics.edgeTrafficTable({
      startMs: startUs / 1000,
      endMs: endUs / 1000,
      ...(q.namespaces && q.namespaces.length > 0 ? { namespaces: q.namespaces } : {}),
      memoise: !live,
      transient: live,
    });
    const common = {
      type: q.type,
      window: { startUs, endUs },
      ...(q.namespaces ? { namespaces: q.namespaces } : {}),
      ...(deps.thresholds ? { thresholds: deps.thresholds } : {}),
    };
    const builtAt = performance.now();
    let body: GraphResponse = buildGraph(traffic, {
      ...common,
      injectServiceNodes: q.injectServiceNodes,
      transient: live,
    });
    if (deps.spanEdges)
      body = mergeTraceEdges(body, traffic.keys, deps.spanEdges.spanEdges({ startUs, endUs }), common);
    if (deps.decorate) body = deps.decorate(body);
    const serialisedAt = performance.now();
    // A shared (memoised, frozen) graph is serialised once; its ETag lets a client revalidate with a 304.
    const json = graphJson(body);
    const doneAt = performance.now();
    // Where the time went, for browsers' network panels and the graph bench (W3C Server Timing): reading the
    // window's traffic, building the graph (with trace edges and badges), and serialising it.
    res.set(
      "Server-Timing",
      [
        `traffic;dur=${(builtAt - trafficAt).toFixed(2)}`,
        `build;dur=${(serialisedAt - builtAt).toFixed(2)}`,
        `json;dur=${(doneAt - serialisedAt).toFixed(2)}`,
        `total;dur=${(doneAt - started).toFixed(2)}`,
      ].join(", "),
    );
    res.set("ETag", json.etag).type("application/json");
    // What Express's send does, without its copy of the text into a Buffer (graph-json.ts): a client holding this
    // version gets a 304, and HEAD gets the headers only.
    if (req.fresh) {
      res.status(304).end();
      return;
    }
    res.set("Content-Length", String(json.byteLength));
    if (req.method === "HEAD") res.end();
    else if (json.bytes !== undefined) res.end(json.bytes);
    else res.end(json.text, "utf8");
  });
  return router;
}
