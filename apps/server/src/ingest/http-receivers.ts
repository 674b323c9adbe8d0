/**
 * The HTTP receivers as express handlers, mounted on their own ports (OTLP/HTTP :4318, Zipkin :9411) and on
 * the console port alike:
 *   POST /v1/traces      OTLP/HTTP, application/x-protobuf or application/json, gzip or identity
 *   POST /api/v2/spans   Zipkin v2 JSON, gzip or identity; 202 as Zipkin answers
 * Each reads its body under the byte limits, decodes with @meshscope/wire, and answers after the commit.
 */
import type { DecodeLimits, DecodeResult } from "@meshscope/wire";
import {
  decodeOtlpTracesJson,
  decodeOtlpTracesProtobuf,
  decodeZipkinV2Json,
  encodeOtlpTraceExportResponse,
  otlpTraceExportResponseJson,
  WireError,
} from "@meshscope/wire";
import type { Request, Response } from "express";
import type { Logger } from "../ops/logger.js";
import { type BodyFormat, type HttpErrorAnswer, sendIngestError } from "./http-answers.js";
import { type IngestPipeline, IngestUnavailableError } from "./ingest-pipeline.js";
import { decodeUtf8, mediaType } from "./media-type.js";
import { BodyError, type BodyLimits, parseContentEncoding, readBody } from "./read-body.js";
import { QueueFullError } from "./write-queue.js";

export interface HttpReceiverDeps {
  pipeline: IngestPipeline;
  bodyLimits: BodyLimits;
  decodeLimits: DecodeLimits;
  logger: Logger;
}

type RequestHandler = (req: Request, res: Response) => Promise<void>;

/** Turns anything thrown while reading, decoding or committing into the answer for it. */
function answerFor(error: unknown): HttpErrorAnswer | null {
  if (error instanceof BodyError) {
    return { status: error.status, code: error.code, message: error.message, closeConnection: error.status === 413 };
  }
  if (error instanceof WireError) return { status: 400, code: error.code, message: error.message };
  if (error instanceof QueueFullError) {
    return {
      status: 429,
      code: "queue_full",
      message: "ingest queue is full; retry later",
      retryAfterSeconds: error.retryAfterSeconds,
    };
  }
  if (error instanceof IngestUnavailableError) {
    return { status: 503, code: error.code, message: error.message, retryAfterSeconds: error.retryAfterSeconds };
  }
  return null;
}

async function readDecoded(
  req: Request,
  deps: HttpReceiverDeps,
  decode: (body: Buffer) => DecodeResult,
): Promise<DecodeResult> {
  const encoding = parseContentEncoding(req.headers["content-encoding"]);
  const body = await readBody(req, encoding, deps.bodyLimits);
  return decode(body);
}

function jsonText(body: Buffer): string {
  const text = decodeUtf8(body);
  if (text === null) throw new WireError("malformed", "request body is not valid UTF-8");
  return text;
}

function handleFailure(res: Response, format: BodyFormat, error: unknown, deps: HttpReceiverDeps, route: string): void {
  const answer = answerFor(error);
  if (answer === null) throw error;
  // Bad input is the sender's problem, not ours: info, not warn, so a misbehaving client cannot flood warnings.
  deps.logger.info("ingest request refused", {
    route,
    status: answer.status,
    code: answer.code,
    reason: answer.message,
  });
  sendIngestError(res, format, answer);
}

export function otlpTracesHandler(deps: HttpReceiverDeps): RequestHandler {
  return async (req, res) => {
    const type = mediaType(req.headers["content-type"]);
    const format: BodyFormat | null =
      type === "application/x-protobuf" ? "protobuf" : type === "application/json" ? "json" : null;
    if (format === null) {
      req.resume();
      sendIngestError(res, "json", {
        status: 415,
        code: "unsupported_media_type",
        message: `unsupported Content-Type ${JSON.stringify(req.headers["content-type"] ?? "")}; send application/x-protobuf or application/json`,
      });
      return;
    }
    try {
      const decoded = await readDecoded(req, deps, (body) =>
        format === "protobuf"
          ? decodeOtlpTracesProtobuf(body, deps.decodeLimits)
          : decodeOtlpTracesJson(jsonText(body), deps.decodeLimits),
      );
      const outcome = await deps.pipeline.ingest("otlp_http", decoded);
      // ExportTraceServiceResponse in the request's encoding; partial_success only when spans were rejected.
      if (format === "protobuf") {
        res
          .status(200)
          .type("application/x-protobuf")
          .send(Buffer.from(encodeOtlpTraceExportResponse(outcome.rejectedSpans, outcome.rejectMessage)));
      } else {
        res.status(200).json(otlpTraceExportResponseJson(outcome.rejectedSpans, outcome.rejectMessage));
      }
    } catch (error) {
      handleFailure(res, format, error, deps, "/v1/traces");
    }
  };
}

export function zipkinSpansHandler(deps: HttpReceiverDeps): RequestHandler {
  return async (req, res) => {
    const type = mediaType(req.headers["content-type"]);
    // Zipkin clients send application/json; an absent type is read as JSON too, as the Zipkin server does.
    if (type !== "application/json" && type !== "") {
      req.resume();
      sendIngestError(res, "json", {
        status: 415,
        code: "unsupported_media_type",
        message: `unsupported Content-Type ${JSON.stringify(req.headers["content-type"])}; send Zipkin v2 JSON as application/json`,
      });
      return;
    }
    try {
      const decoded = await readDecoded(req, deps, (body) => decodeZipkinV2Json(jsonText(body), deps.decodeLimits));
      // Zipkin has no partial-success answer: if every span was rejected, say why with a 400.
      if (decoded.spans.length === 0 && decoded.rejectedSpans > 0) {
        await deps.pipeline.ingest("zipkin", decoded);
        throw new WireError("invalid_field", decoded.rejectReasons.join("; ") || "every span was rejected");
      }
      await deps.pipeline.ingest("zipkin", decoded);
      res.status(202).end();
    } catch (error) {
      handleFailure(res, "json", error, deps, "/api/v2/spans");
    }
  };
}
