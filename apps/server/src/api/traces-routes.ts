/** GET /api/traces (search) and GET /api/traces/:traceId. Thin: validate, call the trace service, answer. */
import { TraceSearchQuery } from "@meshscope/model";
import { Router } from "express";
import type { TraceReader } from "../store/trace-store.js";
import { getTrace } from "../traces/get-trace.js";
import { searchTraces } from "../traces/search-traces.js";
import { normaliseTraceId } from "../traces/trace-id.js";
import { ApiError, parseOr400 } from "./errors.js";

export function tracesRouter(reader: TraceReader, nowUs: () => number): Router {
  const router = Router();
  router.get("/traces", (req, res) => {
    const params = parseOr400(TraceSearchQuery, req.query);
    res.json(searchTraces(reader, params, nowUs()));
  });
  router.get("/traces/:traceId", (req, res) => {
    const traceId = normaliseTraceId(req.params.traceId);
    if (traceId === null) {
      throw new ApiError(400, "invalid_trace_id", "trace id must be 32 (or 16) hexadecimal characters");
    }
    const trace = getTrace(reader, traceId);
    if (trace === null) throw new ApiError(404, "not_found", `trace ${traceId} not found`);
    res.json(trace);
  });
  return router;
}
