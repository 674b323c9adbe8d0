import { describe, expect, it } from "vitest";
import { encodeRpcStatus, GrpcCode, retryInfoDetail } from "./rpc-status.js";

describe("encodeRpcStatus", () => {
  it("encodes code and message as google.rpc.Status fields 1 and 2", () => {
    expect([...encodeRpcStatus(GrpcCode.INVALID_ARGUMENT, "bad")]).toEqual([0x08, 3, 0x12, 3, 0x62, 0x61, 0x64]);
  });

  it("encodes a RetryInfo detail as an Any with its type URL and a Duration in seconds", () => {
    const detail = retryInfoDetail(2);
    // RetryInfo{retry_delay(1): Duration{seconds(1): 2}}
    expect([...detail.value]).toEqual([0x0a, 2, 0x08, 2]);
    const bytes = encodeRpcStatus(GrpcCode.RESOURCE_EXHAUSTED, "", [detail]);
    const typeUrl = Buffer.from(detail.typeUrl);
    const any = [0x0a, typeUrl.length, ...typeUrl, 0x12, 4, 0x0a, 2, 0x08, 2];
    expect([...bytes]).toEqual([0x08, 8, 0x1a, any.length, ...any]);
  });

  it("writes multi-byte lengths as varints", () => {
    const bytes = encodeRpcStatus(GrpcCode.INTERNAL, "x".repeat(300));
    expect([...bytes.subarray(0, 5)]).toEqual([0x08, 13, 0x12, 0xac, 0x02]);
  });
});
