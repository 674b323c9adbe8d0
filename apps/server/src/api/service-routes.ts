/** `GET /api/services` and `GET /api/services/{namespace}/{service}` (DESIGN §5): parse, call, answer. */
import { ServiceDetailQuery, ServiceListQuery } from "@meshscope/model";
import { Router } from "express";
import type { HealthThresholds } from "../graph/health.js";
import type { MetricReader } from "../metrics/metric-reader.js";
import { listServices } from "../services/list-services.js";
import { defaultStepSeconds, MAX_POINTS, rateWindowSeconds, serviceDetail } from "../services/service-detail.js";
import type { TraceReader } from "../store/trace-store.js";
import { ApiError, parseOr400 } from "./errors.js";

export interface ServiceRouteDeps {
  traces: TraceReader;
  /** Without it the list holds the trace services only. */
  metrics?: MetricReader;
  /** Current time in µs since the epoch: the default window end. */
  nowUs: () => number;
  /** The scrape interval, s: the least step of a detail series. */
  scrapeIntervalSeconds: number;
  thresholds?: HealthThresholds;
}

export function serviceRouter(deps: ServiceRouteDeps): Router {
  const router = Router();
  const readers = {
    traces: deps.traces,
    ...(deps.metrics ? { metrics: deps.metrics } : {}),
    ...(deps.thresholds ? { thresholds: deps.thresholds } : {}),
  };
  router.get("/services", (req, res) => {
    const q = parseOr400(ServiceListQuery, req.query);
    const endUs = q.end ?? deps.nowUs();
    res.json(
      listServices(readers, {
        startUs: endUs - q.window * 1_000_000,
        endUs,
        ...(q.namespaces && q.namespaces.length > 0 ? { namespaces: q.namespaces } : {}),
      }),
    );
  });
  router.get("/services/:namespace/:service", (req, res) => {
    const q = parseOr400(ServiceDetailQuery, req.query);
    const step = q.step ?? defaultStepSeconds(q.window, deps.scrapeIntervalSeconds);
    if (q.window / step > MAX_POINTS) {
      throw new ApiError(400, "invalid_request", `step: window/step is at most ${MAX_POINTS} points`);
    }
    if (step > q.window) throw new ApiError(400, "invalid_request", "step: must not exceed the window");
    const ref = { namespace: req.params.namespace, service: req.params.service };
    const body = serviceDetail(readers, ref, {
      endUs: q.end ?? deps.nowUs(),
      windowSeconds: q.window,
      stepSeconds: step,
      rateWindowSeconds: rateWindowSeconds(step, deps.scrapeIntervalSeconds),
    });
    if (body === null) {
      throw new ApiError(404, "not_found", `no service ${ref.service} in namespace ${ref.namespace}`);
    }
    res.json(body);
  });
  return router;
}
