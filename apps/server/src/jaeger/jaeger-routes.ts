/**
 * Jaeger's v1 query API (DESIGN §4 "Traces"), mounted at /jaeger/api so that Grafana's Jaeger data source works
 * against `http://host:8080/jaeger`. Every answer is Jaeger's envelope `{data, total, limit, offset, errors}`;
 * failures carry `data: null` and `errors: [{code, msg}]` with the matching HTTP status, as Jaeger's
 * handleError writes them.
 */
import { type NextFunction, type Request, type Response, Router } from "express";
import type { Logger } from "../ops/logger.js";
import type { SpanEdgeReader } from "../store/span-edges.js";
import type { TraceReader } from "../store/trace-store.js";
import { JaegerHttpError, JaegerParamError } from "./jaeger-errors.js";
import type { JaegerEnvelope, JaegerError } from "./jaeger-model.js";
import { quote } from "./jaeger-params.js";
import {
  getJaegerTrace,
  listJaegerDependencies,
  listJaegerOperationNames,
  listJaegerOperations,
  listJaegerServices,
  parseJaegerTraceId,
  searchJaegerTraces,
} from "./jaeger-query.js";

export interface JaegerApiDeps {
  reader: TraceReader;
  /** Client→server span pairs for /dependencies; without it the list is empty. */
  spanEdges?: SpanEdgeReader;
  logger: Logger;
  /** Current time in µs since the epoch (injectable for tests of the default windows). */
  nowUs: () => number;
}

function envelope<T>(data: T, total = 0, errors: JaegerError[] | null = null): JaegerEnvelope<T> {
  return { data, total, limit: 0, offset: 0, errors };
}

function sendError(res: Response, status: number, msg: string): void {
  res.status(status).json(envelope(null, 0, [{ code: status, msg }]));
}

/** The query string as URLSearchParams: repeated parameters stay lists and no key becomes an object. */
function searchParams(req: Request): URLSearchParams {
  const q = req.originalUrl.indexOf("?");
  return new URLSearchParams(q < 0 ? "" : req.originalUrl.slice(q + 1));
}

export function jaegerRouter(deps: JaegerApiDeps): Router {
  const router = Router();
  router.get("/services", (_req, res) => {
    const services = listJaegerServices(deps.reader);
    res.json(envelope(services, services.length));
  });
  router.get("/services/:service/operations", (req, res) => {
    const names = listJaegerOperationNames(deps.reader, req.params.service);
    res.json(envelope(names, names.length));
  });
  router.get("/operations", (req, res) => {
    const operations = listJaegerOperations(deps.reader, searchParams(req));
    res.json(envelope(operations, operations.length));
  });
  router.get("/traces", (req, res) => {
    const { traces, errors } = searchJaegerTraces(deps.reader, searchParams(req), deps.nowUs());
    res.json(envelope(traces, 0, errors));
  });
  router.get("/traces/:traceId", (req, res) => {
    const traceId = parseJaegerTraceId(req.params.traceId);
    if (traceId === null) {
      throw new JaegerParamError("traceID", `${quote(req.params.traceId)} is not a hex trace id (1–32 digits)`);
    }
    const trace = getJaegerTrace(deps.reader, traceId);
    if (trace === null) throw new JaegerHttpError(404, "trace not found");
    res.json(envelope([trace]));
  });
  router.get("/dependencies", (req, res) => {
    res.json(envelope(listJaegerDependencies(deps.spanEdges, searchParams(req), deps.nowUs())));
  });
  router.use((req, res) => {
    sendError(res, 404, `no Jaeger API route ${req.method} ${quote(req.path)}`);
  });
  router.use((error: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    if (error instanceof JaegerParamError || error instanceof JaegerHttpError) {
      sendError(res, error.status, error.message);
      return;
    }
    // Express's own 4xx errors, e.g. a path parameter with broken %-encoding.
    if (isClientError(error)) {
      sendError(res, error.status, error.message);
      return;
    }
    deps.logger.error("Jaeger API request failed", { method: req.method, path: req.path, error });
    sendError(res, 500, "internal error");
  });
  return router;
}

function isClientError(error: unknown): error is { status: number; message: string } {
  return (
    error instanceof Error &&
    "status" in error &&
    typeof error.status === "number" &&
    error.status >= 400 &&
    error.status < 500
  );
}
