/** The API's error envelope (DESIGN §5): `{"error":{"code","message"}}` with a 4xx/5xx status. */
import type { ErrorEnvelope } from "@meshscope/model";
import type { NextFunction, Request, Response } from "express";
import type { z } from "zod";
import type { Logger } from "../ops/logger.js";
import { InvalidQueryError } from "../traces/errors.js";

export class ApiError extends Error {
  override name = "ApiError";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function sendApiError(res: Response, status: number, code: string, message: string): void {
  const body: ErrorEnvelope = { error: { code, message } };
  res.status(status).json(body);
}

/** "limit: expected a positive integer; start: ..." — each issue with the parameter it is about. */
export function describeZodError(error: z.ZodError): string {
  return error.issues.map((i) => (i.path.length > 0 ? `${i.path.join(".")}: ${i.message}` : i.message)).join("; ");
}

/** Parses `input` with `schema` or throws a 400 naming the bad parameters. */
export function parseOr400<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new ApiError(400, "invalid_request", describeZodError(parsed.error));
  return parsed.data;
}

/** The last express middleware of /api: known errors become their envelope, the rest a logged 500. */
export function apiErrorHandler(logger: Logger) {
  return (error: unknown, req: Request, res: Response, next: NextFunction): void => {
    if (res.headersSent) {
      next(error);
      return;
    }
    if (error instanceof ApiError) {
      sendApiError(res, error.status, error.code, error.message);
    } else if (error instanceof InvalidQueryError) {
      sendApiError(res, 400, "invalid_request", error.message);
    } else if (isBodyParserError(error)) {
      if (error.status === 413) sendApiError(res, 413, "too_large", tooLargeMessage(error));
      else sendApiError(res, error.status, "invalid_request", error.message);
    } else {
      logger.error("API request failed", { method: req.method, path: req.path, error });
      sendApiError(res, 500, "internal", "internal error");
    }
  };
}

/** body-parser's own message ("request entity too large") does not say what the limit is; its `limit` field does. */
function tooLargeMessage(error: object): string {
  if (!("limit" in error) || typeof error.limit !== "number") return "request body is too large";
  const n = error.limit;
  const size = n % 1048576 === 0 ? `${n / 1048576} MiB` : n % 1024 === 0 ? `${n / 1024} KiB` : `${n} bytes`;
  return `request body exceeds the limit of ${size}`;
}

function isBodyParserError(error: unknown): error is { status: number; message: string } {
  return (
    typeof error === "object" &&
    error !== null &&
    "status" in error &&
    typeof error.status === "number" &&
    error.status >= 400 &&
    error.status < 500 &&
    "message" in error &&
    typeof error.message === "string"
  );
}
