import { beforeAll, describe, expect, it } from "vitest";
import { WireError } from "../errors.js";
import { type OtelMetricsCase, otelMetricsCases } from "../testing/otel-metrics-fixtures.js";
import { decodeOtlpMetricsJson } from "./decode-json.js";
import { decodeOtlpMetricsProtobuf } from "./decode-protobuf.js";
import type { OtlpMetricPoint } from "./types.js";

function sortKey(p: OtlpMetricPoint): string {
  const labels = Object.keys(p.labels)
    .sort()
    .map((k) => `${k}=${p.labels[k]}`);
  return `${p.name}{${labels.join(",")}}`;
}

const sorted = (points: OtlpMetricPoint[]) =>
  [...points].sort((a, b) => sortKey(a).localeCompare(sortKey(b))).map((p) => ({ ...p, labels: { ...p.labels } }));

/**
 * Oracle test: requests encoded by `@opentelemetry/otlp-transformer` 0.223.1 (ProtobufMetricsSerializer and
 * JsonMetricsSerializer, what the OTLP exporters send) from a real `@opentelemetry/sdk-metrics` 2.12.1
 * MeterProvider, cumulative and delta. Decoding either encoding must give the points the SDK itself holds.
 */
describe("OTLP metrics decoders against the OpenTelemetry JS SDK and serializers", () => {
  let cases: OtelMetricsCase[] = [];

  beforeAll(async () => {
    cases = await otelMetricsCases();
  });

  it("builds four requests: cumulative and delta, two collections each", () => {
    expect(cases.map((c) => c.label)).toEqual([
      "cumulative, first collection",
      "cumulative, second collection",
      "delta, first collection",
      "delta, second collection",
    ]);
  });

  it("decodes the protobuf encoding to exactly the SDK's points", () => {
    for (const c of cases) {
      expect(sorted(decodeOtlpMetricsProtobuf(c.protobuf).points), c.label).toEqual(sorted(c.expected));
    }
  });

  it("decodes the JSON encoding to exactly the SDK's points", () => {
    for (const c of cases) {
      expect(sorted(decodeOtlpMetricsJson(c.json).points), c.label).toEqual(sorted(c.expected));
    }
  });

  it("maps an Istio counter to a counter with its temporality and Istio labels by name", () => {
    const find = (label: string) =>
      decodeOtlpMetricsProtobuf(cases.find((c) => c.label === label)?.protobuf ?? new Uint8Array()).points.find(
        (p) => p.name === "istio_requests_total" && p.labels.response_flags === "UO",
      );
    const cumulative = find("cumulative, second collection");
    expect(cumulative).toMatchObject({ kind: "counter", temporality: "cumulative", value: 2 });
    expect(cumulative?.labels).toMatchObject({ reporter: "source", response_code: "503", "service.name": "reviews" });
    const deltaFirst = find("delta, first collection");
    expect(deltaFirst).toMatchObject({ kind: "counter", temporality: "delta", value: 2 });
  });

  it("flattens non-string resource attributes to their text", () => {
    const point = decodeOtlpMetricsJson(cases[0]?.json ?? "{}").points[0];
    expect(point?.labels["meshscope.shard"]).toBe("3");
    expect(point?.labels["meshscope.canary"]).toBe("true");
  });

  it("throws only WireError for every truncation and byte mutation of a real request", () => {
    const bytes = cases[1]?.protobuf ?? new Uint8Array();
    const json = cases[1]?.json ?? "";
    let seed = 3;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const attempts: Array<() => unknown> = [];
    for (let n = 0; n < bytes.length; n += 3) attempts.push(() => decodeOtlpMetricsProtobuf(bytes.subarray(0, n)));
    for (let n = 0; n < json.length; n += 13) attempts.push(() => decodeOtlpMetricsJson(json.slice(0, n)));
    for (let round = 0; round < 1000; round++) {
      const mutated = bytes.slice();
      mutated[rand(mutated.length)] = rand(256);
      attempts.push(() => decodeOtlpMetricsProtobuf(mutated));
      const at = rand(json.length);
      const mutatedJson = `${json.slice(0, at)}${'{}[]",:0-ea'[rand(11)]}${json.slice(at + 1)}`;
      attempts.push(() => decodeOtlpMetricsJson(mutatedJson));
    }
    let rejected = 0;
    for (const attempt of attempts) {
      try {
        attempt();
      } catch (err) {
        expect(err).toBeInstanceOf(WireError);
        rejected++;
      }
    }
    expect(rejected).toBeGreaterThan(attempts.length / 4);
  }, 20_000);

  it("keeps Envoy's bucket bounds from the request and one more bucket count for +Inf", () => {
    const h = decodeOtlpMetricsProtobuf(cases[0]?.protobuf ?? new Uint8Array()).points.find(
      (p) => p.kind === "histogram",
    );
    expect(h?.bounds).toHaveLength(19);
    expect(h?.bounds?.at(-1)).toBe(3600000);
    expect(h?.bucketCounts).toHaveLength(20);
    expect(h?.bucketCounts?.at(-1)).toBe(1); // the 5,000,000 ms request
    expect(h?.count).toBe(6);
  });
});
