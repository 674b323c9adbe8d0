/**
 * Reads an ingest request body with hard limits, without buffering more than the limits allow: the bytes as
 * sent are capped at `maxBodyBytes` (413 as soon as the count passes it, even before the end of the upload),
 * and a gzip body is inflated as a stream that is stopped as soon as its output passes `maxDecompressedBytes`
 * (413). A 1 MiB gzip bomb therefore costs at most maxDecompressedBytes plus one zlib chunk, never its full
 * inflated size. Corrupt or truncated gzip is a 400.
 */
import type { Readable } from "node:stream";
import { createGunzip } from "node:zlib";

export class BodyError extends Error {
  override name = "BodyError";
  constructor(
    readonly status: 400 | 413 | 415,
    readonly code: "too_large" | "corrupt_gzip" | "unsupported_encoding" | "aborted",
    message: string,
  ) {
    super(message);
  }
}

export interface BodyLimits {
  maxBodyBytes: number;
  maxDecompressedBytes: number;
}

/** `Content-Encoding` of the request: identity or gzip (the only coding OTLP/HTTP defines); 415 otherwise. */
export function parseContentEncoding(header: string | undefined): "identity" | "gzip" {
  const value = (header ?? "").trim().toLowerCase();
  if (value === "" || value === "identity") return "identity";
  if (value === "gzip" || value === "x-gzip") return "gzip";
  throw new BodyError(
    415,
    "unsupported_encoding",
    `unsupported Content-Encoding ${JSON.stringify(header)}; send gzip or identity`,
  );
}

const MiB = 1024 * 1024;
function describeBytes(n: number): string {
  return n >= MiB && n % MiB === 0 ? `${n / MiB} MiB` : `${n} bytes`;
}

/** Collects a stream into one buffer, failing with 413 the moment it passes `max` bytes. */
function collect(stream: Readable, max: number, tooLarge: () => BodyError): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      stream.off("data", onData);
      reject(error);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        chunks.length = 0;
        fail(tooLarge());
        return;
      }
      chunks.push(chunk);
    };
    stream.on("data", onData);
    stream.once("error", fail);
    stream.once("end", () => {
      if (settled) return;
      settled = true;
      resolve(chunks.length === 1 && chunks[0] ? chunks[0] : Buffer.concat(chunks, size));
    });
  });
}

/**
 * Reads the whole body of `req` (decoded per `encoding`). On a 413 the caller must answer with
 * `Connection: close`: the rest of the upload is discarded, not read into memory.
 */
export async function readBody(
  req: Readable & { headers: Record<string, string | string[] | undefined> },
  encoding: "identity" | "gzip",
  limits: BodyLimits,
): Promise<Buffer> {
  const declared = Number(req.headers["content-length"]);
  const bodyTooLarge = () =>
    new BodyError(413, "too_large", `request body exceeds the limit of ${describeBytes(limits.maxBodyBytes)}`);
  // Refuse early when the client says up front that the body is too large.
  if (Number.isFinite(declared) && declared > limits.maxBodyBytes) {
    req.resume();
    throw bodyTooLarge();
  }
  const aborted = () => new BodyError(400, "aborted", "request body ended early (client aborted)");
  if (encoding === "identity") {
    return await withAbort(req, collect(req, limits.maxBodyBytes, bodyTooLarge), aborted);
  }

  // Count the compressed bytes as they arrive, then inflate them as a stream whose output is capped.
  const gunzip = createGunzip();
  let compressed = 0;
  let inputError: BodyError | null = null;
  const onRawData = (chunk: Buffer) => {
    compressed += chunk.length;
    if (compressed > limits.maxBodyBytes && inputError === null) {
      inputError = bodyTooLarge();
      req.unpipe(gunzip);
      req.resume();
      gunzip.destroy(inputError);
    }
  };
  req.on("data", onRawData);
  req.pipe(gunzip);
  const inflatedTooLarge = () =>
    new BodyError(
      413,
      "too_large",
      `gzip body inflates past the limit of ${describeBytes(limits.maxDecompressedBytes)} (decompression stopped)`,
    );
  try {
    return await withAbort(req, collect(gunzip, limits.maxDecompressedBytes, inflatedTooLarge), aborted);
  } catch (error) {
    if (error instanceof BodyError) throw error;
    // zlib errors: "incorrect header check", "unexpected end of file", "invalid block type", ...
    const detail = error instanceof Error ? error.message : String(error);
    throw new BodyError(400, "corrupt_gzip", `invalid gzip body: ${detail}`);
  } finally {
    req.off("data", onRawData);
    req.unpipe(gunzip);
    gunzip.destroy();
    if (!req.readableEnded) req.resume();
  }
}

/** A client that closes the connection mid-upload must not leave the read pending forever. */
function withAbort<T>(req: Readable, work: Promise<T>, aborted: () => BodyError): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onClose = () => {
      if (!req.readableEnded) reject(aborted());
    };
    req.once("close", onClose);
    work.then(resolve, reject).finally(() => req.off("close", onClose));
  });
}
