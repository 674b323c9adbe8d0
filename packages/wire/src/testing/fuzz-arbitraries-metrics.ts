/**
 * Fuzz targets of the metric decoders: OTLP metrics (protobuf and JSON), Prometheus text exposition 0.0.4 (what
 * the scraper parses) and Prometheus remote-write 1.0 (snappy + protobuf). See fuzz-arbitraries.ts for what
 * every target asserts. Test support only (excluded from the package build).
 */
import { readFileSync } from "node:fs";
import { ProtobufMetricsSerializer } from "@opentelemetry/otlp-transformer";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { MeterProvider, MetricReader } from "@opentelemetry/sdk-metrics";
import fc from "fast-check";
import { decodeOtlpMetricsJson } from "../otlp-metrics/decode-json.js";
import { decodeOtlpMetricsProtobuf } from "../otlp-metrics/decode-protobuf.js";
import type { OtlpMetricsRequest } from "../otlp-metrics/types.js";
import { parsePrometheusText } from "../prometheus/parse-text.js";
import { BodyTooLargeError } from "../remote-write/body-too-large-error.js";
import { decodeRemoteWrite } from "../remote-write/decode-remote-write.js";
import { encodeLabels, WriteRequestBuilder } from "../remote-write/encode-write-request.js";
import { snappyCompress } from "../remote-write/snappy-compress.js";
import {
  assertSame,
  decodeOrDocumentedError,
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
import { otelMetricsCases } from "./otel-metrics-fixtures.js";
import { varint } from "./proto-writer.js";

// --- OTLP metrics ---------------------------------------------------------------------------------------------

/** The invariants the metric ingest relies on (types.ts): kinds, histogram shapes, string labels. */
function assertMetricsShape(request: OtlpMetricsRequest): void {
  for (const p of request.points) {
    if (!["counter", "gauge", "histogram"].includes(p.kind)) throw new Error(`point of kind ${p.kind}`);
    for (const [k, v] of Object.entries(p.labels)) {
      if (typeof v !== "string") throw new Error(`label ${k} is a ${typeof v}, not a string`);
    }
    if (p.kind === "histogram") {
      const bounds = p.bounds ?? [];
      const counts = p.bucketCounts ?? [];
      const shaped = (bounds.length === 0 && counts.length === 0) || counts.length === bounds.length + 1;
      if (!shaped) throw new Error(`histogram ${p.name} has ${bounds.length} bounds and ${counts.length} counts`);
    } else if (p.value === undefined && p.noRecordedValue !== true) {
      throw new Error(`${p.kind} ${p.name} has no value and no FLAG_NO_RECORDED_VALUE`);
    }
  }
}

function checkedMetrics(decode: () => OtlpMetricsRequest): void {
  const result = decodeOrDocumentedError(decode, isWireError);
  if (result !== undefined) assertMetricsShape(result);
}

class CollectingReader extends MetricReader {
  protected override async onShutdown(): Promise<void> {}
  protected override async onForceFlush(): Promise<void> {}
}

const metricName = fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_]{0,20}$/);
const counterAdds = fc.array(
  fc.record({
    name: fc.constantFrom("istio_requests_total", "requests", "a"),
    attributes: fc.dictionary(metricName, fc.string({ unit: "binary", maxLength: 20 }), { maxKeys: 4 }),
    value: fc.integer({ min: 0, max: 1_000_000 }),
  }),
  { minLength: 1, maxLength: 8 },
);

/** Records the adds on real SDK counters (cumulative) and serializes one collection with the real serializer. */
async function sdkCounterRequest(
  adds: ReadonlyArray<{ name: string; attributes: Record<string, string>; value: number }>,
) {
  const reader = new CollectingReader();
  const provider = new MeterProvider({
    resource: resourceFromAttributes({ "service.name": "fuzz" }),
    readers: [reader],
  });
  const meter = provider.getMeter("meshscope-fuzz");
  const counters = new Map<string, ReturnType<typeof meter.createCounter>>();
  for (const add of adds) {
    const counter = counters.get(add.name) ?? meter.createCounter(add.name);
    counters.set(add.name, counter);
    counter.add(add.value, add.attributes);
  }
  const { resourceMetrics } = await reader.collect();
  await provider.shutdown();
  const bytes = ProtobufMetricsSerializer.serializeRequest(resourceMetrics);
  if (bytes === undefined) throw new Error("ProtobufMetricsSerializer returned nothing");
  return bytes;
}

