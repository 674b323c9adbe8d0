import { encodeUtf8 } from "../encoding.js";

/**
 * The answer to an OTLP export (collector/trace/v1/trace_service.proto):
 * ExportTraceServiceResponse{partial_success=1: ExportTracePartialSuccess{rejected_spans=1 int64, error_message=2}}.
 * The spec asks servers to leave partial_success unset when everything was accepted, so a full success is the
 * empty message: zero bytes in protobuf, `{}` in JSON.
 */

function checkCount(rejectedSpans: number): number {
  if (!Number.isSafeInteger(rejectedSpans) || rejectedSpans < 0) {
    throw new RangeError(`rejectedSpans must be a non-negative integer, got ${rejectedSpans}`);
  }
  return rejectedSpans;
}

function varintBytes(value: number): number[] {
  const out: number[] = [];
  let v = value;
  // Division instead of >>> so values past 2^32 (still safe integers) encode correctly.
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
  return out;
}

export function encodeOtlpTraceExportResponse(rejectedSpans: number, errorMessage: string): Uint8Array {
  const rejected = checkCount(rejectedSpans);
  if (rejected === 0 && errorMessage === "") return new Uint8Array(0);
  const partial: number[] = [];
  if (rejected !== 0) partial.push(0x08, ...varintBytes(rejected)); // field 1, VARINT
  if (errorMessage !== "") {
    const message = encodeUtf8(errorMessage);
    partial.push(0x12, ...varintBytes(message.length)); // field 2, LEN
    for (const b of message) partial.push(b);
  }
  const header = [0x0a, ...varintBytes(partial.length)]; // field 1, LEN
  const out = new Uint8Array(header.length + partial.length);
  out.set(header, 0);
  out.set(partial, header.length);
  return out;
}

/** The same answer in OTLP/JSON; int64 as a decimal string, per the proto3 JSON mapping. */
export function otlpTraceExportResponseJson(rejectedSpans: number, errorMessage: string): object {
  const rejected = checkCount(rejectedSpans);
  if (rejected === 0 && errorMessage === "") return {};
  return { partialSuccess: { rejectedSpans: String(rejected), errorMessage } };
}
