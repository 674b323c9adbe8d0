import { describe, expect, it } from "vitest";
import { WireError } from "../errors.js";
import { decodeZipkinV2Json } from "./decode-zipkin.js";
import { serverHalfSpanId } from "./shared-span-ids.js";

const TRACE_ID = "5f1c3a9e0b7d4c2a8e6f1b3d9a0c7e42";

/** An Istio sidecar's Zipkin span, shaped like istio.md §3.4 (tags Envoy and istiod set). */
function envoySpan(overrides: Record<string, unknown>): Record<string, unknown> {
  return {
    traceId: TRACE_ID,
    parentId: "a1b2c3d4e5f60718",
    id: "9f8e7d6c5b4a3921",
    kind: "CLIENT",
    name: "reviews.default.svc.cluster.local:9080/*",
    timestamp: 1722355078588041,
    duration: 863075,
    localEndpoint: { serviceName: "productpage.default", ipv4: "10.244.0.8" },
    tags: {
      component: "proxy",
      node_id: "sidecar~10.244.0.8~productpage-v1-7d8f9c6b5-x2k4q.default~default.svc.cluster.local",
      "http.method": "GET",
      "http.status_code": "200",
      response_flags: "-",
      upstream_cluster: "outbound|9080|v2|reviews.default.svc.cluster.local",
      "istio.canonical_service": "productpage",
      "istio.namespace": "default",
    },
    ...overrides,
  };
}

function decodeError(value: unknown): WireError {
  try {
    decodeZipkinV2Json(JSON.stringify(value));
  } catch (error) {
    if (error instanceof WireError) return error;
    throw error;
  }
  throw new Error("expected a WireError");
}

