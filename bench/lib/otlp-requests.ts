/**
 * OTLP/HTTP protobuf request bodies for the ingest benchmark, encoded by the real OpenTelemetry JS SDK and
 * serializer (not by our own encoder), then re-used with patched ids and times.
 *
 * Encoding 500 spans through the SDK costs milliseconds, far more than the server spends on them, so the load
 * process must not encode while it measures. It encodes a few templates up front and, per request, copies one
 * and overwrites every trace id (and shifts every timestamp) in place: each request then carries 50 traces no
 * other request has. Protobuf makes this safe: trace_id is a fixed 16-byte `bytes` field and the span times are
 * `fixed64` fields, so a patch never changes a length prefix.
 */
import { createHash, randomBytes } from "node:crypto";
import { type Attributes, ROOT_CONTEXT, type Span, SpanKind, trace } from "@opentelemetry/api";
import { ProtobufTraceSerializer } from "@opentelemetry/otlp-transformer";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  BasicTracerProvider,
  type IdGenerator,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";

export const SPANS_PER_TRACE = 10;
export const ATTRIBUTES_PER_SPAN = 10;
const SERVICES = ["frontend", "checkout", "cart", "payments", "inventory"] as const;

/** One encoded ExportTraceServiceRequest plus where its patchable fields sit. */
export interface RequestTemplate {
  bytes: Buffer;
  tracesPerRequest: number;
  spansPerRequest: number;
  /** Byte offset of every trace_id occurrence, and which trace (0..tracesPerRequest-1) it belongs to. */
  traceIdOffsets: Int32Array;
  traceIndexAt: Int32Array;
  /** Byte offset of every start/end time (fixed64 ns, little-endian) and its value in the template. */
  timeOffsets: Int32Array;
  timeValues: BigInt64Array;
}

export interface RequestSet {
  /** 8 random bytes that start every trace id of this run, so runs never collide. */
  nonce: Buffer;
  templates: RequestTemplate[];
}

export interface RequestSetOptions {
  spansPerRequest: number;
  templates: number;
  /** The time of the first span, ns since the epoch. */
  baseTimeNs: bigint;
}

/** Gap between consecutive requests' times (ns): 500 spans per 10 ms is 50,000 spans/s, the target rate,
 * so data time advances about as fast as wall time when the server keeps up. */
const REQUEST_TIME_STEP_NS = 10_000_000n;

/** Builds the templates. Deterministic for a given nonce and options (ids come from a generator seeded by the
 * nonce), so the load process and the raw-insert baseline, each building its own set, hold identical bytes. */
export function buildRequestSet(options: RequestSetOptions, nonce: Buffer = randomBytes(8)): RequestSet {
  if (options.spansPerRequest % SPANS_PER_TRACE !== 0) {
    throw new Error(`spans per request must be a multiple of ${SPANS_PER_TRACE}`);
  }
  const templates: RequestTemplate[] = [];
  for (let i = 0; i < options.templates; i++) {
    const ids = new SeededIdGenerator(nonce, i);
    templates.push(buildTemplate(options.spansPerRequest / SPANS_PER_TRACE, options.baseTimeNs, i, ids));
  }
  return { nonce, templates };
}

/** The trace id (hex) that request `seq` gives its trace number `traceIndex`. */
export function traceIdFor(set: RequestSet, seq: number, traceIndex: number): string {
  const id = Buffer.alloc(16);
  writeTraceId(id, 0, set.nonce, seq, traceIndex);
  return id.toString("hex");
}

/** Writes request number `seq` into `out` (which must be at least as large as the template) and returns the
 * filled part. Deterministic: the load process and the raw-insert baseline produce the same bytes for a seq. */
export function materialise(set: RequestSet, seq: number, out: Buffer): Buffer {
  const template = set.templates[seq % set.templates.length];
  if (template === undefined) throw new Error("empty request set");
  const { bytes } = template;
  bytes.copy(out, 0);
  for (let i = 0; i < template.traceIdOffsets.length; i++) {
    writeTraceId(out, template.traceIdOffsets[i] ?? 0, set.nonce, seq, template.traceIndexAt[i] ?? 0);
  }
  const shift = BigInt(seq) * REQUEST_TIME_STEP_NS;
  for (let i = 0; i < template.timeOffsets.length; i++) {
    out.writeBigUInt64LE((template.timeValues[i] ?? 0n) + shift, template.timeOffsets[i] ?? 0);
  }
  return out.subarray(0, bytes.length);
}

export function maxRequestBytes(set: RequestSet): number {
  return Math.max(...set.templates.map((t) => t.bytes.length));
}

// Trace id layout: nonce (8 bytes) | request seq (uint32 BE) | trace index in the request (uint32 BE).
function writeTraceId(out: Buffer, offset: number, nonce: Buffer, seq: number, traceIndex: number): void {
  nonce.copy(out, offset, 0, 8);
  out.writeUInt32BE(seq >>> 0, offset + 8);
  out.writeUInt32BE(traceIndex >>> 0, offset + 12);
}

/** Ids from SHA-256 in counter mode over (nonce, template, n): reproducible, and as well spread as random ids. */
class SeededIdGenerator implements IdGenerator {
  private counter = 0;
  constructor(
    private readonly nonce: Buffer,
    private readonly template: number,
  ) {}

  private next(bytes: number): string {
    const hash = createHash("sha256")
      .update(this.nonce)
      .update(`${this.template}:${this.counter++}`)
      .digest();
    return hash.subarray(0, bytes).toString("hex");
  }

  generateTraceId(): string {
    return this.next(16);
  }

  generateSpanId(): string {
    return this.next(8);
  }
}

