/**
 * Messages between the remote-write receiver and its decode workers (remote-write-decode-worker.ts). Plain data
 * that survives structured cloning; typed arrays travel as transferred buffers, never copied.
 */
import { BodyTooLargeError, type SeriesIdentityColumns, WireError, type WriteRequestColumns } from "@meshscope/wire";
import { IngestUnavailableError } from "./ingest-pipeline.js";

export interface DecodeJob {
  id: number;
  /** The snappy body; its buffer is transferred to the worker. */
  body: Uint8Array;
  maxDecompressedBytes: number;
}

/** Why a body was refused, in a form that crosses threads; `toError` turns it back into the wire error class. */
export type DecodeFailure =
  | { kind: "too_large"; what: string; declaredBytes: number; limitBytes: number }
  | { kind: "wire"; code: WireError["code"]; message: string }
  | { kind: "internal"; message: string };

/**
 * A scanned body as the pool answers it: the columns, with the decompressed bytes only when they came along. A
 * decode thread keeps them when it has seen every series of the body before (remote-write-decode-worker.ts);
 * whoever needs them then decompresses the body again (remote-write-columns-batch.ts).
 */
export interface ScannedWriteRequest extends Omit<WriteRequestColumns, "bytes"> {
  bytes: Uint8Array | null;
  /** The identities of the series new to the decode thread (wire `identifySeries`), when it had any. */
  identities?: SeriesIdentityColumns;
}

export type DecodeReply = { id: number; columns: ScannedWriteRequest } | { id: number; failure: DecodeFailure };

/** Every buffer of the columns, for the transfer list. */
export function columnBuffers(c: ScannedWriteRequest): ArrayBuffer[] {
  const views = [
    ...(c.bytes === null ? [] : [c.bytes]),
    c.hashHi,
    c.hashLo,
    c.seriesStart,
    c.seriesEnd,
    c.firstSample,
    c.values,
    c.timestampsMs,
    c.stale,
    ...(c.identities === undefined ? [] : [c.identities.computed, c.identities.hi, c.identities.lo]),
  ];
  const buffers = new Set<ArrayBuffer>();
  for (const v of views) {
    // Columns are always backed by plain ArrayBuffers (the scan allocates them); a SharedArrayBuffer cannot be
    // transferred and would not need to be.
    if (v.buffer instanceof ArrayBuffer) buffers.add(v.buffer);
  }
  return [...buffers];
}

export function failureOf(error: unknown): DecodeFailure {
  if (error instanceof BodyTooLargeError) {
    // The message is "<what> declares N uncompressed bytes, …": keep `what` so the rebuilt error reads the same.
    const what = error.message.slice(0, Math.max(0, error.message.indexOf(" declares ")));
    return { kind: "too_large", what, declaredBytes: error.declaredBytes, limitBytes: error.limitBytes };
  }
  if (error instanceof WireError) return { kind: "wire", code: error.code, message: error.message };
  return { kind: "internal", message: error instanceof Error ? error.message : String(error) };
}

/**
 * The error the same failure would have thrown on the calling thread. A failure that is not the body's fault
 * (a bug or a dying thread) is IngestUnavailableError: the receiver answers 503 and the sender retries.
 */
export function errorOf(failure: DecodeFailure): Error {
  switch (failure.kind) {
    case "too_large":
      return new BodyTooLargeError(failure.what, failure.declaredBytes, failure.limitBytes);
    case "wire":
      return new WireError(failure.code, failure.message);
    case "internal":
      return new IngestUnavailableError(`remote-write decoding failed (${failure.message}); retry later`);
  }
}
