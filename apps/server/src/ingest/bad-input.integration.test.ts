/**
 * Bad input (issue #2 §7): each case answered with the right status and a message naming the problem, nothing
 * of it stored, and the server still ingesting valid data afterwards (checked after every test).
 */
import { gzipSync } from "node:zlib";
import * as grpc from "@grpc/grpc-js";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { apiClient } from "../test-support/api-client.js";
import { gzipBomb } from "../test-support/gzip-bomb.js";
import {
  nowNs,
  otlpJsonRequest,
  otlpJsonSpan,
  postOtlpJson,
  randomSpanId,
  randomTraceId,
} from "../test-support/otlp-json.js";
import { startTestServer, type TestServer } from "../test-support/test-server.js";
import { TRACE_SERVICE_EXPORT_PATH } from "./otlp-grpc.js";

const MiB = 1024 * 1024;
let server: TestServer;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  server = await startTestServer({ maxBodyBytes: 1 * MiB, maxDecompressedBytes: 16 * MiB, maxAttributeLength: 256 });
  api = apiClient(server.consoleUrl);
});
afterAll(async () => {
  await server.stop();
});

afterEach(async () => {
  // After any bad request, a valid request still ingests and is searchable.
  const traceId = randomTraceId();
  const res = await postOtlpJson(server.otlpHttpUrl, otlpJsonRequest("canary", [otlpJsonSpan({ traceId })]));
  expect(res.status).toBe(200);
  expect(await api.spanIds(traceId)).toHaveLength(1);
  const found = await api.search({ service: "canary", limit: "1000" });
  expect(found.traces.map((t) => t.traceId)).toContain(traceId);
});

/** The JSON error body: a google.rpc.Status and our envelope at once (see http-answers.ts). */
const JsonErrorBody = z.object({
  code: z.number().int(),
  message: z.string(),
  error: z.object({ code: z.string(), message: z.string() }),
});

async function jsonError(res: Response): Promise<z.infer<typeof JsonErrorBody>> {
  return JsonErrorBody.parse(await res.json());
}

function postRaw(path: string, body: Uint8Array | string, headers: Record<string, string>, base = server.otlpHttpUrl) {
  return fetch(`${base}${path}`, { method: "POST", headers, body });
}

