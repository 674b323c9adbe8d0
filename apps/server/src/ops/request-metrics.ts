/** Counts every HTTP request by listener, route and status for `meshscope_http_requests_total`. */
import type { NextFunction, Request, Response } from "express";
import type { SelfMetrics } from "./self-metrics.js";

/** The route label: a fixed set of values, so arbitrary request paths cannot create label values. */
export function routeLabel(path: string): string {
  if (path === "/v1/traces" || path === "/api/v2/spans") return path;
  if (path === "/healthz" || path === "/readyz" || path === "/metrics") return path;
  if (path === "/api/traces") return "/api/traces";
  if (path.startsWith("/api/traces/")) return "/api/traces/:traceId";
  if (path.startsWith("/api/")) return "/api/other";
  return "static";
}

export function requestMetrics(metrics: SelfMetrics, listener: string) {
  return (req: Request, res: Response, next: NextFunction): void => {
    res.once("finish", () => {
      metrics.httpRequests.inc({ listener, route: routeLabel(req.path), code: String(res.statusCode) });
    });
    next();
  };
}
