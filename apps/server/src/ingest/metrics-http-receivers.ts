/**
 * The HTTP metric receivers as express handlers:
 *   POST /api/v1/write   Prometheus remote-write 1.0 (console port): snappy-compressed protobuf WriteRequest;
 *                        204 after commit, as Prometheus' own receiver answers
 *   POST /v1/metrics     OTLP/HTTP metrics (OTLP/HTTP port and console port): application/x-protobuf or
 *                        application/json, gzip or identity; ExportMetricsServiceResponse after commit
 * Bodies are read under the same byte limits as the trace receivers, and errors answered the same way.
 */
import {
  BodyTooLargeError,
  decodeOtlpMetricsJson,
  decodeOtlpMetricsProtobuf,
  type OtlpMetricsRequest,
  snappyDecompress,
  WireError,
} from "@meshscope/wire";
import type { Request, Response } from "express";
import type { Logger } from "../ops/logger.js";
import { type BodyFormat, type HttpErrorAnswer, sendIngestError } from "./http-answers.js";
import { IngestUnavailableError } from "./ingest-pipeline.js";
import { decodeUtf8, mediaType } from "./media-type.js";
import { type MetricIngest, peerHost } from "./metrics-ingest.js";
import {
  encodeMetricsExportResponse,
  metricsExportResponseJson,
  metricsPartialSuccess,
} from "./metrics-otlp-response.js";
import { otlpPointsToBatches } from "./metrics-otlp-samples.js";
import { BodyError, type BodyLimits, parseContentEncoding, readBody } from "./read-body.js";
import { columnsToBatch } from "./remote-write-columns-batch.js";
import { createRemoteWriteDecoder, type RemoteWriteDecoder } from "./remote-write-decode-pool.js";
import { QueueFullError } from "./write-queue.js";

export interface MetricReceiverDeps {
  ingest: MetricIngest;
  bodyLimits: BodyLimits;
  logger: Logger;
  /**
   * Where remote-write bodies are decompressed and scanned. Default: a pool made on the first push with
   * `defaultDecodeThreads()` worker threads, whose idle threads end by themselves.
   */
  remoteWriteDecoder?: RemoteWriteDecoder;
}

type RequestHandler = (req: Request, res: Response) => Promise<void>;

function answerFor(error: unknown): HttpErrorAnswer | null {
  if (error instanceof BodyError) {
    return { status: error.status, code: error.code, message: error.message, closeConnection: error.status === 413 };
  }
  // Before WireError: a snappy preamble declaring more than the limit is a WireError too, but its answer is 413.
  if (error instanceof BodyTooLargeError) return { status: 413, code: "too_large", message: error.message };
  if (error instanceof WireError) return { status: 400, code: error.code, message: error.message };
  if (error instanceof QueueFullError) {
    return {
      status: 429,
      code: "queue_full",
      message: "metric store is busy; retry later",
      retryAfterSeconds: error.retryAfterSeconds,
    };
  }
  if (error instanceof IngestUnavailableError) {
    return { status: 503, code: error.code, message: error.message, retryAfterSeconds: error.retryAfterSeconds };
  }
  return null;
}

function handleFailure(res: Response, format: BodyFormat, error: unknown, logger: Logger, route: string): void {
  const answer = answerFor(error);
  if (answer === null) throw error;
  // Bad input is the sender's problem: info, not warn, so a misbehaving client cannot flood warnings.
  logger.info("metric ingest request refused", {
    route,
    status: answer.status,
    code: answer.code,
    reason: answer.message,
  });
  sendIngestError(res, format, answer);
}

function unsupported(req: Request, res: Response, message: string): void {
  req.resume();
  sendIngestError(res, "json", { status: 415, code: "unsupported_media_type", message });
}

/**
 * Remote-write 1.0 (prometheus/docs `remote_write_spec.md`): `Content-Type: application/x-protobuf`,
 * `Content-Encoding: snappy`, `X-Prometheus-Remote-Write-Version: 0.1.0`. A remote-write 2.0 sender names its
 * message in the type (`proto=io.prometheus.write.v2.Request`) and gets 415, which the 2.0 spec tells it to read
 * as "fall back to 1.0".
 */