/** What the adds sum to per series: name + attributes (sorted) → total. */
function expectedSums(adds: ReadonlyArray<{ name: string; attributes: Record<string, string>; value: number }>) {
  const sums = new Map<string, number>();
  for (const a of adds) {
    const key = `${a.name} ${JSON.stringify(Object.entries(a.attributes).sort(([x], [y]) => (x < y ? -1 : 1)))}`;
    sums.set(key, (sums.get(key) ?? 0) + a.value);
  }
  return [...sums].sort(([a], [b]) => (a < b ? -1 : 1));
}

let metricSeeds: { protobuf: Uint8Array[]; json: string[] } | undefined;

/** Valid requests made by the real SDK and serializers (async: the SDK collects asynchronously). */
export async function prepareMetricSeeds(): Promise<void> {
  if (metricSeeds !== undefined) return;
  const cases = await otelMetricsCases();
  metricSeeds = { protobuf: cases.map((c) => c.protobuf), json: cases.map((c) => c.json) };
}

function seeds(): { protobuf: Uint8Array[]; json: string[] } {
  if (metricSeeds === undefined) throw new Error("call prepareMetricSeeds() before checking the OTLP metrics targets");
  return metricSeeds;
}

const OTLP_METRICS_PATH = ["resourceMetrics", "scopeMetrics", "metrics", "histogram", "dataPoints", "bucketCounts"];

/** Call `prepareMetricSeeds()` first. */
export function otlpMetricsTargets(): FuzzTarget[] {
  return [
    fuzzTarget("otlp-metrics-protobuf: SDK counter round trip", 60, otlpMetricsRoundTrip),
    fuzzTarget("otlp-metrics-protobuf: arbitrary bytes", 600, () =>
      fc.property(fc.uint8Array({ maxLength: 2048 }), (b) => checkedMetrics(() => decodeOtlpMetricsProtobuf(b))),
    ),
    fuzzTarget("otlp-metrics-protobuf: protobuf-shaped bytes", 500, () =>
      fc.property(protobufShapedBytes(), (b) => checkedMetrics(() => decodeOtlpMetricsProtobuf(b))),
    ),
    fuzzTarget("otlp-metrics-protobuf: mutated SDK requests", 800, () =>
      fc.property(mutatedBytes(seeds().protobuf), (b) => checkedMetrics(() => decodeOtlpMetricsProtobuf(b))),
    ),
    fuzzTarget("otlp-metrics-json: arbitrary text", 600, () =>
      fc.property(jsonishText, (t) => checkedMetrics(() => decodeOtlpMetricsJson(t))),
    ),
    fuzzTarget("otlp-metrics-json: random values at OTLP paths", 600, () =>
      fc.property(otlpJsonEnvelope(fc.jsonValue({ maxDepth: 3 }), OTLP_METRICS_PATH), (t) =>
        checkedMetrics(() => decodeOtlpMetricsJson(t)),
      ),
    ),
    fuzzTarget("otlp-metrics-json: mutated SDK requests (bytes)", 400, () =>
      fc.property(mutatedText(seeds().json), (t) => checkedMetrics(() => decodeOtlpMetricsJson(t))),
    ),
    fuzzTarget("otlp-metrics-json: mutated SDK requests (JSON tree)", 800, () =>
      fc.property(mutatedJson(seeds().json.map((t): unknown => JSON.parse(t))), (t) =>
        checkedMetrics(() => decodeOtlpMetricsJson(t)),
      ),
    ),
  ];
}

/**
 * Round trip through the real metrics SDK: counter adds → SDK collection → OTLP protobuf → our decoder gives one
 * counter point per series with the summed value and the attributes as labels. Async (the SDK's collect is).
 */
function otlpMetricsRoundTrip() {
  return fc.asyncProperty(counterAdds, async (adds) => {
    const decoded = decodeOtlpMetricsProtobuf(await sdkCounterRequest(adds));
    const got = decoded.points
      .map((p): [string, number | undefined, string] => {
        const { "service.name": service, ...labels } = p.labels;
        const key = `${p.name} ${JSON.stringify(Object.entries(labels).sort(([x], [y]) => (x < y ? -1 : 1)))}`;
        return [key, p.value, `${p.kind}/${service}`];
      })
      .sort(([a], [b]) => (a < b ? -1 : 1));
    assertSame(
      "decoded counter points",
      got,
      expectedSums(adds).map(([key, sum]) => [key, sum, "counter/fuzz"]),
    );
  });
}

// --- Prometheus text exposition -------------------------------------------------------------------------------

const ISTIO_EXPOSITION = readFileSync(new URL("../prometheus/fixtures/istio-bookinfo.prom", import.meta.url), "utf8");

