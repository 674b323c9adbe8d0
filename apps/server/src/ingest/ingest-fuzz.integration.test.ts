/**
 * Server-level fuzzing of every ingest endpoint (issue #8 point 4): a few hundred fast-check-generated hostile
 * requests — junk and mutated valid bodies, gzip of junk, truncated gzip, wrong and odd content types and
 * encodings, snappy preambles declaring large (but allowed) sizes, bodies past the limit, bodies cut short by the
 * client — against the real server with its real stores. Every answer must be a 2xx or a 4xx, never a 5xx or a
 * dropped connection; gRPC calls must end OK, INVALID_ARGUMENT or RESOURCE_EXHAUSTED. Afterwards the server must
 * still take valid data on every endpoint, and that data must be found.
 *
 * Fixed seed (FUZZ_SEED replays another one, FUZZ_PATH a shrunk counterexample); bench/fuzz.ts fuzzes the
 * decoders themselves with many more cases.
 */
import { request as httpRequest } from "node:http";
import { gzipSync } from "node:zlib";
import * as grpc from "@grpc/grpc-js";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  mutatedBytes,
  mutatedJson,
  protobufShapedBytes,
} from "../../../../packages/wire/src/testing/fuzz-arbitraries.js";
import { goldenFixture } from "../../../../packages/wire/src/testing/otel-fixtures.js";
import { otelMetricsCases } from "../../../../packages/wire/src/testing/otel-metrics-fixtures.js";
import { varint } from "../../../../packages/wire/src/testing/proto-writer.js";
import { apiClient } from "../test-support/api-client.js";
import { protobufExportRequest } from "../test-support/otel-trace.js";
import { nowNs, otlpJsonRequest, otlpJsonSpan, postOtlpJson, randomTraceId } from "../test-support/otlp-json.js";
import { snappyLiterals, writeRequest } from "../test-support/remote-write-body.js";
import { startTestServer, type TestServer } from "../test-support/test-server.js";
import { METRICS_SERVICE_EXPORT_PATH } from "./metrics-otlp-grpc.js";
import { TRACE_SERVICE_EXPORT_PATH } from "./otlp-grpc.js";

const KiB = 1024;
const MAX_BODY = 256 * KiB;
const MAX_DECOMPRESSED = 1024 * KiB;
const SEED = process.env.FUZZ_SEED === undefined ? 20261126 : Number(process.env.FUZZ_SEED);
const replayPath = process.env.FUZZ_PATH === undefined ? {} : { path: process.env.FUZZ_PATH };

let server: TestServer;
let api: ReturnType<typeof apiClient>;
/** Valid bodies per format, made by the real OpenTelemetry serializers (and, for remote-write, our test writer). */
let valid: { otlpProtobuf: Uint8Array[]; otlpJson: unknown[]; zipkin: unknown[]; remoteWrite: Uint8Array[] };

function zipkinSpan(traceId: string, name: string): Record<string, unknown> {
  return {
    traceId,
    id: traceId.slice(0, 16),
    kind: "SERVER",
    name,
    timestamp: Date.now() * 1000 - 2_000_000,
    duration: 1500,
    localEndpoint: { serviceName: "fuzz-zipkin", ipv4: "10.0.0.1" },
    tags: { "http.status_code": "200", "istio.namespace": "fuzz" },
  };
}

function remoteWriteBody(value: number): Uint8Array {
  return snappyLiterals(
    writeRequest([
      {
        labels: {
          __name__: "istio_requests_total",
          reporter: "destination",
          source_workload: "fuzz-client",
          source_workload_namespace: "fuzz",
          destination_workload: "fuzz-server",
          destination_workload_namespace: "fuzz",
          destination_service: "fuzz-server.fuzz.svc.cluster.local",
          response_code: "200",
        },
        samples: [{ value, timestampMs: Date.now() }],
      },
    ]),
  );
}

beforeAll(async () => {
  server = await startTestServer({ maxBodyBytes: MAX_BODY, maxDecompressedBytes: MAX_DECOMPRESSED });
  api = apiClient(server.consoleUrl);
  const golden = goldenFixture();
  const metrics = await otelMetricsCases();
  valid = {
    otlpProtobuf: [golden.protobuf, golden.hostileProtobuf.subarray(0, 4096), ...metrics.map((c) => c.protobuf)],
    otlpJson: [JSON.parse(golden.json), ...metrics.map((c): unknown => JSON.parse(c.json))],
    zipkin: [[zipkinSpan(randomTraceId(), "seed")]],
    remoteWrite: [remoteWriteBody(1), snappyLiterals(writeRequest([{ labels: { __name__: "x" }, samples: [] }]))],
  };
});
afterAll(async () => {
  await server?.stop();
});

