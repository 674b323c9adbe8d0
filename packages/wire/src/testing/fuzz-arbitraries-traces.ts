/**
 * Fuzz targets of the trace decoders: OTLP protobuf, OTLP JSON and Zipkin v2 JSON (see fuzz-arbitraries.ts for
 * what every target asserts). Valid inputs and round trips come from the real OpenTelemetry SDK and its OTLP
 * serializers, never from our own encoder. Test support only (excluded from the package build).
 */
import { type HrTime, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import fc from "fast-check";
import { decodeOtlpTracesJson } from "../otlp/decode-json.js";
import { decodeOtlpTracesProtobuf } from "../otlp/decode-protobuf.js";
import { decodeZipkinV2Json } from "../zipkin/decode-zipkin.js";
import {
  assertSame,
  assertWithinLimits,
  decodeOrDocumentedError,
  FUZZ_LIMITS,
  type FuzzTarget,
  fuzzTarget,
  isWireError,
  jsonishText,
  mutatedBytes,
  mutatedJson,
  mutatedText,
  otlpJsonEnvelope,
  protobufShapedBytes,
} from "./fuzz-arbitraries.js";
import { GOLDEN_RESOURCE } from "./golden-constants.js";
import { expectedRecord, goldenFixture, jsonRequest, protobufRequest, recordGoldenSpans } from "./otel-fixtures.js";

/** Decodes with the small fuzz limits; the result (if any) must respect them. */
function checkedProtobuf(bytes: Uint8Array): void {
  const result = decodeOrDocumentedError(() => decodeOtlpTracesProtobuf(bytes, FUZZ_LIMITS), isWireError);
  if (result !== undefined) assertWithinLimits(result, FUZZ_LIMITS);
}

function checkedJson(decode: typeof decodeOtlpTracesJson, text: string): void {
  const result = decodeOrDocumentedError(() => decode(text, FUZZ_LIMITS), isWireError);
  if (result !== undefined) assertWithinLimits(result, FUZZ_LIMITS);
}

// --- SDK-made spans -------------------------------------------------------------------------------------------

const attributeKey = fc.oneof(
  fc.constantFrom("http.method", "peer.service", "__proto__", "constructor", "a.b.c", "ключ"),
  fc.string({ minLength: 1, maxLength: 12 }),
);
// Integers and doubles in the range the SDK encodes faithfully (a double that happens to be an integer goes
// out as intValue, which must fit int64); -0 would come back as 0 through either encoding.
const finiteDouble = fc.double({ min: -1e12, max: 1e12, noNaN: true }).map((d) => (Object.is(d, -0) ? 0 : d));
const attributeValue = fc.oneof(
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.integer(),
  finiteDouble,
  fc.boolean(),
  fc.array(fc.string({ maxLength: 8 }), { maxLength: 4 }),
  fc.array(fc.integer(), { maxLength: 4 }),
  fc.array(fc.boolean(), { maxLength: 4 }),
);
const attributes = fc.dictionary(attributeKey, attributeValue, { maxKeys: 6 });

const spanSpec = fc.record({
  name: fc.string({ unit: "binary", maxLength: 30 }),
  kind: fc.constantFrom(SpanKind.INTERNAL, SpanKind.SERVER, SpanKind.CLIENT, SpanKind.PRODUCER, SpanKind.CONSUMER),
  attributes,
  startSeconds: fc.integer({ min: 1_000_000_000, max: 4_000_000_000 }),
  startNanos: fc.integer({ min: 0, max: 999_999_999 }),
  durationNanos: fc.integer({ min: 0, max: 10 ** 12 }),
  status: fc.constantFrom(SpanStatusCode.UNSET, SpanStatusCode.OK, SpanStatusCode.ERROR),
  statusMessage: fc.string({ maxLength: 20 }),
  events: fc.array(fc.record({ name: fc.string({ maxLength: 12 }), attributes }), { maxLength: 3 }),
  parent: fc.integer({ min: -1, max: 5 }),
});

type SpanSpec = typeof spanSpec extends fc.Arbitrary<infer T> ? T : never;

/** Records `specs` as one trace with the real SDK: span i's parent is span `parent` if it started earlier. */
function recordSpans(specs: readonly SpanSpec[]) {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes(GOLDEN_RESOURCE),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer("meshscope-fuzz", "0.0.1");
  const started: ReturnType<typeof tracer.startSpan>[] = [];
  for (const spec of specs) {
    const parent = spec.parent >= 0 ? started[spec.parent] : undefined;
    const ctx = parent === undefined ? ROOT_CONTEXT : trace.setSpan(ROOT_CONTEXT, parent);
    const start: HrTime = [spec.startSeconds, spec.startNanos];
    const endTotal = spec.startNanos + spec.durationNanos;
    const end: HrTime = [spec.startSeconds + Math.floor(endTotal / 1e9), endTotal % 1e9];
    const span = tracer.startSpan(spec.name, { kind: spec.kind, attributes: spec.attributes, startTime: start }, ctx);
    for (const e of spec.events) span.addEvent(e.name, e.attributes, start);
    span.setStatus(
      spec.status === SpanStatusCode.ERROR ? { code: spec.status, message: spec.statusMessage } : { code: spec.status },
    );
    started.push(span);
    span.end(end);
  }
  return exporter.getFinishedSpans();
}

const traceSpecs = fc.array(spanSpec, { minLength: 1, maxLength: 6 });

/** A few SDK-encoded requests as seeds for the mutation properties, made once per process. */
let seedRequests: { protobuf: Uint8Array[]; json: string[] } | undefined;
function traceSeeds(): { protobuf: Uint8Array[]; json: string[] } {
  if (seedRequests === undefined) {
    const golden = goldenFixture();
    const generated = fc.sample(traceSpecs, { numRuns: 6, seed: 42 }).map(recordSpans);
    const all = [recordGoldenSpans(), ...generated];
    seedRequests = {
      protobuf: [golden.protobuf, ...all.map(protobufRequest)],
      json: [golden.json, ...all.map(jsonRequest)],
    };
  }
  return seedRequests;
}

const OTLP_JSON_PATH = ["resourceSpans", "scopeSpans", "spans", "attributes", "value", "arrayValue", "values"];

export function otlpTracesProtobufTargets(): FuzzTarget[] {
  return [
    fuzzTarget("otlp-traces-protobuf: arbitrary bytes", 1000, () =>
      fc.property(fc.uint8Array({ maxLength: 2048 }), (bytes) => checkedProtobuf(bytes)),
    ),
    fuzzTarget("otlp-traces-protobuf: protobuf-shaped bytes", 1000, () =>
      fc.property(protobufShapedBytes(), (bytes) => checkedProtobuf(bytes)),
    ),
    fuzzTarget("otlp-traces-protobuf: mutated SDK requests", 600, () => {
      const seeds = traceSeeds().protobuf;
      return fc.property(mutatedBytes(seeds), (bytes) => checkedProtobuf(bytes));
    }),
    fuzzTarget("otlp-traces-protobuf: SDK round trip", 100, () =>
      fc.property(traceSpecs, (specs) => {
        const spans = recordSpans(specs);
        const decoded = decodeOtlpTracesProtobuf(protobufRequest(spans));
        assertSame("protobuf-decoded spans", decoded.spans, spans.map(expectedRecord));
      }),
    ),
  ];
}

export function otlpTracesJsonTargets(): FuzzTarget[] {
  return [
    fuzzTarget("otlp-traces-json: arbitrary text", 1000, () =>
      fc.property(jsonishText, (text) => checkedJson(decodeOtlpTracesJson, text)),
    ),
    fuzzTarget("otlp-traces-json: random values at OTLP paths", 600, () =>
      fc.property(otlpJsonEnvelope(fc.jsonValue({ maxDepth: 3 }), OTLP_JSON_PATH), (text) =>
        checkedJson(decodeOtlpTracesJson, text),
      ),
    ),
    fuzzTarget("otlp-traces-json: mutated SDK requests (bytes)", 300, () => {
      const seeds = traceSeeds().json;
      return fc.property(mutatedText(seeds), (text) => checkedJson(decodeOtlpTracesJson, text));
    }),
    fuzzTarget("otlp-traces-json: mutated SDK requests (JSON tree)", 800, () => {
      const seeds = traceSeeds().json.map((t): unknown => JSON.parse(t));
      return fc.property(mutatedJson(seeds), (text) => checkedJson(decodeOtlpTracesJson, text));
    }),
    fuzzTarget("otlp-traces-json: SDK round trip", 100, () =>
      fc.property(traceSpecs, (specs) => {
        const spans = recordSpans(specs);
        const decoded = decodeOtlpTracesJson(jsonRequest(spans));
        assertSame("JSON-decoded spans", decoded.spans, spans.map(expectedRecord));
      }),
    ),
  ];
}

// --- Zipkin ---------------------------------------------------------------------------------------------------

const hex = (length: number) =>
  fc
    .uint8Array({ minLength: length / 2, maxLength: length / 2 })
    .filter((b) => b.some((x) => x !== 0))
    .map((b) => Buffer.from(b).toString("hex"));

const zipkinSpan = fc.record(
  {
    traceId: fc.oneof(hex(32), hex(16)),
    id: hex(16),
    parentId: hex(16),
    kind: fc.constantFrom("CLIENT", "SERVER", "PRODUCER", "CONSUMER"),
    name: fc.string({ maxLength: 30 }),
    timestamp: fc.integer({ min: 1, max: 2 ** 52 }),
    duration: fc.integer({ min: 1, max: 10 ** 10 }),
    localEndpoint: fc.record(
      { serviceName: fc.string({ minLength: 1, maxLength: 20 }), ipv4: fc.ipV4(), port: fc.nat({ max: 65535 }) },
      { requiredKeys: ["serviceName"] },
    ),
    tags: fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), fc.string({ maxLength: 30 }), { maxKeys: 5 }),
    annotations: fc.array(fc.record({ timestamp: fc.integer({ min: 1, max: 2 ** 52 }), value: fc.string() }), {
      maxLength: 3,
    }),
  },
  { requiredKeys: ["traceId", "id", "name", "timestamp", "localEndpoint"] },
);
// Distinct span ids: two spans sharing an id are a client/server pair, which the decoder splits on purpose.
const zipkinSpans = fc.uniqueArray(zipkinSpan, { selector: (s) => s.id, minLength: 1, maxLength: 5 });