describe("OTLP/HTTP bad input", () => {
  it("answers malformed protobuf with 400 and a protobuf Status naming the problem", async () => {
    const res = await postRaw("/v1/traces", Uint8Array.from([0x0a, 0xff, 0xff, 0x01, 0x02]), {
      "content-type": "application/x-protobuf",
    });
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toMatch(/^application\/x-protobuf/);
    const status = Buffer.from(await res.arrayBuffer());
    expect(status[0]).toBe(0x08); // google.rpc.Status.code field
    expect(status[1]).toBe(3); // INVALID_ARGUMENT
    expect(status.toString("utf8")).toContain("malformed protobuf: length 32767 runs past the end of its message");
  });

  it("answers malformed JSON with 400 and the parser's message", async () => {
    const res = await postOtlpJson(server.otlpHttpUrl, '{"resourceSpans": [');
    expect(res.status).toBe(400);
    const body = await jsonError(res);
    expect(body.code).toBe(3);
    expect(body.error.code).toBe("malformed");
    expect(body.error.message).toMatch(/^malformed JSON/);
  });

  it("answers a field of the wrong type with 400 naming the field", async () => {
    const span = { ...otlpJsonSpan({ traceId: randomTraceId() }), name: 42 };
    const res = await postOtlpJson(server.otlpHttpUrl, otlpJsonRequest("bad", [span]));
    expect(res.status).toBe(400);
    const body = await jsonError(res);
    expect(body.error).toEqual({
      code: "invalid_field",
      message: "resourceSpans[0].scopeSpans[0].spans[0].name: expected string, got number",
    });
  });

  it("answers a trace id of the wrong length with 400 naming the trace id", async () => {
    const res = await postOtlpJson(server.otlpHttpUrl, otlpJsonRequest("bad", [otlpJsonSpan({ traceId: "abc" })]));
    expect(res.status).toBe(400);
    expect((await jsonError(res)).message).toMatch(/spans\[0\]\.traceId: expected 32 hex digits/);
  });

  it("answers a span id of the wrong length with 400 naming the span id", async () => {
    const span = otlpJsonSpan({ traceId: randomTraceId(), spanId: "b7ad6b71692033" });
    const res = await postOtlpJson(server.otlpHttpUrl, otlpJsonRequest("bad", [span]));
    expect(res.status).toBe(400);
    expect((await jsonError(res)).message).toMatch(/spans\[0\]\.spanId: expected 16 hex digits/);
  });

  it("stores nothing of a request refused as a whole", async () => {
    const good = otlpJsonSpan({ traceId: randomTraceId() });
    const bad = { ...otlpJsonSpan({ traceId: randomTraceId() }), kind: "sideways" };
    const res = await postOtlpJson(server.otlpHttpUrl, otlpJsonRequest("half-bad", [good, bad]));
    expect(res.status).toBe(400);
    expect(await api.spanIds(String(good.traceId))).toEqual([]);
  });

  it("answers a body over the limit with 413", async () => {
    const res = await postRaw("/v1/traces", new Uint8Array(2 * MiB), { "content-type": "application/x-protobuf" });
    expect(res.status).toBe(413);
    expect(res.headers.get("connection")).toBe("close");
    expect(Buffer.from(await res.arrayBuffer()).toString("utf8")).toContain("request body exceeds the limit of 1 MiB");
  });

  it("answers a 1 MiB gzip bomb with 413 quickly, without inflating it into memory", async () => {
    const bomb = gzipBomb();
    expect(bomb.length).toBeLessThan(1 * MiB + 64 * 1024);
    const before = process.memoryUsage();
    const started = performance.now();
    const res = await postRaw("/v1/traces", bomb, {
      "content-type": "application/json",
      "content-encoding": "gzip",
    });
    const elapsedMs = performance.now() - started;
    const after = process.memoryUsage();
    expect(res.status).toBe(413);
    expect((await jsonError(res)).message).toBe("gzip body inflates past the limit of 16 MiB (decompression stopped)");
    expect(elapsedMs).toBeLessThan(2_000);
    // The server runs in this process: its memory is this process's memory. Inflating the bomb would take 1 GiB.
    expect((after.rss - before.rss) / MiB).toBeLessThan(100);
  });

  it("answers corrupt gzip with 400", async () => {
    const gz = gzipSync(JSON.stringify(otlpJsonRequest("gz", [otlpJsonSpan({ traceId: randomTraceId() })])));
    gz.fill(0x55, 10, 30); // damage the deflate stream after the gzip header
    const res = await postRaw("/v1/traces", gz, { "content-type": "application/json", "content-encoding": "gzip" });
    expect(res.status).toBe(400);
    const body = await jsonError(res);
    expect(body.error.code).toBe("corrupt_gzip");
    expect(body.message).toMatch(/^invalid gzip body: /);
  });

  it("accepts a valid gzip body", async () => {
    const traceId = randomTraceId();
    const gz = gzipSync(JSON.stringify(otlpJsonRequest("gz", [otlpJsonSpan({ traceId })])));
    const res = await postRaw("/v1/traces", gz, { "content-type": "application/json", "content-encoding": "gzip" });
    expect(res.status).toBe(200);
    expect(await api.spanIds(traceId)).toHaveLength(1);
  });

  it("answers an unsupported content type with 415", async () => {
    const res = await postRaw("/v1/traces", "hello", { "content-type": "text/plain" });
    expect(res.status).toBe(415);
    expect((await jsonError(res)).error.code).toBe("unsupported_media_type");
  });

  it("answers an unsupported content encoding with 415", async () => {
    const res = await postRaw("/v1/traces", "x", { "content-type": "application/json", "content-encoding": "br" });
    expect(res.status).toBe(415);
    expect((await jsonError(res)).error.code).toBe("unsupported_encoding");
  });

  it("accepts a charset parameter on the JSON content type", async () => {
    const traceId = randomTraceId();
    const res = await postOtlpJson(server.otlpHttpUrl, otlpJsonRequest("charset", [otlpJsonSpan({ traceId })]), {
      "content-type": "application/json; charset=utf-8",
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({});
  });

  it("answers invalid UTF-8 in a JSON body with 400", async () => {
    const res = await postRaw("/v1/traces", Uint8Array.from([0x7b, 0xff, 0xfe, 0x7d]), {
      "content-type": "application/json",
    });
    expect(res.status).toBe(400);
    expect((await jsonError(res)).message).toBe("request body is not valid UTF-8");
  });

  it("stores hostile strings as plain data and truncates over-long values", async () => {
    const traceId = randomTraceId();
    const hostile = "'); DROP TABLE spans; -- <script>alert(1)</script> \u0000 ✓";
    const span = otlpJsonSpan({
      traceId,
      name: hostile,
      attributes: [
        { key: "__proto__", value: { stringValue: "polluted?" } },
        { key: "sql", value: { stringValue: hostile } },
        { key: "long", value: { stringValue: "x".repeat(10_000) } },
      ],
    });
    const res = await postOtlpJson(server.otlpHttpUrl, otlpJsonRequest(hostile, [span]));
    expect(res.status).toBe(200);
    const { spans } = await api.trace(traceId);
    expect(spans[0]?.name).toBe(hostile);
    expect(spans[0]?.service).toBe(hostile);
    expect(spans[0]?.attributes.sql).toBe(hostile);
    // A `__proto__` key must not reach any prototype (it is data, not a prototype assignment).
    expect(Object.getPrototypeOf(spans[0]?.attributes)).toBe(Object.prototype);
    // ...and it is kept: stored and served back as an own attribute like any other.
    expect(Object.getOwnPropertyDescriptor(spans[0]?.attributes, "__proto__")?.value).toBe("polluted?");
    expect(spans[0]?.attributes.long).toBe("x".repeat(256));
    const found = await api.search({ service: hostile, operation: hostile });
    expect(found.traces.map((t) => t.traceId)).toEqual([traceId]);
    const metrics = await (await fetch(`${server.consoleUrl}/metrics`)).text();
    expect(metrics).toMatch(/^meshscope_attributes_truncated_total [1-9]/m);
  });

  it("reports partial success for individually rejected spans and stores the others", async () => {
    const traceId = randomTraceId();
    const good = otlpJsonSpan({ traceId });
    const zeroId = otlpJsonSpan({ traceId, spanId: "0000000000000000" });
    const res = await postOtlpJson(server.otlpHttpUrl, otlpJsonRequest("partial", [good, zeroId]));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      partialSuccess: { rejectedSpans: "1", errorMessage: "1 span(s) rejected: span id is empty or all zeros" },
    });
    expect(await api.spanIds(traceId)).toEqual([good.spanId]);
  });

  it("answers unknown paths on the receiver port with a JSON 404", async () => {
    const res = await fetch(`${server.otlpHttpUrl}/v1/metricz`, { method: "POST" });
    expect(res.status).toBe(404);
  });
});

