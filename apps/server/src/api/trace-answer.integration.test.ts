/** GET /api/traces/:traceId on the wire: streamed JSON, gzip when asked for and worth it, errors unchanged. */
import { request } from "node:http";
import { gunzipSync } from "node:zlib";
import { TraceResponse } from "@meshscope/model";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { otlpJsonRequest, otlpJsonSpan, postOtlpJson, randomTraceId } from "../test-support/otlp-json.js";
import { startTestServer, type TestServer } from "../test-support/test-server.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.stop();
});

interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A GET that keeps the bytes as sent (fetch would decompress them out of sight). */
function rawGet(path: string, headers: Record<string, string> = {}, method = "GET"): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(`${server.consoleUrl}${path}`, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

async function storeTrace(spanCount: number): Promise<string> {
  const traceId = randomTraceId();
  const spans = Array.from({ length: spanCount }, (_, i) =>
    otlpJsonSpan({
      traceId,
      name: `GET /items/${i} <script>alert(1)</script> "quoted"`,
      attributes: [
        { key: "http.response.status_code", value: { intValue: "200" } },
        { key: "note", value: { stringValue: `ünïcødé ${i}` } },
      ],
    }),
  );
  const answer = await postOtlpJson(server.otlpHttpUrl, otlpJsonRequest("wire", spans));
  expect(answer.status).toBe(200);
  return traceId;
}

describe("GET /api/traces/:traceId on the wire", () => {
  it("answers a big trace gzipped to a client that accepts gzip, with the same JSON as uncompressed", async () => {
    const traceId = await storeTrace(300);
    const gz = await rawGet(`/api/traces/${traceId}`, { "accept-encoding": "gzip, deflate, br, zstd" });
    const plain = await rawGet(`/api/traces/${traceId}`, { "accept-encoding": "identity" });
    expect(gz.status).toBe(200);
    expect(gz.headers["content-encoding"]).toBe("gzip");
    expect(gz.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(gz.headers.vary).toMatch(/accept-encoding/i);
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(Number(plain.headers["content-length"])).toBe(plain.body.length);
    expect(gunzipSync(gz.body).equals(plain.body)).toBe(true);
    const parsed = TraceResponse.parse(JSON.parse(plain.body.toString("utf8")));
    expect(parsed.traceId).toBe(traceId);
    expect(parsed.spans).toHaveLength(300);
    expect(parsed.spans[0]?.name).toContain("<script>alert(1)</script>");
  });

  it("does not gzip a small trace, nor for a client that refuses gzip", async () => {
    const small = await storeTrace(1);
    expect((await rawGet(`/api/traces/${small}`, { "accept-encoding": "gzip" })).headers["content-encoding"]).toBe(
      undefined,
    );
    const big = await storeTrace(300);
    const refused = await rawGet(`/api/traces/${big}`, { "accept-encoding": "gzip;q=0, identity" });
    expect(refused.headers["content-encoding"]).toBeUndefined();
    expect(JSON.parse(refused.body.toString("utf8")).spans).toHaveLength(300);
  });

  it("answers HEAD with the headers and no body", async () => {
    const traceId = await storeTrace(2);
    const head = await rawGet(`/api/traces/${traceId}`, {}, "HEAD");
    expect(head.status).toBe(200);
    expect(head.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(head.body.length).toBe(0);
  });

  it("keeps the error envelope for unknown traces even when gzip is accepted", async () => {
    const unknown = randomTraceId();
    const answer = await rawGet(`/api/traces/${unknown}`, { "accept-encoding": "gzip" });
    expect(answer.status).toBe(404);
    expect(JSON.parse(answer.body.toString("utf8"))).toEqual({
      error: { code: "not_found", message: `trace ${unknown} not found` },
    });
  });
});