const ZIPKIN_SEEDS = fc.sample(zipkinSpans, { numRuns: 8, seed: 7 }).map((spans) => JSON.stringify(spans));

export function zipkinTargets(): FuzzTarget[] {
  return [
    fuzzTarget("zipkin-v2-json: arbitrary text", 1000, () =>
      fc.property(jsonishText, (text) => checkedJson(decodeZipkinV2Json, text)),
    ),
    fuzzTarget("zipkin-v2-json: mutated spans (bytes)", 600, () =>
      fc.property(mutatedText(ZIPKIN_SEEDS), (text) => checkedJson(decodeZipkinV2Json, text)),
    ),
    fuzzTarget("zipkin-v2-json: mutated spans (JSON tree)", 800, () =>
      fc.property(mutatedJson(ZIPKIN_SEEDS.map((t): unknown => JSON.parse(t))), (text) =>
        checkedJson(decodeZipkinV2Json, text),
      ),
    ),
    fuzzTarget("zipkin-v2-json: round trip of ids, names, times and tags", 200, () =>
      fc.property(zipkinSpans, (spans) => {
        const { spans: decoded } = decodeZipkinV2Json(JSON.stringify(spans));
        assertSame(
          "Zipkin-decoded spans",
          decoded.map((d) => ({
            traceId: d.traceId,
            spanId: d.spanId,
            parentSpanId: d.parentSpanId,
            name: d.name,
            kind: d.kind,
            startUs: d.startUs,
            durationUs: d.durationUs,
            service: d.service,
            tags: Object.fromEntries(
              Object.entries(d.attributes).filter(([k]) => Object.hasOwn(spansTags(spans, d.spanId), k)),
            ),
            events: d.events.map((e) => ({ timeUs: e.timeUs, name: e.name })),
          })),
          spans.map((s) => ({
            traceId: s.traceId.padStart(32, "0"),
            spanId: s.id,
            parentSpanId: s.parentId ?? null,
            name: s.name,
            kind: s.kind === undefined ? "unspecified" : s.kind.toLowerCase(),
            startUs: s.timestamp,
            durationUs: s.duration ?? 0,
            service: s.localEndpoint.serviceName,
            tags: s.tags ?? {},
            events: (s.annotations ?? []).map((a) => ({ timeUs: a.timestamp, name: a.value })),
          })),
        );
      }),
    ),
  ];
}

function spansTags(spans: ReadonlyArray<{ id: string; tags?: Record<string, string> }>, id: string) {
  return spans.find((s) => s.id === id)?.tags ?? {};
}