describe("Zipkin bad input", () => {
  it("answers malformed JSON with 400", async () => {
    const res = await postRaw("/api/v2/spans", "[{", { "content-type": "application/json" }, server.zipkinUrl);
    expect(res.status).toBe(400);
    expect((await jsonError(res)).message).toMatch(/^malformed JSON/);
  });

  it("answers a wrong field type with 400 naming the field", async () => {
    const res = await postRaw(
      "/api/v2/spans",
      '[{"traceId":1}]',
      { "content-type": "application/json" },
      server.zipkinUrl,
    );
    expect(res.status).toBe(400);
    expect((await jsonError(res)).message).toBe("[0].traceId: expected string, got number");
  });

  it("answers Zipkin protobuf with 415", async () => {
    const res = await postRaw("/api/v2/spans", "x", { "content-type": "application/x-protobuf" }, server.zipkinUrl);
    expect(res.status).toBe(415);
  });

  it("answers 400 when every span was rejected", async () => {
    const span = { traceId: randomTraceId(), id: "0000000000000000", name: "x", timestamp: Date.now() * 1000 };
    const res = await postRaw(
      "/api/v2/spans",
      JSON.stringify([span]),
      { "content-type": "application/json" },
      server.zipkinUrl,
    );
    expect(res.status).toBe(400);
    expect((await jsonError(res)).message).toContain("span id is all zeros");
  });
});

describe("OTLP/gRPC bad input", () => {
  it("answers malformed protobuf with INVALID_ARGUMENT naming the problem", async () => {
    const client = new grpc.Client(server.grpcTarget, grpc.credentials.createInsecure());
    try {
      const error = await new Promise<grpc.ServiceError>((resolve, reject) => {
        client.makeUnaryRequest(
          TRACE_SERVICE_EXPORT_PATH,
          (b: Buffer) => b,
          (b: Buffer) => b,
          Buffer.from([0x0a, 0xff, 0xff, 0x01, 0x02]),
          (err) => (err ? resolve(err) : reject(new Error("expected an error"))),
        );
      });
      expect(error.code).toBe(grpc.status.INVALID_ARGUMENT);
      expect(error.details).toMatch(/^malformed protobuf: length 32767 runs past the end/);
    } finally {
      client.close();
    }
  });

  it("refuses a message over the size limit with RESOURCE_EXHAUSTED", async () => {
    const client = new grpc.Client(server.grpcTarget, grpc.credentials.createInsecure());
    try {
      // A valid protobuf of one unknown length-delimited field, 2 MiB long: over the 1 MiB limit.
      const payload = Buffer.concat([Buffer.from([0x7a, 0x80, 0x80, 0x80, 0x01]), Buffer.alloc(2 * MiB)]);
      const error = await new Promise<grpc.ServiceError>((resolve, reject) => {
        client.makeUnaryRequest(
          TRACE_SERVICE_EXPORT_PATH,
          (b: Buffer) => b,
          (b: Buffer) => b,
          payload,
          (err) => (err ? resolve(err) : reject(new Error("expected an error"))),
        );
      });
      expect(error.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
    } finally {
      client.close();
    }
  });
});

describe("time fields", () => {
  it("keeps nanosecond timestamps past 2^53 exact to the microsecond", async () => {
    const traceId = randomTraceId();
    const start = nowNs(-2000);
    const span = {
      ...otlpJsonSpan({ traceId, startTimeUnixNano: `${start.slice(0, -3)}999` }),
      spanId: randomSpanId(),
    };
    const res = await postOtlpJson(server.otlpHttpUrl, otlpJsonRequest("ns", [span]));
    expect(res.status).toBe(200);
    const { spans } = await api.trace(traceId);
    expect(spans[0]?.start).toBe(Number(start.slice(0, -3)));
  });
});