function remoteWriteRefusal(req: Request): string | null {
  const contentType = req.headers["content-type"] ?? "";
  if (mediaType(contentType) !== "application/x-protobuf") {
    return `unsupported Content-Type ${JSON.stringify(contentType)}; remote-write sends application/x-protobuf`;
  }
  const proto = /;\s*proto=([^;\s]+)/i.exec(contentType)?.[1];
  if (proto !== undefined && proto !== "prometheus.WriteRequest") {
    return `unsupported remote-write message ${JSON.stringify(proto)}; only remote-write 1.0 (prometheus.WriteRequest) is accepted`;
  }
  const encoding = (req.headers["content-encoding"] ?? "").trim().toLowerCase();
  // Prometheus' own receiver decodes snappy whatever the header says; an absent header is read the same way.
  if (encoding !== "" && encoding !== "snappy") {
    return `unsupported Content-Encoding ${JSON.stringify(req.headers["content-encoding"])}; remote-write bodies are snappy-compressed`;
  }
  return null;
}

/** Says which layer was broken: the snappy decoder names itself; everything else is the protobuf message. */
function namedDecodeError(error: unknown): unknown {
  if (error instanceof BodyTooLargeError || !(error instanceof WireError)) return error;
  if (error.message.startsWith("invalid snappy")) return error;
  return new WireError(error.code, `invalid protobuf WriteRequest: ${error.message}`);
}

export function remoteWriteHandler(deps: MetricReceiverDeps): RequestHandler {
  let decoder = deps.remoteWriteDecoder ?? null;
  return async (req, res) => {
    const refusal = remoteWriteRefusal(req);
    if (refusal !== null) {
      unsupported(req, res, refusal);
      return;
    }
    try {
      const body = await readBody(req, "identity", deps.bodyLimits);
      const source = `remote-write:${peerHost(req.socket.remoteAddress)}`;
      decoder ??= createRemoteWriteDecoder();
      const limit = deps.bodyLimits.maxDecompressedBytes;
      let mapped: ReturnType<typeof columnsToBatch>;
      try {
        const columns = await decoder.decode(body, limit);
        // From here to the store's ingest call is one synchronous stretch (ingest reaches the store before its
        // first await), so a series the store says it knows is still known when its samples arrive.
        mapped = columnsToBatch(
          columns,
          source,
          (hi, lo) => deps.ingest.knownSeries(source, hi, lo),
          // Only when the decode thread kept the bytes and a series is unknown after all (the store forgot it).
          () => snappyDecompress(body, limit),
        );
      } catch (error) {
        throw namedDecodeError(error);
      }
      await deps.ingest.ingest("remote_write", [mapped.batch], {
        stale: mapped.staleMarkers,
        invalid_series: mapped.unnamedSamples,
      });
      res.status(204).end();
    } catch (error) {
      handleFailure(res, "json", error, deps.logger, "/api/v1/write");
    }
  };
}

function jsonText(body: Buffer): string {
  const text = decodeUtf8(body);
  if (text === null) throw new WireError("malformed", "request body is not valid UTF-8");
  return text;
}

export function otlpMetricsHandler(deps: MetricReceiverDeps): RequestHandler {
  return async (req, res) => {
    const type = mediaType(req.headers["content-type"]);
    const format: BodyFormat | null =
      type === "application/x-protobuf" ? "protobuf" : type === "application/json" ? "json" : null;
    if (format === null) {
      unsupported(
        req,
        res,
        `unsupported Content-Type ${JSON.stringify(req.headers["content-type"] ?? "")}; send application/x-protobuf or application/json`,
      );
      return;
    }
    try {
      const encoding = parseContentEncoding(req.headers["content-encoding"]);
      const body = await readBody(req, encoding, deps.bodyLimits);
      const decoded: OtlpMetricsRequest =
        format === "protobuf" ? decodeOtlpMetricsProtobuf(body) : decodeOtlpMetricsJson(jsonText(body));
      const mapped = otlpPointsToBatches(decoded, `otlp:${peerHost(req.socket.remoteAddress)}`);
      const result = await deps.ingest.ingest("otlp_http", mapped.batches, { no_value: mapped.noValuePoints });
      const partial = metricsPartialSuccess(mapped, result);
      if (format === "protobuf") {
        res.status(200).type("application/x-protobuf").send(encodeMetricsExportResponse(partial));
      } else {
        res.status(200).json(metricsExportResponseJson(partial));
      }
    } catch (error) {
      handleFailure(res, format, error, deps.logger, "/v1/metrics");
    }
  };
}
