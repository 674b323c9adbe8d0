/** Liveness, readiness and self-metrics, served on the console port. */
import { Router } from "express";
import type { Readiness } from "./readiness.js";
import type { SelfMetrics } from "./self-metrics.js";

export function opsRouter(readiness: Readiness, metrics: SelfMetrics): Router {
  const router = Router();
  router.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  router.get("/readyz", (_req, res) => {
    const { ready, checks } = readiness.report();
    res.status(ready ? 200 : 503).json({ status: ready ? "ready" : "not ready", checks });
  });
  router.get("/metrics", (_req, res) => {
    res.type("text/plain; version=0.0.4; charset=utf-8").send(metrics.registry.render());
  });
  return router;
}