type Listener = "otlp" | "console" | "zipkin";
const ENDPOINTS: ReadonlyArray<{ listener: Listener; path: string }> = [
  { listener: "otlp", path: "/v1/traces" },
  { listener: "otlp", path: "/v1/metrics" },
  { listener: "console", path: "/v1/traces" },
  { listener: "console", path: "/v1/metrics" },
  { listener: "console", path: "/api/v1/write" },
  { listener: "console", path: "/api/v2/spans" },
  { listener: "zipkin", path: "/api/v2/spans" },
];

function baseUrl(listener: Listener): string {
  return listener === "otlp" ? server.otlpHttpUrl : listener === "zipkin" ? server.zipkinUrl : server.consoleUrl;
}

const utf8 = new TextEncoder();

/** A snappy preamble declaring `n` bytes (at most the decompressed limit) followed by junk. */
const bigDeclaredSnappy = fc
  .tuple(fc.integer({ min: 1, max: MAX_DECOMPRESSED }), fc.uint8Array({ maxLength: 64 }))
  // Snappy's preamble is the uncompressed length as a varint (google/snappy format_description.txt).
  .map(([n, rest]) => Uint8Array.from([...varint(n), ...rest]));

/** Bodies of every kind, sized well within the limits unless they are the over-the-limit kind. */
function bodies(): fc.Arbitrary<Uint8Array> {
  return fc.oneof(
    fc.uint8Array({ maxLength: 4096 }),
    protobufShapedBytes(3),
    mutatedBytes(valid.otlpProtobuf),
    mutatedJson(valid.otlpJson).map((t) => utf8.encode(t)),
    mutatedJson(valid.zipkin).map((t) => utf8.encode(t)),
    mutatedBytes(valid.remoteWrite),
    fc.json({ maxDepth: 3 }).map((t) => utf8.encode(t)),
    bigDeclaredSnappy,
    // gzip of junk, gzip of a mutated valid body, and gzip cut short.
    fc.uint8Array({ maxLength: 2048 }).map((b) => new Uint8Array(gzipSync(b))),
    mutatedBytes(valid.otlpProtobuf).map((b) => new Uint8Array(gzipSync(b))),
    fc.tuple(mutatedJson(valid.otlpJson), fc.nat()).map(([t, cut]) => {
      const gz = gzipSync(t);
      return new Uint8Array(gz.subarray(0, cut % gz.length));
    }),
    // Past the byte limit: must be a 413, not a crash or a hang.
    fc.constant(new Uint8Array(MAX_BODY + 1)),
  );
}

const contentTypes = fc.oneof(
  fc.constantFrom(
    "application/x-protobuf",
    "application/json",
    "application/json; charset=utf-8",
    "application/json; charset=latin1",
    "application/protobuf",
    "application/x-protobuf;proto=io.prometheus.write.v2.Request",
    "text/plain",
    "multipart/form-data; boundary=x",
    "",
  ),
  fc.string({ maxLength: 30 }).map((s) => s.replace(/[^\x20-\x7e]/g, "")),
);
const contentEncodings = fc.constantFrom(
  undefined,
  "gzip",
  "x-gzip",
  "identity",
  "snappy",
  "br",
  "deflate",
  "gzip, gzip",
  " GZIP ",
);

/** Built inside the test: the bodies mutate valid requests made in beforeAll. */
function hostileRequest() {
  return fc.record({
    endpoint: fc.constantFrom(...ENDPOINTS),
    contentType: contentTypes,
    contentEncoding: contentEncodings,
    remoteWriteVersion: fc.constantFrom(undefined, "0.1.0", "2.0.0", "junk"),
    body: bodies(),
  });
}