const promSample = fc.record({
  name: fc.stringMatching(/^[a-zA-Z_:][a-zA-Z0-9_:]{0,30}$/),
  labels: fc.dictionary(
    fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_]{0,15}$/).filter((n) => !n.startsWith("__")),
    fc.string({ unit: "binary", minLength: 1, maxLength: 30 }),
    { maxKeys: 6 },
  ),
  value: fc.oneof(fc.double(), fc.integer()),
  timestampMs: fc.option(fc.integer({ min: -(2 ** 40), max: 2 ** 42 }), { nil: null }),
});
type PromSample = typeof promSample extends fc.Arbitrary<infer T> ? T : never;

const escapeLabelValue = (v: string) => v.replaceAll("\\", "\\\\").replaceAll('"', '\\"').replaceAll("\n", "\\n");

function formatValue(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Number.POSITIVE_INFINITY) return "+Inf";
  if (v === Number.NEGATIVE_INFINITY) return "-Inf";
  return Object.is(v, -0) ? "-0" : String(v);
}

/** Text exposition 0.0.4 of `samples`, written the way client_golang's expfmt writes it. */
function exposition(samples: readonly PromSample[]): string {
  return samples
    .map((s) => {
      const labels = Object.entries(s.labels).map(([k, v]) => `${k}="${escapeLabelValue(v)}"`);
      const ts = s.timestampMs === null ? "" : ` ${s.timestampMs}`;
      return `${s.name}${labels.length === 0 ? "" : `{${labels.join(",")}}`} ${formatValue(s.value)}${ts}\n`;
    })
    .join("");
}

const expositionText = fc.array(promSample, { maxLength: 6 }).map(exposition);

/** Prometheus-text-like junk: the format's own tokens in random order, lines of random length. */
const promishText = fc
  .array(
    fc.oneof(
      fc.constantFrom("# TYPE ", "# HELP ", "#", "counter", "histogram", "{", "}", "=", '"', ",", "\\", "\n", "\r\n"),
      fc.constantFrom(" ", "\t", "le", "+Inf", "-Inf", "NaN", "1e308", "0x1p3", "_bucket", "_sum", "_count", "\\n"),
      fc.stringMatching(/^[a-z_]{1,6}$/),
      fc.string({ unit: "binary", maxLength: 6 }),
      fc.double().map(String),
    ),
    { maxLength: 80 },
  )
  .map((tokens) => tokens.join(""));

const PROM_MAX_ERRORS = 20;

/** parsePrometheusText never throws (a bad line is an entry in `errors`); its output is bounded by the input. */
function checkedPrometheus(text: string): void {
  const result = decodeOrDocumentedError(
    () => parsePrometheusText(text, { maxErrors: PROM_MAX_ERRORS, maxSeries: 50 }),
    () => false,
  );
  if (result === undefined) throw new Error("unreachable: parsePrometheusText returned nothing");
  const lines = text.split("\n").length;
  if (result.samples.length > Math.min(lines, 50))
    throw new Error(`${result.samples.length} samples from ${lines} lines`);
  if (result.errors.length > PROM_MAX_ERRORS + 1) throw new Error(`${result.errors.length} errors listed`);
  for (const e of result.errors) {
    if (!(e.line >= 1 && e.line <= lines)) throw new Error(`error on line ${e.line} of ${lines}`);
  }
  for (const s of result.samples) {
    for (const v of Object.values(s.labels)) if (v === "") throw new Error(`empty label value kept in ${s.name}`);
  }
}

export function prometheusTextTargets(): FuzzTarget[] {
  const seedTexts = [ISTIO_EXPOSITION, ...fc.sample(expositionText, { numRuns: 6, seed: 3 })];
  return [
    fuzzTarget("prometheus-text: arbitrary text", 600, () =>
      fc.property(
        fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: "binary", maxLength: 300 })),
        checkedPrometheus,
      ),
    ),
    fuzzTarget("prometheus-text: exposition-like junk", 600, () => fc.property(promishText, checkedPrometheus)),
    fuzzTarget("prometheus-text: mutated expositions", 200, () =>
      fc.property(mutatedText(seedTexts), checkedPrometheus),
    ),
    fuzzTarget("prometheus-text: round trip of names, labels, values and timestamps", 300, () =>
      fc.property(fc.array(promSample, { maxLength: 6 }), (samples) => {
        const result = parsePrometheusText(exposition(samples));
        assertSame("parse errors", result.errors, []);
        assertSame(
          "parsed samples",
          result.samples.map((s) => ({ ...s, value: formatValue(s.value) })),
          samples.map((s) => ({ ...s, value: formatValue(s.value) })),
        );
      }),
    ),
  ];
}

// --- Prometheus remote-write ----------------------------------------------------------------------------------

/** Small, so a hostile preamble meets it quickly; the server's default is 32 MiB. */
const FUZZ_MAX_DECOMPRESSED = 256 * 1024;

