/**
 * GET /api/operations?service=&spanKind= (GET /api/services, which merges the trace services with the mesh's, is
 * in service-routes.ts). Operations are not under
 * /api/services/{service}/operations (Jaeger's path) because DESIGN §5 reserves /api/services/{namespace}/{service}
 * for the service detail page.
 */
import { SPAN_KINDS } from "@meshscope/model";
import { Router } from "express";
import { z } from "zod";
import type { TraceReader } from "../store/trace-store.js";
import { listOperations } from "../traces/catalog.js";
import { parseOr400 } from "./errors.js";

const OperationsQuery = z.object({
  service: z.string().min(1, "service is required").max(1024),
  // Jaeger sends an empty spanKind for "all kinds".
  spanKind: z
    .union([z.enum(SPAN_KINDS), z.literal("")])
    .optional()
    .transform((k) => (k === "" ? undefined : k)),
});

export function catalogRouter(reader: TraceReader): Router {
  const router = Router();
  router.get("/operations", (req, res) => {
    const query = parseOr400(OperationsQuery, req.query);
    res.json(listOperations(reader, query.service, query.spanKind));
  });
  return router;
}