describe("every ingest endpoint under a few hundred hostile requests", () => {
  it("answers each with a 2xx or 4xx, never a 5xx or a dropped connection", async () => {
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(hostileRequest(), async (r) => {
        const headers: Record<string, string> = { "content-type": r.contentType };
        if (r.contentEncoding !== undefined) headers["content-encoding"] = r.contentEncoding;
        if (r.remoteWriteVersion !== undefined) headers["x-prometheus-remote-write-version"] = r.remoteWriteVersion;
        const res = await fetch(`${baseUrl(r.endpoint.listener)}${r.endpoint.path}`, {
          method: "POST",
          headers,
          body: r.body,
        });
        await res.arrayBuffer();
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        const ok = (res.status >= 200 && res.status < 300) || (res.status >= 400 && res.status < 500);
        if (!ok) throw new Error(`${r.endpoint.listener} ${r.endpoint.path} answered ${res.status}`);
      }),
      { numRuns: 200, seed: SEED, ...replayPath },
    );
    // The run must have reached the decoders, not only the content-type checks in front of them.
    const count = (from: number, to: number) =>
      [...statuses].filter(([s]) => s >= from && s < to).reduce((sum, [, n]) => sum + n, 0);
    expect(count(200, 300)).toBeGreaterThan(0);
    expect(statuses.get(400)).toBeGreaterThan(20);
    expect(statuses.get(415)).toBeGreaterThan(0);
    expect(statuses.get(413)).toBeGreaterThan(0);
  });

  it("answers a body cut short by the client without a 5xx, and keeps serving", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ENDPOINTS),
        fc.uint8Array({ maxLength: 1024 }),
        fc.integer({ min: 1, max: MAX_BODY }),
        async (endpoint, sent, extra) => {
          const status = await truncatedUpload(
            `${baseUrl(endpoint.listener)}${endpoint.path}`,
            sent,
            sent.length + extra,
          );
          if (status !== null && status >= 500) throw new Error(`${endpoint.path} answered ${status} to a cut body`);
        },
      ),
      { numRuns: 30, seed: SEED, ...replayPath },
    );
    expect((await fetch(`${server.consoleUrl}/readyz`)).status).toBe(200);
  });

  it("ends each raw gRPC export OK, INVALID_ARGUMENT or RESOURCE_EXHAUSTED", async () => {
    const client = new grpc.Client(server.grpcTarget, grpc.credentials.createInsecure());
    const allowed = new Set([grpc.status.OK, grpc.status.INVALID_ARGUMENT, grpc.status.RESOURCE_EXHAUSTED]);
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(TRACE_SERVICE_EXPORT_PATH, METRICS_SERVICE_EXPORT_PATH),
          fc.oneof(fc.uint8Array({ maxLength: 2048 }), protobufShapedBytes(3), mutatedBytes(valid.otlpProtobuf)),
          async (method, payload) => {
            const code = await grpcCall(client, method, Buffer.from(payload));
            if (!allowed.has(code)) throw new Error(`${method} ended with gRPC status ${grpc.status[code]}`);
          },
        ),
        { numRuns: 60, seed: SEED, ...replayPath },
      );
    } finally {
      client.close();
    }
  });
});

