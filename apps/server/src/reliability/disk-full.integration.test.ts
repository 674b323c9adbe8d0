/**
 * Disk full, simulated with SQLite max_page_count (store/page-limit.ts): SQLite itself fails the writer's
 * commits with SQLITE_FULL, the code a real ENOSPC gives. While full, ingest answers 503 `storage_full` with
 * Retry-After (HTTP) / UNAVAILABLE (gRPC), reads keep answering, /readyz says not ready; once the limit is lifted
 * ingest succeeds again without a restart and everything acknowledged before is there.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import * as grpc from "@grpc/grpc-js";
import { afterEach, describe, expect, it } from "vitest";
import type { SqliteStore } from "../store/index.js";
import { apiClient } from "../test-support/api-client.js";
import { grpcExportTraces, protobufExportRequest } from "../test-support/otel-trace.js";
import { otlpJsonRequest, otlpJsonSpan, postOtlpJson, randomTraceId } from "../test-support/otlp-json.js";
import { snappyLiterals, writeRequest } from "../test-support/remote-write-body.js";
import { startTestServer, type TestServer } from "../test-support/test-server.js";

const REMOTE_WRITE_HEADERS = {
  "Content-Type": "application/x-protobuf",
  "Content-Encoding": "snappy",
  "X-Prometheus-Remote-Write-Version": "0.1.0",
};

/** Istio request counters for `edges` distinct workload pairs: new series, so new rows and pages. */
function remoteWriteBody(tag: string, edges: number, value: number, timestampMs: number): Uint8Array {
  return snappyLiterals(
    writeRequest(
      Array.from({ length: edges }, (_, i) => ({
        labels: {
          __name__: "istio_requests_total",
          reporter: "destination",
          source_workload: `${tag}-client-${i}`,
          source_workload_namespace: "disk",
          destination_workload: `${tag}-server-${i}`,
          destination_workload_namespace: "disk",
          destination_service_name: `${tag}-svc-${i}`,
          response_code: "200",
        },
        samples: [{ value, timestampMs }],
      })),
    ),
  );
}

/** Spans with a few attributes each, so a request needs fresh pages. */
function spansOf(traceId: string, n: number) {
  return Array.from({ length: n }, (_, i) =>
    otlpJsonSpan({
      traceId,
      name: `op-${i % 7}`,
      attributes: [
        { key: "http.response.status_code", value: { intValue: "200" } },
        { key: "payload", value: { stringValue: `${traceId}-${i}-${"x".repeat(200)}` } },
      ],
    }),
  );
}

async function readyz(consoleUrl: string): Promise<{ status: number; storage: unknown }> {
  const res = await fetch(`${consoleUrl}/readyz`);
  const body: unknown = await res.json();
  const checks = typeof body === "object" && body !== null ? Reflect.get(body, "checks") : undefined;
  return { status: res.status, storage: typeof checks === "object" && checks ? Reflect.get(checks, "storage") : null };
}

let server: TestServer | null = null;
let webDir: string | null = null;
afterEach(async () => {
  await server?.stop();
  server = null;
  if (webDir !== null) rmSync(webDir, { recursive: true, force: true });
  webDir = null;
});

