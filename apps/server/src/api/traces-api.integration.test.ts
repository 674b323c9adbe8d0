/** The trace API's input handling: ids, query validation and the error envelope (DESIGN §5). */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiClient } from "../test-support/api-client.js";
import { nowNs, otlpJsonRequest, otlpJsonSpan, postOtlpJson, randomTraceId } from "../test-support/otlp-json.js";
import { startTestServer, type TestServer } from "../test-support/test-server.js";

let server: TestServer;
let api: ReturnType<typeof apiClient>;
beforeAll(async () => {
  server = await startTestServer();
  api = apiClient(server.consoleUrl);
});
afterAll(async () => {
  await server.stop();
});

describe("GET /api/traces/:traceId", () => {
  it("accepts upper-case ids and left-pads 64-bit ids", async () => {
    const traceId = `${"0".repeat(16)}${randomTraceId().slice(16)}`;
    expect((await postOtlpJson(server.otlpHttpUrl, otlpJsonRequest("ids", [otlpJsonSpan({ traceId })]))).status).toBe(
      200,
    );
    expect((await api.trace(traceId.toUpperCase())).traceId).toBe(traceId);
    expect((await api.trace(traceId.slice(16))).traceId).toBe(traceId);
  });

  it("answers 400 for a malformed id and 404 for an unknown one", async () => {
    expect(await api.error("/api/traces/not-a-trace-id")).toEqual({
      status: 400,
      body: { error: { code: "invalid_trace_id", message: "trace id must be 32 (or 16) hexadecimal characters" } },
    });
    const unknown = randomTraceId();
    expect(await api.error(`/api/traces/${unknown}`)).toEqual({
      status: 404,
      body: { error: { code: "not_found", message: `trace ${unknown} not found` } },
    });
  });
});

describe("GET /api/traces", () => {
  it("answers 400 naming each bad parameter", async () => {
    const { status, body } = await api.error("/api/traces?limit=0&minDuration=soon");
    expect(status).toBe(400);
    expect(body.error.code).toBe("invalid_request");
    expect(body.error.message).toContain("minDuration: not a duration");
    expect(body.error.message).toContain("limit:");
  });

  it("answers 400 for bad tag syntax and min above max", async () => {
    expect((await api.error("/api/traces?tags=a%3D%22open")).body.error.message).toMatch(/unterminated quoted value/);
    expect((await api.error("/api/traces?minDuration=2s&maxDuration=1s")).status).toBe(400);
  });

  it("searches the last hour by default and older data with start/end", async () => {
    const recent = randomTraceId();
    const old = randomTraceId();
    const twoHoursAgoNs = nowNs(-2 * 3_600_000);
    await postOtlpJson(
      server.otlpHttpUrl,
      otlpJsonRequest("window", [
        otlpJsonSpan({ traceId: recent }),
        otlpJsonSpan({ traceId: old, startTimeUnixNano: twoHoursAgoNs }),
      ]),
    );
    const ids = async (params: Record<string, string>) => (await api.search(params)).traces.map((t) => t.traceId);
    expect(await ids({ service: "window" })).toEqual([recent]);
    const startUs = String(Number(BigInt(twoHoursAgoNs) / 1000n) - 1_000_000);
    expect((await ids({ service: "window", start: startUs })).sort()).toEqual([old, recent].sort());
    expect(await ids({ service: "window", lookback: "3h" })).toHaveLength(2);
    expect(await ids({ service: "window", start: startUs, limit: "1" })).toEqual([recent]);
  });
});

describe("GET /api/operations", () => {
  it("requires a service and a known span kind", async () => {
    expect((await api.error("/api/operations")).status).toBe(400);
    expect((await api.error("/api/operations?service=a&spanKind=sideways")).status).toBe(400);
  });
});
