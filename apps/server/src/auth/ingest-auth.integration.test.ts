/**
 * `--ingest-auth token` (DESIGN §6): every telemetry entry point — OTLP/HTTP and Zipkin on the console and on their
 * own ports, remote-write, and both OTLP/gRPC services — wants a bearer token with the ingest or admin role; the
 * in-process demo still delivers with its in-memory token.
 */
import * as grpc from "@grpc/grpc-js";
import { TraceSearchResponse } from "@meshscope/model";
import { SpanKind } from "@opentelemetry/api";
import { OTLPTraceExporter as GrpcTraceExporter } from "@opentelemetry/exporter-trace-otlp-grpc";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { METRICS_SERVICE_EXPORT_PATH } from "../ingest/metrics-otlp-grpc.js";
import { otlpJsonRequest, otlpJsonSpan, postOtlpJson, randomTraceId } from "../test-support/otlp-json.js";
import { type AuthTestServer, bearer, startAuthTestServer } from "./auth.testing.js";

async function recordSpan(service: string): Promise<{ traceId: string; spans: ReadableSpan[] }> {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ "service.name": service }),
    spanProcessors: [new SimpleSpanProcessor(memory)],
  });
  const span = provider.getTracer("meshscope-test").startSpan("GET /checkout", { kind: SpanKind.SERVER });
  span.end();
  await provider.forceFlush();
  const spans = memory.getFinishedSpans();
  await provider.shutdown();
  return { traceId: span.spanContext().traceId, spans: [...spans] };
}

/** Exports through the real OTLP/gRPC exporter; resolves with the error it reported, or null on success. */
async function exportOverGrpc(target: string, spans: ReadableSpan[], metadata?: grpc.Metadata): Promise<Error | null> {
  const exporter = new GrpcTraceExporter({ url: `http://${target}`, ...(metadata ? { metadata } : {}) });
  try {
    return await new Promise((resolve) => {
      exporter.export(spans, (result) => resolve(result.code === 0 ? null : (result.error ?? new Error("failed"))));
    });
  } finally {
    await exporter.shutdown();
  }
}

/** An empty ExportMetricsServiceRequest (zero protobuf bytes) to the metrics service; the status code answered. */
function exportEmptyMetrics(target: string, metadata: grpc.Metadata): Promise<grpc.status> {
  const client = new grpc.Client(target, grpc.credentials.createInsecure());
  const identity = (b: Buffer) => b;
  return new Promise<grpc.status>((resolve) => {
    client.makeUnaryRequest(METRICS_SERVICE_EXPORT_PATH, identity, identity, Buffer.alloc(0), metadata, (error) => {
      resolve(error ? error.code : grpc.status.OK);
    });
  }).finally(() => client.close());
}

function authMetadata(token: string): grpc.Metadata {
  const m = new grpc.Metadata();
  m.set("authorization", `Bearer ${token}`);
  return m;
}

