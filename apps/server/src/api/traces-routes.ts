/**
 * GET /api/traces (search), GET /api/traces/:traceId (full, or `?view=outline`), and the outline's lazy parts:
 * GET /api/traces/:traceId/spans?ids= and GET /api/traces/:traceId/find?q=. Thin: validate, call, answer.
 */
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";
import { TraceFindQuery, TraceSearchQuery, TraceSpansQuery, TraceViewQuery } from "@meshscope/model";
import { type Request, type Response, Router } from "express";
import type { TraceReader } from "../store/trace-store.js";
import { getTraceJson, type TraceJson } from "../traces/get-trace.js";
import { searchTraces } from "../traces/search-traces.js";
import { normaliseTraceId } from "../traces/trace-id.js";
import { ApiError, parseOr400 } from "./errors.js";
import { findInTrace, getTraceOutlineAnswer, getTraceSpans, type OutlineSource } from "./trace-outline.js";

function traceIdOr400(raw: string): string {
  const traceId = normaliseTraceId(raw);
  if (traceId === null) {
    throw new ApiError(400, "invalid_trace_id", "trace id must be 32 (or 16) hexadecimal characters");
  }
  return traceId;
}

function notFound(traceId: string): ApiError {
  return new ApiError(404, "not_found", `trace ${traceId} not found`);
}

/** `outlines`: where outlines are built (a worker, traces/outline-builder.ts); on the request's thread without it. */
export function tracesRouter(reader: TraceReader, nowUs: () => number, outlines?: OutlineSource): Router {
  const router = Router();
  router.get("/traces", (req, res) => {
    const params = parseOr400(TraceSearchQuery, req.query);
    res.json(searchTraces(reader, params, nowUs()));
  });
  router.get("/traces/:traceId", async (req, res) => {
    const traceId = traceIdOr400(req.params.traceId);
    const { view } = parseOr400(TraceViewQuery, req.query);
    if (view === "outline") {
      const answer = outlines ? await outlines.outline(traceId) : getTraceOutlineAnswer(reader, traceId);
      if (answer === null) throw notFound(traceId);
      const { bytes, spanCount } = answer;
      await sendJsonChunks(req, res, { spanCount, byteLength: bytes.length, chunks: [bytes] });
      return;
    }
    const trace = getTraceJson(reader, traceId);
    if (trace === null) throw notFound(traceId);
    await sendJsonChunks(req, res, trace);
  });
  router.get("/traces/:traceId/spans", (req, res) => {
    const traceId = traceIdOr400(req.params.traceId);
    const { ids } = parseOr400(TraceSpansQuery, req.query);
    const trace = getTraceSpans(reader, traceId, ids);
    if (trace === null) throw notFound(traceId);
    res.json(trace);
  });
  router.get("/traces/:traceId/find", (req, res) => {
    const traceId = traceIdOr400(req.params.traceId);
    const { q } = parseOr400(TraceFindQuery, req.query);
    const spanIds = findInTrace(reader, traceId, q);
    if (spanIds === null) throw notFound(traceId);
    res.json({ spanIds });
  });
  return router;
}

/**
 * Below this size gzip is not worth a compressor: the answer is one or two TCP segments anyway. Above it (a trace
 * of ~100 spans and more) it shrinks the JSON about ninefold, and a 50 MB trace crosses a 100 Mbit/s link in 0.5 s
 * instead of 4 s.
 */
const GZIP_MIN_BYTES = 16 * 1024;

/**
 * Streams the answer chunk by chunk (no 50 MB string, no 50 MB ETag hash), gzipped when the client accepts gzip
 * and the answer is big enough. Level 1: on a 100,000-span trace it compresses at ~100 MB/s on the thread pool,
 * in parallel with the JavaScript that writes the chunks, for 5.9 MB against 4.5 MB at the default level 6,
 * which takes twice the time (measured on the bench trace).
 */
async function sendJsonChunks(req: Request, res: Response, trace: TraceJson): Promise<void> {
  res.status(200);
  res.type("application/json; charset=utf-8");
  res.vary("Accept-Encoding");
  const source = Readable.from(trace.chunks);
  const gzip = trace.byteLength >= GZIP_MIN_BYTES && req.acceptsEncodings("gzip", "identity") === "gzip";
  try {
    if (gzip) {
      res.setHeader("Content-Encoding", "gzip");
      await pipeline(source, createGzip({ level: 1, chunkSize: 64 * 1024 }), res);
    } else {
      res.setHeader("Content-Length", trace.byteLength);
      await pipeline(source, res);
    }
  } catch (error) {
    // A client that went away mid-answer is no server error; anything else reaches the error handler, which
    // (headers being sent) ends the connection, so the client sees a cut answer rather than a wrong one.
    if (!clientWentAway(error)) throw error;
  }
}

const CLIENT_GONE: ReadonlySet<unknown> = new Set(["ERR_STREAM_PREMATURE_CLOSE", "ECONNRESET", "EPIPE"]);

function clientWentAway(error: unknown): boolean {
  return typeof error === "object" && error !== null && "code" in error && CLIENT_GONE.has(error.code);
}
