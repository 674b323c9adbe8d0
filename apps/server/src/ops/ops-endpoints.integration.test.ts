/** /healthz, /readyz, /metrics and the web UI on the console port of a running meshscope. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { otlpJsonRequest, otlpJsonSpan, postOtlpJson, randomTraceId } from "../test-support/otlp-json.js";
import { startTestServer, type TestServer } from "../test-support/test-server.js";

let server: TestServer | null = null;
afterEach(async () => {
  await server?.stop();
  server = null;
});

async function getJson(url: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url);
  return { status: res.status, body: await res.json() };
}

describe("ops endpoints", () => {
  it("answers /healthz, and /readyz with the store and every enabled listener", async () => {
    server = await startTestServer({ zipkinPort: 0 });
    expect(server.running.ports.zipkin).toBeNull();
    expect(await getJson(`${server.consoleUrl}/healthz`)).toEqual({ status: 200, body: { status: "ok" } });
    expect(await getJson(`${server.consoleUrl}/readyz`)).toEqual({
      status: 200,
      body: {
        status: "ready",
        checks: {
          store: true,
          storage: true,
          "listener:console": true,
          "listener:otlpHttp": true,
          "listener:otlpGrpc": true,
        },
      },
    });
  });

  it("exposes self-metrics in Prometheus text format that count ingest", async () => {
    server = await startTestServer();
    const traceId = randomTraceId();
    const spans = [
      otlpJsonSpan({ traceId }),
      otlpJsonSpan({ traceId }),
      otlpJsonSpan({ traceId, spanId: "0".repeat(16) }),
    ];
    expect((await postOtlpJson(server.otlpHttpUrl, otlpJsonRequest("metrics", spans))).status).toBe(200);
    const res = await fetch(`${server.consoleUrl}/metrics`);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(text).toMatch(/^meshscope_spans_received_total\{protocol="otlp_http"\} 3$/m);
    expect(text).toMatch(/^meshscope_spans_accepted_total 2$/m);
    expect(text).toMatch(/^meshscope_spans_rejected_total\{reason="invalid_span"\} 1$/m);
    expect(text).toMatch(/^meshscope_ingest_queue_depth 0$/m);
    expect(text).toMatch(/^meshscope_commit_duration_seconds_count [1-9]\d*$/m);
    expect(text).toMatch(/^meshscope_commit_duration_seconds_bucket\{le="\+Inf"\} [1-9]\d*$/m);
    expect(text).toMatch(/^meshscope_http_requests_total\{listener="otlp_http",route="\/v1\/traces",code="200"\} 1$/m);
    expect(text).toMatch(/^meshscope_attributes_truncated_total 0$/m);
    expect(text).toMatch(/^process_resident_memory_bytes [1-9]\d*$/m);
  });
});

describe("web UI", () => {
  it("says how to build the UI when there is no build", async () => {
    server = await startTestServer();
    const res = await fetch(`${server.consoleUrl}/traces/abc`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("Run <code>npm run build</code>");
  });

  it("serves the build with an SPA fallback for deep links, but JSON 404s under /api", async () => {
    const dist = mkdtempSync(path.join(tmpdir(), "meshscope-web-"));
    try {
      mkdirSync(path.join(dist, "assets"));
      writeFileSync(path.join(dist, "index.html"), "<!doctype html><title>Meshscope app</title>");
      writeFileSync(path.join(dist, "assets", "app.js"), "console.log('app')");
      server = await startTestServer({ webDistDir: dist });
      const deepLink = await fetch(`${server.consoleUrl}/traces/0af7651916cd43dd8448eb211c80319c`);
      expect(await deepLink.text()).toContain("Meshscope app");
      expect(await (await fetch(`${server.consoleUrl}/assets/app.js`)).text()).toBe("console.log('app')");
      const api404 = await fetch(`${server.consoleUrl}/api/nope`);
      expect(api404.status).toBe(404);
      expect(await api404.json()).toEqual({ error: { code: "not_found", message: "no API route GET /api/nope" } });
    } finally {
      rmSync(dist, { recursive: true, force: true });
    }
  });
});