describe("ingest auth with tokens", () => {
  let t: AuthTestServer;
  beforeAll(async () => {
    t = await startAuthTestServer(["--auth", "token", "--ingest-auth", "token"]);
  });
  afterAll(async () => {
    await t?.stop();
  });

  const body = () => otlpJsonRequest("checkout", [otlpJsonSpan({ traceId: randomTraceId() })]);

  it("wants an ingest or admin token for OTLP/HTTP on the console port and on the OTLP/HTTP port", async () => {
    for (const base of [t.server.consoleUrl, t.server.otlpHttpUrl]) {
      const none = await postOtlpJson(base, body());
      expect(none.status, base).toBe(401);
      expect(none.headers.get("www-authenticate")).toBe('Bearer realm="meshscope"');
      // One JSON object that is both a google.rpc.Status (16 = UNAUTHENTICATED) and our error envelope.
      expect(await none.json()).toMatchObject({ code: 16, error: { code: "unauthenticated" } });
      // An OTLP/protobuf sender gets the refusal as a protobuf google.rpc.Status, as OTLP/HTTP asks.
      const proto = await fetch(`${base}/v1/traces`, {
        method: "POST",
        headers: { "content-type": "application/x-protobuf" },
        body: new Uint8Array(0),
      });
      expect(proto.status, base).toBe(401);
      expect(proto.headers.get("content-type")).toMatch(/^application\/x-protobuf/);
      expect(new Uint8Array(await proto.arrayBuffer())[0]).toBe(0x08); // field 1 (code), varint
      expect((await postOtlpJson(base, body(), bearer("unknown"))).status, base).toBe(401);
      expect((await postOtlpJson(base, body(), bearer(t.tokens.viewer))).status, base).toBe(403);
      expect((await postOtlpJson(base, body(), bearer(t.tokens.ingest))).status, base).toBe(200);
      expect((await postOtlpJson(base, body(), bearer(t.tokens.admin))).status, base).toBe(200);
    }
  });

  it("wants one for Zipkin and remote-write too", async () => {
    const zipkin = (headers: Record<string, string>) =>
      fetch(`${t.server.zipkinUrl}/api/v2/spans`, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: "[]",
      });
    expect((await zipkin({})).status).toBe(401);
    expect((await zipkin(bearer(t.tokens.ingest))).status).toBe(202);
    const write = await fetch(t.url("/api/v1/write"), { method: "POST", body: "" });
    expect(write.status).toBe(401);
  });

  it("answers UNAUTHENTICATED to the real OTLP/gRPC exporter without a token, and stores its spans with one", async () => {
    const { traceId, spans } = await recordSpan("grpc-checkout");
    const refused = await exportOverGrpc(t.server.grpcTarget, spans);
    expect(refused?.message ?? "").toMatch(/UNAUTHENTICATED|unauthenticated|16/);
    const viewer = await exportOverGrpc(t.server.grpcTarget, spans, authMetadata(t.tokens.viewer));
    expect(viewer?.message ?? "").toMatch(/PERMISSION_DENIED|ingest or admin/);
    expect(await exportOverGrpc(t.server.grpcTarget, spans, authMetadata(t.tokens.ingest))).toBeNull();
    const res = await fetch(t.url(`/api/traces/${traceId}`), { headers: bearer(t.tokens.viewer) });
    expect(res.status).toBe(200);
  });

  it("guards the gRPC metrics service the same way", async () => {
    expect(await exportEmptyMetrics(t.server.grpcTarget, new grpc.Metadata())).toBe(grpc.status.UNAUTHENTICATED);
    expect(await exportEmptyMetrics(t.server.grpcTarget, authMetadata(t.tokens.ingest))).toBe(grpc.status.OK);
  });
});

describe("ingest auth off (the default)", () => {
  let t: AuthTestServer;
  beforeAll(async () => {
    t = await startAuthTestServer(["--auth", "token"]);
  });
  afterAll(async () => {
    await t?.stop();
  });

  it("accepts telemetry without a token on every port, while the API still wants one", async () => {
    const body = otlpJsonRequest("checkout", [otlpJsonSpan({ traceId: randomTraceId() })]);
    expect((await postOtlpJson(t.server.consoleUrl, body)).status).toBe(200);
    expect((await postOtlpJson(t.server.otlpHttpUrl, body)).status).toBe(200);
    const { spans } = await recordSpan("grpc-open");
    expect(await exportOverGrpc(t.server.grpcTarget, spans)).toBeNull();
    expect((await fetch(t.url("/api/services"))).status).toBe(401);
  });
});

describe("the in-process demo with ingest auth on", () => {
  let t: AuthTestServer;
  beforeAll(async () => {
    t = await startAuthTestServer(["--ingest-auth", "token"], {}, { demo: true });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it("delivers its spans with its in-memory token", async () => {
    const deadline = Date.now() + 60_000;
    let count = 0;
    while (count === 0 && Date.now() < deadline) {
      const res = await fetch(t.url("/api/traces?limit=5"));
      count = TraceSearchResponse.parse(await res.json()).traces.length;
      if (count === 0) await new Promise((r) => setTimeout(r, 500));
    }
    expect(count).toBeGreaterThan(0);
  }, 90_000);
});
