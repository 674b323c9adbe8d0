/**
 * ACCEPTANCE (issue #2): a multi-service trace recorded with the real OpenTelemetry JS SDK is exported through
 * each OTLP exporter (protobuf over HTTP, JSON over HTTP, gRPC) to a running meshscope, and the API returns
 * every span exactly as the SDK recorded it; search finds or excludes it as Jaeger would.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiClient } from "../test-support/api-client.js";
import { type ExportedTrace, type ExportRequest, recordAndExportTrace } from "../test-support/otel-trace.js";
import { startTestServer, type TestServer } from "../test-support/test-server.js";

const exporters: Record<string, (server: TestServer) => ExportRequest> = {
  "OTLP/HTTP protobuf": (s) => ({ exporter: "otlp-proto", url: `${s.otlpHttpUrl}/v1/traces`, gzip: false }),
  "OTLP/HTTP JSON": (s) => ({ exporter: "otlp-json", url: `${s.otlpHttpUrl}/v1/traces`, gzip: false }),
  "OTLP/gRPC": (s) => ({ exporter: "otlp-grpc", url: `http://${s.grpcTarget}`, gzip: false }),
  "OTLP/HTTP JSON, gzip, console port": (s) => ({
    exporter: "otlp-json",
    url: `${s.consoleUrl}/v1/traces`,
    gzip: true,
  }),
  "OTLP/gRPC, gzip": (s) => ({ exporter: "otlp-grpc", url: `http://${s.grpcTarget}`, gzip: true }),
};

describe.each(Object.keys(exporters))("a trace exported with the OpenTelemetry SDK through %s", (via) => {
  let server: TestServer;
  let recorded: ExportedTrace;
  let api: ReturnType<typeof apiClient>;

  beforeAll(async () => {
    server = await startTestServer();
    api = apiClient(server.consoleUrl);
    const request = exporters[via];
    if (!request) throw new Error(`no exporter ${via}`);
    recorded = await recordAndExportTrace(request(server));
  });
  afterAll(async () => {
    await server.stop();
  });

  it("is searchable within one second of the export resolving", async () => {
    const found = await api.search({ service: "frontend" });
    expect(Date.now() - recorded.exportedAtMs).toBeLessThan(1000);
    expect(found.traces.map((t) => t.traceId)).toContain(recorded.traceId);
  });

  it("returns every span with parents, kinds, status, events, links, typed attributes and µs times as recorded", async () => {
    const { traceId, spans } = await api.trace(recorded.traceId);
    expect(traceId).toBe(recorded.traceId);
    expect(spans).toHaveLength(recorded.spans.length);
    for (const expected of recorded.spans) {
      const apiSpan = spans.find((s) => s.spanId === expected.spanId);
      expect(apiSpan, expected.name).toEqual({ ...expected, namespace: apiSpan?.namespace });
    }
  });

  it("keeps attribute types: int, double, bool, string and string array", async () => {
    const { spans } = await api.trace(recorded.traceId);
    const root = spans.find((s) => s.parentSpanId === null);
    expect(root?.attributes).toEqual({
      "http.request.method": "GET",
      "http.response.status_code": 200,
      "app.cart.ratio": 0.25,
      "app.cache.hit": false,
      "app.features": ["express-checkout", "gift-wrap"],
      "app.note": 'quotes " and <b>tags</b> and ünïcode ✓',
    });
  });

  it("takes namespaces from k8s.namespace.name or service.namespace", async () => {
    const { spans } = await api.trace(recorded.traceId);
    const namespaceOf = (service: string) => spans.find((s) => s.service === service)?.namespace;
    expect(namespaceOf("frontend")).toBe("shop");
    expect(namespaceOf("checkout")).toBe("shop");
    expect(namespaceOf("payments")).toBeNull();
  });

  it("summarises the trace: root, span and error counts, services", async () => {
    const [summary] = (await api.search({ service: "payments" })).traces;
    const root = recorded.spans.find((s) => s.parentSpanId === null);
    if (!root) throw new Error("the recorded trace has no root");
    expect(summary).toMatchObject({
      traceId: recorded.traceId,
      rootService: "frontend",
      rootName: "GET /checkout",
      start: root.start,
      spanCount: recorded.spans.length,
      errorCount: 2,
    });
    expect(summary?.services).toEqual(
      expect.arrayContaining([
        { name: "frontend", spanCount: 3 },
        { name: "checkout", spanCount: 4 },
        { name: "payments", spanCount: 2 },
      ]),
    );
  });

  it("finds it by service + operation, and not by an operation of another service", async () => {
    const ids = async (params: Record<string, string>) => (await api.search(params)).traces.map((t) => t.traceId);
    expect(await ids({ service: "checkout", operation: "validate order" })).toContain(recorded.traceId);
    expect(await ids({ service: "frontend", operation: "validate order" })).not.toContain(recorded.traceId);
    expect(await ids({ service: "nobody" })).toEqual([]);
  });

  it("finds it by attribute in logfmt and JSON, and requires one span to match all of them (Jaeger semantics)", async () => {
    const ids = async (params: Record<string, string>) => (await api.search(params)).traces.map((t) => t.traceId);
    expect(await ids({ service: "frontend", tags: "http.response.status_code=200" })).toContain(recorded.traceId);
    expect(await ids({ tags: '{"payment.retries":3,"rpc.system":"grpc"}' })).toContain(recorded.traceId);
    expect(await ids({ tags: 'app.note="quotes \\" and <b>tags</b> and ünïcode ✓"' })).toContain(recorded.traceId);
    // Both values exist in the trace, but on different spans: no single span satisfies both.
    expect(await ids({ tags: "http.route=/charge payment.retries=3" })).not.toContain(recorded.traceId);
    expect(await ids({ service: "frontend", tags: "http.response.status_code=500" })).not.toContain(recorded.traceId);
  });

  it("finds it by the duration of one span within [minDuration, maxDuration], and excludes it outside", async () => {
    const db = recorded.spans.find((s) => s.name === "SELECT cards");
    if (!db) throw new Error("no db span recorded");
    const dbUs = db.duration;
    const ids = async (params: Record<string, string>) => (await api.search(params)).traces.map((t) => t.traceId);
    const around = { operation: "SELECT cards", service: "payments" };
    expect(await ids({ ...around, minDuration: String(dbUs), maxDuration: String(dbUs) })).toContain(recorded.traceId);
    expect(await ids({ ...around, minDuration: "1ms" })).toContain(recorded.traceId);
    expect(await ids({ ...around, minDuration: String(dbUs + 1) })).not.toContain(recorded.traceId);
    expect(await ids({ ...around, maxDuration: String(dbUs - 1) })).not.toContain(recorded.traceId);
    expect(await ids({ ...around, minDuration: "10m" })).not.toContain(recorded.traceId);
  });

  it("lists the services and their operations", async () => {
    const { services } = await api.services();
    expect(services.map((s) => s.name).sort()).toEqual(["checkout", "frontend", "payments"]);
    const { operations } = await api.operations({ service: "checkout", spanKind: "server" });
    expect(operations).toEqual([{ name: "POST /charge", spanKind: "server" }]);
    const all = await api.operations({ service: "checkout" });
    expect(all.operations.map((o) => o.name).sort()).toEqual([
      "POST /charge",
      "orders publish",
      "payments.Charge",
      "validate order",
    ]);
  });
});