describe("decodeZipkinV2Json", () => {
  it("maps an Envoy span: service, namespace, kind, µs times, tags kept as string attributes", () => {
    const [span] = decodeZipkinV2Json(JSON.stringify([envoySpan({})])).spans;
    expect(span).toMatchObject({
      traceId: TRACE_ID,
      spanId: "9f8e7d6c5b4a3921",
      parentSpanId: "a1b2c3d4e5f60718",
      service: "productpage.default",
      namespace: "default",
      kind: "client",
      startUs: 1722355078588041,
      durationUs: 863075,
      status: { code: "unset" },
      resource: { "service.name": "productpage.default" },
      scope: null,
    });
    expect(span?.attributes).toMatchObject({
      upstream_cluster: "outbound|9080|v2|reviews.default.svc.cluster.local",
      response_flags: "-",
      "istio.canonical_service": "productpage",
      "http.status_code": "200",
      "net.host.ip": "10.244.0.8",
    });
  });

  it("gives the server half of a shared client/server span id a new id under the client", () => {
    const sharedId = "9f8e7d6c5b4a3921";
    const client = envoySpan({ id: sharedId, kind: "CLIENT" });
    const server = envoySpan({
      id: sharedId,
      kind: "SERVER",
      localEndpoint: { serviceName: "reviews.default" },
      timestamp: 1722355078590000,
      duration: 800000,
    });
    const childOfServer = envoySpan({ id: "1111111111111111", parentId: sharedId, timestamp: 1722355078600000 });
    const { spans } = decodeZipkinV2Json(JSON.stringify([client, server, childOfServer]));
    expect(spans).toHaveLength(3);
    const [c, s, child] = spans;
    expect(c?.spanId).toBe(sharedId);
    expect(s?.spanId).not.toBe(sharedId);
    expect(s?.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(s?.parentSpanId).toBe(sharedId);
    expect(child?.parentSpanId).toBe(s?.spanId);
    expect(new Set(spans.map((x) => x.spanId)).size).toBe(3);
  });

  it("derives the same new id when the batch is sent again, and honours shared: true alone", () => {
    const server = envoySpan({ kind: "SERVER", shared: true });
    const first = decodeZipkinV2Json(JSON.stringify([server])).spans[0];
    const again = decodeZipkinV2Json(JSON.stringify([server])).spans[0];
    expect(first?.spanId).toBe(serverHalfSpanId(TRACE_ID, "9f8e7d6c5b4a3921"));
    expect(again?.spanId).toBe(first?.spanId);
    expect(first?.parentSpanId).toBe("9f8e7d6c5b4a3921");
  });

  it("leaves ids alone when client and server spans have distinct ids (Istio's default)", () => {
    const client = envoySpan({ id: "aaaaaaaaaaaaaaaa" });
    const server = envoySpan({ id: "bbbbbbbbbbbbbbbb", parentId: "aaaaaaaaaaaaaaaa", kind: "SERVER" });
    const ids = decodeZipkinV2Json(JSON.stringify([client, server])).spans.map((s) => [s.spanId, s.parentSpanId]);
    expect(ids).toEqual([
      ["aaaaaaaaaaaaaaaa", "a1b2c3d4e5f60718"],
      ["bbbbbbbbbbbbbbbb", "aaaaaaaaaaaaaaaa"],
    ]);
  });

  it("treats an empty parentId as a root span", () => {
    expect(decodeZipkinV2Json(JSON.stringify([envoySpan({ parentId: "" })])).spans[0]?.parentSpanId).toBeNull();
  });

  it("pads 64-bit trace ids to 128 bits and lower-cases ids", () => {
    const [span] = decodeZipkinV2Json(
      JSON.stringify([envoySpan({ traceId: "ABCDEF0123456789", id: "ABCDEF0123456789" })]),
    ).spans;
    expect(span?.traceId).toBe("0000000000000000abcdef0123456789");
    expect(span?.spanId).toBe("abcdef0123456789");
  });

  it("derives error status from the error tag, and from HTTP status by kind", () => {
    const status = (kind: string, tags: Record<string, string>) =>
      decodeZipkinV2Json(JSON.stringify([envoySpan({ kind, tags })])).spans[0]?.status;
    expect(status("SERVER", { error: "true" })).toEqual({ code: "error" });
    expect(status("SERVER", { error: "upstream connect error" })).toEqual({
      code: "error",
      message: "upstream connect error",
    });
    expect(status("SERVER", { "http.status_code": "503" })).toEqual({ code: "error" });
    expect(status("SERVER", { "http.status_code": "404" })).toEqual({ code: "unset" });
    expect(status("CLIENT", { "http.status_code": "404" })).toEqual({ code: "error" });
    expect(status("CLIENT", { "grpc.status_code": "5" })).toEqual({ code: "error" });
    expect(status("SERVER", { "grpc.status_code": "5" })).toEqual({ code: "unset" });
    expect(status("SERVER", { "otel.status_code": "ERROR", "otel.status_description": "db down" })).toEqual({
      code: "error",
      message: "db down",
    });
  });

  it("maps remote endpoints and annotations as the collector does", () => {
    const [span] = decodeZipkinV2Json(
      JSON.stringify([
        envoySpan({
          tags: {},
          remoteEndpoint: { serviceName: "reviews", ipv6: "::1", port: 9080 },
          annotations: [{ timestamp: 1722355078588100, value: "ws" }],
        }),
      ]),
    ).spans;
    expect(span?.attributes).toEqual({
      "net.host.ip": "10.244.0.8",
      "peer.service": "reviews",
      "net.peer.ip": "::1",
      "net.peer.port": 9080,
    });
    expect(span?.events).toEqual([{ timeUs: 1722355078588100, name: "ws", attributes: {} }]);
    expect(span?.namespace).toBeNull();
  });

  it("rejects spans without a timestamp or with zero ids one by one", () => {
    const result = decodeZipkinV2Json(
      JSON.stringify([envoySpan({}), envoySpan({ timestamp: undefined }), envoySpan({ id: "0000000000000000" })]),
    );
    expect(result.spans).toHaveLength(1);
    expect(result.rejectedSpans).toBe(2);
    expect(result.rejectReasons).toEqual(["zipkin span has no timestamp", "span id is all zeros"]);
  });

  it("refuses wrong types and id lengths, naming the index and field", () => {
    expect(decodeError([envoySpan({}), envoySpan({ timestamp: "abc" })]).message).toBe(
      "[1].timestamp: expected non-negative integer microseconds, got string",
    );
    expect(decodeError([envoySpan({ traceId: "a".repeat(15) })]).message).toBe(
      "[0].traceId: expected 16 or 32 hex digits, got 15 characters",
    );
    expect(decodeError([envoySpan({ id: "xyz" })]).message).toBe("[0].id: expected 16 hex digits, got 3 characters");
    expect(decodeError([envoySpan({ kind: "SIDEWAYS" })]).code).toBe("invalid_field");
    expect(decodeError([envoySpan({ tags: { a: { b: 1 } } })]).message).toBe(
      '[0].tags["a"]: expected string, got object',
    );
    expect(decodeError({ spans: [] }).message).toBe(
      "$: expected an array of spans (Zipkin v2 ListOfSpans), got object",
    );
  });

  it("keeps hostile tag names and values as data", () => {
    const span = envoySpan({ tags: { "<script>": "</script>", nul: "a\u0000b" } });
    // "__proto__" written as JSON text: in a JS object literal it would set the prototype instead.
    const text = JSON.stringify([span]).replace('"tags":{', '"tags":{"__proto__":"polluted",');
    const [decoded] = decodeZipkinV2Json(text).spans;
    expect(Object.getPrototypeOf(decoded?.attributes)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(decoded?.attributes, "__proto__")?.value).toBe("polluted");
    expect(decoded?.attributes["<script>"]).toBe("</script>");
    expect(decoded?.attributes.nul).toBe("a\u0000b");
  });
});
