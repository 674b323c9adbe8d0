/**
 * Zipkin v2 ingest as Envoy/Istio sends it: the client half (caller's sidecar) and the server half (callee's
 * sidecar) of one RPC share a span id (B3 shared span context). Stored as two spans, server under client.
 */
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiClient } from "../test-support/api-client.js";
import { randomSpanId, randomTraceId } from "../test-support/otlp-json.js";
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

/** One RPC productpage → reviews as two Envoy sidecars report it (tags as Istio's Envoy sets them). */
function envoyPair(traceId: string, sharedId: string, parentId: string, startUs: number) {
  const common = { traceId, id: sharedId, parentId, name: "reviews.bookinfo.svc.cluster.local:9080/*" };
  const client = {
    ...common,
    kind: "CLIENT",
    timestamp: startUs,
    duration: 12_000,
    localEndpoint: { serviceName: "productpage.bookinfo", ipv4: "10.1.0.4" },
    remoteEndpoint: { ipv4: "10.1.0.9", port: 9080 },
    tags: {
      component: "proxy",
      "http.method": "GET",
      "http.status_code": "503",
      response_flags: "UO",
      upstream_cluster: "outbound|9080|v2|reviews.bookinfo.svc.cluster.local",
      "istio.canonical_service": "productpage",
      error: "true",
    },
  };
  const serverHalf = {
    ...common,
    kind: "SERVER",
    shared: true,
    timestamp: startUs + 1_000,
    duration: 10_000,
    localEndpoint: { serviceName: "reviews.bookinfo", ipv4: "10.1.0.9" },
    tags: { component: "proxy", "http.status_code": "200", "istio.canonical_service": "reviews" },
  };
  return { client, serverHalf };
}

function postZipkin(body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${server.zipkinUrl}/api/v2/spans`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" || Buffer.isBuffer(body) ? body : JSON.stringify(body),
  });
}

describe("Zipkin v2 from Envoy", () => {
  it("stores a client/server pair with a shared span id as two spans, server under client", async () => {
    const traceId = randomTraceId();
    const [sharedId, rootId] = [randomSpanId(), randomSpanId()];
    const { client, serverHalf } = envoyPair(traceId, sharedId, rootId, Date.now() * 1000 - 60_000_000);
    const res = await postZipkin([serverHalf, client]);
    expect(res.status).toBe(202);
    expect(await res.text()).toBe("");

    const { spans } = await api.trace(traceId);
    expect(spans).toHaveLength(2);
    const c = spans.find((s) => s.kind === "client");
    const s = spans.find((s) => s.kind === "server");
    expect(c).toMatchObject({ spanId: sharedId, parentSpanId: rootId, service: "productpage.bookinfo" });
    expect(c?.start).toBe(client.timestamp);
    expect(c?.duration).toBe(12_000);
    expect(c?.status.code).toBe("error");
    expect(s?.spanId).not.toBe(sharedId);
    expect(s?.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(s).toMatchObject({ parentSpanId: sharedId, service: "reviews.bookinfo", start: serverHalf.timestamp });
    expect(s?.attributes["http.status_code"]).toBe("200");
  });

  it("separates the halves when each sidecar reports in its own request, as separate Envoys do", async () => {
    const traceId = randomTraceId();
    const sharedId = randomSpanId();
    const { client, serverHalf } = envoyPair(traceId, sharedId, randomSpanId(), Date.now() * 1000 - 30_000_000);
    expect((await postZipkin([client])).status).toBe(202);
    expect((await postZipkin([serverHalf])).status).toBe(202);
    const { spans } = await api.trace(traceId);
    expect(spans.map((s) => s.spanId)).toHaveLength(2);
    expect(new Set(spans.map((s) => s.spanId)).size).toBe(2);
    expect(spans.find((s) => s.kind === "server")?.parentSpanId).toBe(sharedId);
  });

  it("accepts gzip and the console port, and makes Zipkin spans searchable by service and tag", async () => {
    const traceId = randomTraceId();
    const { client, serverHalf } = envoyPair(traceId, randomSpanId(), randomSpanId(), Date.now() * 1000 - 10_000_000);
    const res = await fetch(`${server.consoleUrl}/api/v2/spans`, {
      method: "POST",
      headers: { "content-type": "application/json", "content-encoding": "gzip" },
      body: gzipSync(JSON.stringify([client, serverHalf])),
    });
    expect(res.status).toBe(202);
    const found = await api.search({ service: "productpage.bookinfo", tags: "response_flags=UO" });
    expect(found.traces.map((t) => t.traceId)).toContain(traceId);
    const notFound = await api.search({ service: "reviews.bookinfo", tags: "response_flags=UO" });
    expect(notFound.traces.map((t) => t.traceId)).not.toContain(traceId);
  });
});