describe("a full disk (simulated with SQLite max_page_count)", () => {
  it("refuses ingest with 503 storage_full while reads go on, and takes ingest again once space returns", async () => {
    // A stand-in web build: the UI's index.html must keep being served while the disk is full.
    webDir = mkdtempSync(path.join(tmpdir(), "meshscope-web-"));
    writeFileSync(path.join(webDir, "index.html"), "<!doctype html><title>Meshscope</title><p>console</p>");
    let store: SqliteStore | null = null;
    server = await startTestServer(
      { webDistDir: webDir },
      {
        onStoreOpen: (s) => {
          store = s;
        },
      },
    );
    const limit = (pages: number | null) => {
      if (store === null) throw new Error("store not opened");
      return (store as SqliteStore).limitPages(pages);
    };
    const api = apiClient(server.consoleUrl);
    const rwPost = (body: Uint8Array) =>
      fetch(`${server?.consoleUrl}/api/v1/write`, { method: "POST", headers: REMOTE_WRITE_HEADERS, body });

    // Before: data that must survive everything below.
    const before = randomTraceId();
    expect((await postOtlpJson(server.otlpHttpUrl, otlpJsonRequest("before-full", spansOf(before, 40)))).status).toBe(
      200,
    );
    const t0 = Date.now() - 60_000;
    expect((await rwPost(remoteWriteBody("before", 20, 1, t0))).status).toBe(204);
    expect((await readyz(server.consoleUrl)).status).toBe(200);

    // The disk fills up: the file may not grow by a single page from here.
    await limit(1);
    const during = randomTraceId();
    const duringBody = otlpJsonRequest("during-full", spansOf(during, 300));
    const refused = await postOtlpJson(server.otlpHttpUrl, duringBody);
    expect(refused.status).toBe(503);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(await refused.json()).toMatchObject({
      code: 14,
      error: { code: "storage_full", message: expect.stringContaining("disk is full") },
    });
    const grpcRequest = await protobufExportRequest(200);
    const grpcError = await grpcExportTraces(server.grpcTarget, grpcRequest.bytes);
    expect(grpcError?.code).toBe(grpc.status.UNAVAILABLE);
    expect(grpcError?.details).toContain("disk is full");
    const rwBody = remoteWriteBody("during", 400, 1, t0 + 1000);
    const rwRefused = await rwPost(rwBody);
    expect(rwRefused.status).toBe(503);
    expect(rwRefused.headers.get("retry-after")).not.toBeNull();
    expect(await rwRefused.json()).toMatchObject({ error: { code: "storage_full" } });

    // Reads go on: search, trace by id, services, the Jaeger API and the UI's page.
    const found = await api.search({ service: "before-full", limit: "10" });
    expect(found.traces.map((t) => t.traceId)).toEqual([before]);
    expect((await api.trace(before)).spans).toHaveLength(40);
    expect((await api.services()).services.map((s) => s.name)).toContain("before-full");
    expect((await fetch(`${server.consoleUrl}/jaeger/api/services`)).status).toBe(200);
    const page = await fetch(`${server.consoleUrl}/traces`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("<p>console</p>");
    expect((await fetch(`${server.consoleUrl}/healthz`)).status).toBe(200);
    expect(await readyz(server.consoleUrl)).toEqual({ status: 503, storage: false });
    const selfMetrics = await (await fetch(`${server.consoleUrl}/metrics`)).text();
    expect(selfMetrics).toMatch(/^meshscope_spans_rejected_total\{reason="commit_failed"\} 500$/m);

    // Space returns: no restart. A new service first: the rolled-back batch must not have left stale ids behind.
    await limit(null);
    const after = randomTraceId();
    expect((await postOtlpJson(server.otlpHttpUrl, otlpJsonRequest("after-full", spansOf(after, 10)))).status).toBe(
      200,
    );
    expect((await postOtlpJson(server.otlpHttpUrl, duringBody)).status).toBe(200);
    expect(await grpcExportTraces(server.grpcTarget, grpcRequest.bytes)).toBeNull();
    expect((await rwPost(rwBody)).status).toBe(204);
    expect(await readyz(server.consoleUrl)).toEqual({ status: 200, storage: true });

    expect((await api.trace(before)).spans).toHaveLength(40);
    const duringSpans = (await api.trace(during)).spans;
    expect(duringSpans).toHaveLength(300);
    expect(new Set(duringSpans.map((s) => s.service))).toEqual(new Set(["during-full"]));
    expect(new Set((await api.trace(after)).spans.map((s) => s.service))).toEqual(new Set(["after-full"]));
    expect(await api.spanIds(grpcRequest.traceId)).toHaveLength(200);
    expect((await api.services()).services.map((s) => s.name)).toEqual(
      expect.arrayContaining(["before-full", "during-full", "after-full"]),
    );
  });
});