describe("after the hostile requests", () => {
  it("still stores and finds valid OTLP/JSON, OTLP/protobuf and Zipkin spans", async () => {
    const jsonTrace = randomTraceId();
    const json = await postOtlpJson(
      server.otlpHttpUrl,
      otlpJsonRequest("fuzz-after", [otlpJsonSpan({ traceId: jsonTrace })]),
    );
    expect(json.status).toBe(200);
    expect(await api.spanIds(jsonTrace)).toHaveLength(1);

    const proto = await protobufExportRequest(3);
    const res = await fetch(`${server.otlpHttpUrl}/v1/traces`, {
      method: "POST",
      headers: { "content-type": "application/x-protobuf", "content-encoding": "gzip" },
      body: gzipSync(proto.bytes),
    });
    expect(res.status).toBe(200);
    expect(await api.spanIds(proto.traceId)).toHaveLength(3);

    const zipkinTrace = randomTraceId();
    const zipkin = await fetch(`${server.zipkinUrl}/api/v2/spans`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify([zipkinSpan(zipkinTrace, "after the fuzz")]),
    });
    expect(zipkin.status).toBe(202);
    expect(await api.spanIds(zipkinTrace)).toHaveLength(1);
    const found = await api.search({ service: "fuzz-zipkin", limit: "1000" });
    expect(found.traces.map((t) => t.traceId)).toContain(zipkinTrace);
  });

  it("still takes a valid gRPC trace export and the trace is found", async () => {
    const proto = await protobufExportRequest(2);
    const client = new grpc.Client(server.grpcTarget, grpc.credentials.createInsecure());
    try {
      expect(await grpcCall(client, TRACE_SERVICE_EXPORT_PATH, Buffer.from(proto.bytes))).toBe(grpc.status.OK);
    } finally {
      client.close();
    }
    expect(await api.spanIds(proto.traceId)).toHaveLength(2);
  });

  it("still commits valid remote-write and OTLP metrics samples to the metric store", async () => {
    const before = await acceptedSamples();
    const rw = await fetch(`${server.consoleUrl}/api/v1/write`, {
      method: "POST",
      headers: {
        "content-type": "application/x-protobuf",
        "content-encoding": "snappy",
        "x-prometheus-remote-write-version": "0.1.0",
      },
      body: remoteWriteBody(42),
    });
    expect(rw.status).toBe(204);
    const afterRemoteWrite = await acceptedSamples();
    expect(afterRemoteWrite - before).toBe(1);

    const otlp = await fetch(`${server.otlpHttpUrl}/v1/metrics`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(otlpMetricsJson()),
    });
    expect(otlp.status).toBe(200);
    expect((await acceptedSamples()) - afterRemoteWrite).toBe(1);
  });

  it("answered no request with a 5xx, by its own count", async () => {
    const exposition = await (await fetch(`${server.consoleUrl}/metrics`)).text();
    const fiveHundreds = exposition
      .split("\n")
      .filter((l) => l.startsWith("meshscope_http_requests_total") && /code="5/.test(l));
    expect(fiveHundreds).toEqual([]);
    expect((await fetch(`${server.consoleUrl}/readyz`)).status).toBe(200);
  });
});

async function acceptedSamples(): Promise<number> {
  const exposition = await (await fetch(`${server.consoleUrl}/metrics`)).text();
  return exposition
    .split("\n")
    .filter((l) => l.startsWith("meshscope_metric_samples_accepted_total"))
    .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(" ") + 1)), 0);
}

/** One cumulative monotonic Sum point of istio_requests_total, stamped now (OTLP/JSON as the spec writes it). */
function otlpMetricsJson(): unknown {
  const attribute = (key: string, value: string) => ({ key, value: { stringValue: value } });
  return {
    resourceMetrics: [
      {
        resource: { attributes: [attribute("service.name", "fuzz-after")] },
        scopeMetrics: [
          {
            metrics: [
              {
                name: "istio_requests_total",
                sum: {
                  aggregationTemporality: 2,
                  isMonotonic: true,
                  dataPoints: [
                    {
                      attributes: [
                        attribute("reporter", "destination"),
                        attribute("source_workload", "fuzz-client"),
                        attribute("source_workload_namespace", "fuzz"),
                        attribute("destination_workload", "fuzz-server"),
                        attribute("destination_workload_namespace", "fuzz"),
                        attribute("destination_service", "fuzz-server.fuzz.svc.cluster.local"),
                        attribute("response_code", "200"),
                      ],
                      startTimeUnixNano: nowNs(-60_000),
                      timeUnixNano: nowNs(),
                      asInt: "7",
                    },
                  ],
                },
              },
            ],
          },
        ],
      },
    ],
  };
}

function grpcCall(client: grpc.Client, method: string, payload: Buffer): Promise<grpc.status> {
  return new Promise((resolve) => {
    client.makeUnaryRequest(
      method,
      (b: Buffer) => b,
      (b: Buffer) => b,
      payload,
      { deadline: Date.now() + 30_000 },
      (err) => resolve(err ? err.code : grpc.status.OK),
    );
  });
}

/**
 * POSTs `sent` while declaring `declared` bytes (more, but within the limit), then stops sending. Resolves with
 * the status if the server answered before the socket ended, or null when it did not answer (which is right:
 * the request never finished).
 */
function truncatedUpload(url: string, sent: Uint8Array, declared: number): Promise<number | null> {
  return new Promise((resolve) => {
    const req = httpRequest(url, {
      method: "POST",
      headers: { "content-type": "application/json", "content-length": String(declared) },
    });
    req.on("response", (res) => {
      res.resume();
      resolve(res.statusCode ?? null);
    });
    req.on("error", () => resolve(null));
    req.write(sent, () => setImmediate(() => req.destroy()));
  });
}
