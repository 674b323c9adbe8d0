/**
 * google.rpc.Status and google.rpc.RetryInfo in protobuf, the error shapes OTLP asks for: the body of an
 * OTLP/HTTP 4xx/5xx answer to a protobuf request is a Status (OTLP spec, "Failures"), and a gRPC
 * RESOURCE_EXHAUSTED carries RetryInfo in the `grpc-status-details-bin` trailer so exporters know when to
 * retry. Three tiny messages, written by hand here rather than in packages/wire because only the receivers
 * emit them:
 *   Status    { int32 code = 1; string message = 2; repeated google.protobuf.Any details = 3; }
 *   Any       { string type_url = 1; bytes value = 2; }
 *   RetryInfo { google.protobuf.Duration retry_delay = 1; }   Duration { int64 seconds = 1; int32 nanos = 2; }
 */

/** gRPC status codes used by the receivers (grpc/doc/statuscodes.md). */
export const GrpcCode = {
  OK: 0,
  INVALID_ARGUMENT: 3,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  UNAUTHENTICATED: 16,
} as const;

function varint(value: number): number[] {
  const out: number[] = [];
  let v = value;
  while (v > 0x7f) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
  return out;
}

/** A length-delimited field (wire type 2). */
function lengthDelimited(field: number, bytes: Uint8Array): number[] {
  return [...varint((field << 3) | 2), ...varint(bytes.length), ...bytes];
}

/** A varint field (wire type 0); proto3 omits zero values. */
function varintField(field: number, value: number): number[] {
  return value === 0 ? [] : [...varint(field << 3), ...varint(value)];
}

const text = new TextEncoder();

export interface StatusDetail {
  typeUrl: string;
  value: Uint8Array;
}

export function encodeRpcStatus(code: number, message: string, details: readonly StatusDetail[] = []): Buffer {
  const bytes = [...varintField(1, code), ...(message ? lengthDelimited(2, text.encode(message)) : [])];
  for (const d of details) {
    bytes.push(
      ...lengthDelimited(
        3,
        Uint8Array.from([...lengthDelimited(1, text.encode(d.typeUrl)), ...lengthDelimited(2, d.value)]),
      ),
    );
  }
  return Buffer.from(bytes);
}

/** A RetryInfo detail saying "retry after `seconds`". */
export function retryInfoDetail(seconds: number): StatusDetail {
  const duration = Uint8Array.from(varintField(1, Math.max(0, Math.round(seconds))));
  return {
    typeUrl: "type.googleapis.com/google.rpc.RetryInfo",
    value: Uint8Array.from(lengthDelimited(1, duration)),
  };
}