const isRemoteWriteError = (error: unknown) => isWireError(error) || error instanceof BodyTooLargeError;

function checkedRemoteWrite(body: Uint8Array): void {
  const result = decodeOrDocumentedError(
    () => decodeRemoteWrite(body, { maxDecompressedBytes: FUZZ_MAX_DECOMPRESSED }),
    isRemoteWriteError,
  );
  if (result === undefined) return;
  for (const series of result.timeseries) {
    for (const [k, v] of Object.entries(series.labels)) {
      if (k === "" || v === "") throw new Error(`empty label name or value kept: ${JSON.stringify([k, v])}`);
    }
  }
}

/** A snappy block of literals only (valid snappy, not compressed), as other senders may write. */
function snappyLiterals(raw: Uint8Array): Uint8Array {
  const out: number[] = [];
  let n = raw.length;
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  for (let at = 0; at < raw.length; at += 65_536) {
    const chunk = raw.subarray(at, at + 65_536);
    const m = chunk.length - 1;
    out.push(...(m < 60 ? [m << 2] : m < 256 ? [60 << 2, m] : [61 << 2, m & 0xff, m >> 8]), ...chunk);
  }
  return Uint8Array.from(out);
}

const rwSeries = fc.record({
  labels: fc.dictionary(
    fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_]{0,15}$/),
    fc.string({ unit: "binary", minLength: 1, maxLength: 30 }),
    { minKeys: 1, maxKeys: 6 },
  ),
  // NaN is left out: the staleness marker is a NaN, flagged specially; its round trip has its own tests.
  value: fc.double({ noNaN: true }),
  timestampMs: fc.integer({ min: 0, max: 2 ** 42 }),
});
const rwRequest = fc.array(rwSeries, { minLength: 1, maxLength: 6 });
type RwSeries = typeof rwSeries extends fc.Arbitrary<infer T> ? T : never;

function writeRequestProtobuf(series: readonly RwSeries[]): Uint8Array {
  const builder = new WriteRequestBuilder();
  for (const s of series) builder.addSeries(encodeLabels(s.labels), s.value, s.timestampMs);
  return builder.protobuf().slice();
}

export function remoteWriteTargets(): FuzzTarget[] {
  const requests = fc.sample(rwRequest, { numRuns: 6, seed: 5 }).map(writeRequestProtobuf);
  const protobufSeeds = requests;
  const bodySeeds = [...requests.map(snappyCompress), ...requests.map(snappyLiterals)];
  return [
    fuzzTarget("remote-write: arbitrary bytes", 800, () =>
      fc.property(fc.uint8Array({ maxLength: 2048 }), checkedRemoteWrite),
    ),
    fuzzTarget("remote-write: valid snappy around protobuf-shaped bytes", 500, () =>
      fc.property(protobufShapedBytes(), fc.boolean(), (raw, literal) =>
        checkedRemoteWrite(literal ? snappyLiterals(raw) : snappyCompress(raw)),
      ),
    ),
    fuzzTarget("remote-write: mutated bodies (snappy bytes)", 800, () =>
      fc.property(mutatedBytes(bodySeeds), checkedRemoteWrite),
    ),
    fuzzTarget("remote-write: mutated WriteRequests in valid snappy", 800, () =>
      fc.property(mutatedBytes(protobufSeeds), (raw) => checkedRemoteWrite(snappyCompress(raw))),
    ),
    fuzzTarget("remote-write: declared length over the limit is refused before allocation", 300, () =>
      fc.property(fc.integer({ min: FUZZ_MAX_DECOMPRESSED + 1, max: 2 ** 32 - 1 }), fc.uint8Array(), (n, rest) => {
        // Snappy's preamble is the uncompressed length as a varint (google/snappy format_description.txt).
        try {
          decodeRemoteWrite(Uint8Array.from([...varint(n), ...rest]), { maxDecompressedBytes: FUZZ_MAX_DECOMPRESSED });
        } catch (error) {
          if (error instanceof BodyTooLargeError) return;
          throw error;
        }
        throw new Error(`a body declaring ${n} bytes was accepted`);
      }),
    ),
    fuzzTarget("remote-write: round trip of labels, values and timestamps", 150, () =>
      fc.property(rwRequest, fc.boolean(), (series, literal) => {
        const raw = writeRequestProtobuf(series);
        const decoded = decodeRemoteWrite(literal ? snappyLiterals(raw) : snappyCompress(raw));
        assertSame(
          "decoded series",
          decoded.timeseries.map((s) => ({ labels: s.labels, samples: s.samples })),
          series.map((s) => ({ labels: s.labels, samples: [{ value: s.value, timestampMs: s.timestampMs }] })),
        );
      }),
    ),
  ];
}