function buildTemplate(traces: number, baseTimeNs: bigint, templateIndex: number, ids: IdGenerator): RequestTemplate {
  const exporter = new InMemorySpanExporter();
  const providers = SERVICES.map(
    (service) =>
      new BasicTracerProvider({
        resource: resourceFromAttributes({
          "service.name": service,
          "service.version": "1.4.2",
          "k8s.namespace.name": "bench",
          "k8s.pod.name": `${service}-7d9f8c6b5-x2x9q`,
        }),
        spanProcessors: [new SimpleSpanProcessor(exporter)],
        idGenerator: ids,
      }),
  );
  const tracers = providers.map((p) => p.getTracer("meshscope-bench", "0.1.0"));

  const traceIds: string[] = [];
  for (let t = 0; t < traces; t++) {
    // Times in whole µs (the store's unit), distinct per span so each can be found again in the encoding.
    const traceStart = baseTimeNs + BigInt(templateIndex * 7 + t) * 1_000_000n;
    let parent: Span | undefined;
    const open: Span[] = [];
    for (let i = 0; i < SPANS_PER_TRACE; i++) {
      // A call chain: server span of service k, then its client span calling service k+1, and so on.
      const serviceIndex = Math.floor((i + 1) / 2) % SERVICES.length;
      const tracer = tracers[serviceIndex];
      if (tracer === undefined) throw new Error("no tracer");
      const isServer = i % 2 === 0;
      const start = traceStart + BigInt(i) * 100_000n;
      const ctx = parent === undefined ? ROOT_CONTEXT : trace.setSpan(ROOT_CONTEXT, parent);
      const span = tracer.startSpan(
        isServer ? `GET /api/${SERVICES[serviceIndex]}/{id}` : `GET ${SERVICES[(serviceIndex + 1) % SERVICES.length]}`,
        { kind: isServer ? SpanKind.SERVER : SpanKind.CLIENT, startTime: hrTime(start), attributes: attributes(t, i) },
        ctx,
      );
      if (i === 0) traceIds.push(span.spanContext().traceId);
      open.push(span);
      parent = span;
    }
    // End innermost first, each 150 µs before its parent, so children nest inside parents.
    const traceEnd = traceStart + 20_000_000n;
    open.reverse().forEach((span, k) => {
      span.end(hrTime(traceEnd - BigInt(SPANS_PER_TRACE - 1 - k) * 150_000n - BigInt(t) * 1_000n));
    });
  }
  const spans: ReadableSpan[] = exporter.getFinishedSpans();
  const encoded = ProtobufTraceSerializer.serializeRequest(spans);
  if (encoded === undefined) throw new Error("the OpenTelemetry serializer produced no request");
  const bytes = Buffer.from(encoded);
  return { bytes, tracesPerRequest: traces, spansPerRequest: spans.length, ...locateFields(bytes, spans, traceIds) };
}

function attributes(traceIndex: number, spanIndex: number): Attributes {
  // Ten attributes of the types and sizes HTTP instrumentation produces: strings, ints, a double, a bool.
  return {
    "http.request.method": "GET",
    "http.route": "/api/items/{id}",
    "url.path": `/api/items/${1000 + traceIndex}`,
    "http.response.status_code": spanIndex === 9 && traceIndex % 20 === 0 ? 503 : 200,
    "server.address": "checkout.bench.svc.cluster.local",
    "server.port": 8080,
    "network.protocol.version": "1.1",
    "user_agent.original": "Mozilla/5.0 (X11; Linux x86_64) meshscope-bench/0.1",
    "bench.cache_ratio": 0.25 + spanIndex / 100,
    "bench.cached": spanIndex % 3 === 0,
  };
}

function hrTime(ns: bigint): [number, number] {
  return [Number(ns / 1_000_000_000n), Number(ns % 1_000_000_000n)];
}

function hrToNs(time: readonly [number, number]): bigint {
  return BigInt(time[0]) * 1_000_000_000n + BigInt(time[1]);
}

function allOffsets(haystack: Buffer, needle: Buffer): number[] {
  const found: number[] = [];
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + 1)) found.push(at);
  return found;
}

/** Finds every trace id and span time in the encoding. The counts are checked: each span carries its trace id
 * once and two times, so a miss or a stray match (vanishingly unlikely for random 16- and 8-byte values) fails
 * loudly instead of producing a request with a stale id. */
function locateFields(bytes: Buffer, spans: ReadableSpan[], traceIds: string[]) {
  const idOffsets: number[] = [];
  const idTrace: number[] = [];
  traceIds.forEach((id, t) => {
    for (const at of allOffsets(bytes, Buffer.from(id, "hex"))) {
      idOffsets.push(at);
      idTrace.push(t);
    }
  });
  if (idOffsets.length !== spans.length) {
    throw new Error(`found ${idOffsets.length} trace ids in the encoding, expected ${spans.length}`);
  }

  const values = new Set<bigint>();
  for (const span of spans) {
    values.add(hrToNs(span.startTime));
    values.add(hrToNs(span.endTime));
  }
  const timeOffsets: number[] = [];
  const timeValues: bigint[] = [];
  const le = Buffer.alloc(8);
  for (const value of values) {
    le.writeBigUInt64LE(value);
    for (const at of allOffsets(bytes, le)) {
      timeOffsets.push(at);
      timeValues.push(value);
    }
  }
  if (timeOffsets.length !== spans.length * 2) {
    throw new Error(`found ${timeOffsets.length} span times in the encoding, expected ${spans.length * 2}`);
  }
  return {
    traceIdOffsets: Int32Array.from(idOffsets),
    traceIndexAt: Int32Array.from(idTrace),
    timeOffsets: Int32Array.from(timeOffsets),
    timeValues: BigInt64Array.from(timeValues),
  };
}
