/**
 * `npm run bench:decode` (or `cd bench && npx tsx --conditions=source decode.ts`): decode throughput of the
 * @meshscope/wire trace decoders on one realistic request — 500 spans × 10 attributes in traces of 10 spans —
 * encoded by the real OpenTelemetry serializers (protobuf and JSON); the Zipkin v2 body carries the same spans
 * in Envoy's shape (string tags, local/remote endpoints).
 *
 * Per format: warm up, then 5 rounds of ~1 s each; prints the median spans/s and MB/s of input. A benchmark,
 * not a test: it never fails on its figures. Options: --spans 500 --rounds 5 --round-ms 1000.
 */
import { cpus } from "node:os";
import { parseArgs } from "node:util";
import { decodeOtlpTracesJson, decodeOtlpTracesProtobuf, decodeZipkinV2Json } from "@meshscope/wire";
import { ROOT_CONTEXT, SpanKind, trace } from "@opentelemetry/api";
import { JsonTraceSerializer, ProtobufTraceSerializer } from "@opentelemetry/otlp-transformer";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { fmtFixed, fmtInt, table } from "./lib/report.js";
import { median } from "./lib/stats.js";

const { values } = parseArgs({
  options: {
    spans: { type: "string", default: "500" },
    rounds: { type: "string", default: "5" },
    "round-ms": { type: "string", default: "1000" },
  },
});
const SPANS = Number(values.spans);
const ROUNDS = Number(values.rounds);
const ROUND_MS = Number(values["round-ms"]);
const SPANS_PER_TRACE = 10;

/** 500 finished SDK spans: a SERVER root and 9 CLIENT children per trace, 10 attributes each. */
function recordSpans(count: number): ReadableSpan[] {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({
      "service.name": "productpage",
      "k8s.namespace.name": "bookinfo",
      "service.version": "v1",
    }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer("bench-decode", "1.0.0");
  for (let t = 0; t < count / SPANS_PER_TRACE; t++) {
    const attributes = (i: number) => ({
      "http.request.method": "GET",
      "http.response.status_code": i % 50 === 0 ? 503 : 200,
      "url.full": `http://reviews.bookinfo.svc.cluster.local:9080/reviews/${t * SPANS_PER_TRACE + i}`,
      "server.address": "reviews.bookinfo.svc.cluster.local",
      "server.port": 9080,
      "network.protocol.version": "1.1",
      "user_agent.original": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)",
      "http.request.body.size": 0,
      "http.response.body.size": 441 + i,
      "retry.ratio": 0.125,
    });
    const root = tracer.startSpan(`GET /productpage`, { kind: SpanKind.SERVER, attributes: attributes(0) });
    const ctx = trace.setSpan(ROOT_CONTEXT, root);
    for (let i = 1; i < SPANS_PER_TRACE; i++) {
      tracer.startSpan("GET reviews", { kind: SpanKind.CLIENT, attributes: attributes(i) }, ctx).end();
    }
    root.end();
  }
  return exporter.getFinishedSpans();
}

const hrToMicros = (t: [number, number]) => t[0] * 1_000_000 + Math.floor(t[1] / 1000);

/** The same spans as an Envoy sidecar would report them to Zipkin: tags are strings. */
function zipkinBody(spans: ReadableSpan[]): string {
  return JSON.stringify(
    spans.map((s) => {
      const ctx = s.spanContext();
      const start = hrToMicros(s.startTime);
      return {
        traceId: ctx.traceId,
        id: ctx.spanId,
        parentId: s.parentSpanContext?.spanId,
        kind: s.kind === SpanKind.SERVER ? "SERVER" : "CLIENT",
        name: s.name,
        timestamp: start,
        duration: Math.max(1, hrToMicros(s.endTime) - start),
        localEndpoint: { serviceName: "productpage.bookinfo", ipv4: "10.244.0.8" },
        remoteEndpoint: { ipv4: "10.244.0.9", port: 9080 },
        tags: Object.fromEntries(Object.entries(s.attributes).map(([k, v]) => [k, String(v)])),
      };
    }),
  );
}

interface Case {
  name: string;
  bytes: number;
  decode: () => number;
}

function measure(c: Case): { spansPerSec: number; mbPerSec: number } {
  const warmUntil = performance.now() + ROUND_MS;
  while (performance.now() < warmUntil) c.decode();
  const rates: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    let decodes = 0;
    let spans = 0;
    const start = performance.now();
    let elapsed = 0;
    while (elapsed < ROUND_MS) {
      spans += c.decode();
      decodes++;
      elapsed = performance.now() - start;
    }
    rates.push(decodes / (elapsed / 1000));
    if (spans !== decodes * SPANS) throw new Error(`${c.name} decoded ${spans / decodes} spans, expected ${SPANS}`);
  }
  const perSec = median(rates);
  return { spansPerSec: perSec * SPANS, mbPerSec: (perSec * c.bytes) / 1e6 };
}

const sdkSpans = recordSpans(SPANS);
const protobuf = ProtobufTraceSerializer.serializeRequest(sdkSpans);
const jsonBytes = JsonTraceSerializer.serializeRequest(sdkSpans);
if (protobuf === undefined || jsonBytes === undefined)
  throw new Error("the OpenTelemetry serializers returned nothing");
const json = new TextDecoder().decode(jsonBytes);
const zipkin = zipkinBody(sdkSpans);

const cases: Case[] = [
  { name: "OTLP protobuf", bytes: protobuf.length, decode: () => decodeOtlpTracesProtobuf(protobuf).spans.length },
  { name: "OTLP JSON", bytes: jsonBytes.length, decode: () => decodeOtlpTracesJson(json).spans.length },
  {
    name: "Zipkin v2 JSON",
    bytes: new TextEncoder().encode(zipkin).length,
    decode: () => decodeZipkinV2Json(zipkin).spans.length,
  },
];

console.log(
  `decode benchmark: ${SPANS} spans × 10 attributes per request, ${ROUNDS} rounds × ${ROUND_MS} ms, ` +
    `Node ${process.version}, ${cpus()[0]?.model ?? "cpu"} (median round)`,
);
const rows = cases.map((c) => {
  const { spansPerSec, mbPerSec } = measure(c);
  return [c.name, fmtInt(c.bytes), fmtInt(spansPerSec), fmtFixed(mbPerSec, 1)];
});
console.log(table(["format", "request bytes", "spans/s", "MB/s"], rows));
