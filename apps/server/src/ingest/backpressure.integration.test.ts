/**
 * The write path under pressure (DESIGN §4): a full queue answers 429 with Retry-After (HTTP) or
 * RESOURCE_EXHAUSTED with RetryInfo (gRPC), never a silent drop; a failed commit answers 503 / UNAVAILABLE;
 * requests wait for their commit before they are answered.
 */
import * as grpc from "@grpc/grpc-js";
import type { SpanRecord } from "@meshscope/model";
import { afterEach, describe, expect, it } from "vitest";
import type { TraceWriter } from "../store/trace-store.js";
import { apiClient } from "../test-support/api-client.js";
import { grpcExportTraces, protobufExportRequest } from "../test-support/otel-trace.js";
import { otlpJsonRequest, otlpJsonSpan, postOtlpJson, randomTraceId } from "../test-support/otlp-json.js";
import { startTestServer, type TestServer } from "../test-support/test-server.js";

/** A writer whose commits wait until `release()`: the queue fills up behind it. */
function blockingWriter() {
  let release = () => {};
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  let entered = () => {};
  const firstCommit = new Promise<void>((resolve) => {
    entered = resolve;
  });
  return {
    wrap: (inner: TraceWriter): TraceWriter => ({
      async writeBatch(spans: readonly SpanRecord[]) {
        entered();
        await gate;
        await inner.writeBatch(spans);
      },
    }),
    firstCommit,
    release: () => release(),
  };
}

const spans = (traceId: string, n: number) => Array.from({ length: n }, () => otlpJsonSpan({ traceId }));

let server: TestServer | null = null;
afterEach(async () => {
  await server?.stop();
  server = null;
});

describe("a full ingest queue", () => {
  it("answers 429 with Retry-After over HTTP and RESOURCE_EXHAUSTED with RetryInfo over gRPC, then recovers", async () => {
    const writer = blockingWriter();
    server = await startTestServer({ queueSpans: 10, batchSpans: 10 }, { wrapWriter: writer.wrap });
    const api = apiClient(server.consoleUrl);
    const grpcRequest = await protobufExportRequest(3);

    // Ten spans fill the queue; their commit is held by the writer, so the request stays unanswered.
    const heldTrace = randomTraceId();
    const held = postOtlpJson(server.otlpHttpUrl, otlpJsonRequest("held", spans(heldTrace, 10)));
    await writer.firstCommit;

    const refused = await postOtlpJson(server.otlpHttpUrl, otlpJsonRequest("refused", spans(randomTraceId(), 1)));
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(await refused.json()).toMatchObject({ code: 8, error: { code: "queue_full" } });

    const zipkin = await fetch(`${server.zipkinUrl}/api/v2/spans`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify([
        { traceId: randomTraceId(), id: "1111111111111111", name: "z", timestamp: Date.now() * 1000 },
      ]),
    });
    expect(zipkin.status).toBe(429);
    expect(zipkin.headers.get("retry-after")).not.toBeNull();

    const error = await grpcExportTraces(server.grpcTarget, grpcRequest.bytes);
    expect(error?.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
    const details = error?.metadata.get("grpc-status-details-bin")[0];
    expect(Buffer.isBuffer(details) && details.toString("latin1")).toContain(
      "type.googleapis.com/google.rpc.RetryInfo",
    );

    const metrics = await (await fetch(`${server.consoleUrl}/metrics`)).text();
    expect(metrics).toMatch(/^meshscope_ingest_queue_depth 10$/m);
    expect(metrics).toMatch(/^meshscope_spans_rejected_total\{reason="queue_full"\} 5$/m);

    // Nothing was answered 2xx before its commit: the held request is still pending, and answers once released.
    const settled = await Promise.race([
      held.then(() => "answered"),
      new Promise((r) => setTimeout(r, 100, "pending")),
    ]);
    expect(settled).toBe("pending");
    writer.release();
    expect((await held).status).toBe(200);
    expect(await api.spanIds(heldTrace)).toHaveLength(10);

    // With room again, the gRPC export that was refused succeeds.
    expect(await grpcExportTraces(server.grpcTarget, grpcRequest.bytes)).toBeNull();
    expect(await api.spanIds(grpcRequest.traceId)).toHaveLength(3);
  });
});

describe("a failing commit", () => {
  it("answers 503 over HTTP and UNAVAILABLE over gRPC, and stores nothing", async () => {
    let failing = true;
    server = await startTestServer(
      {},
      {
        wrapWriter: (inner) => ({
          writeBatch: (batch) => (failing ? Promise.reject(new Error("disk full")) : inner.writeBatch(batch)),
        }),
      },
    );
    const traceId = randomTraceId();
    const res = await postOtlpJson(server.otlpHttpUrl, otlpJsonRequest("doomed", spans(traceId, 2)));
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("1");
    expect(await res.json()).toMatchObject({ code: 14, error: { code: "unavailable" } });
    const grpcRequest = await protobufExportRequest(1);
    expect((await grpcExportTraces(server.grpcTarget, grpcRequest.bytes))?.code).toBe(grpc.status.UNAVAILABLE);
    failing = false;
    expect(await apiClient(server.consoleUrl).spanIds(traceId)).toEqual([]);
  });
});
