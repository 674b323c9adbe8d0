import { decodeRemoteWrite, parsePrometheusText } from "@meshscope/wire";
import { describe, expect, it } from "vitest";
import type { IstioRequestLabels } from "../sim/contracts.js";
import { ENVOY_DEFAULT_BUCKETS, ISTIO_LABEL_ORDER, IstioMetricsRegistry } from "./metrics-registry.js";

function labels(overrides: Partial<IstioRequestLabels> = {}): IstioRequestLabels {
  return {
    reporter: "destination",
    source_workload: "productpage-v1",
    source_canonical_service: "productpage",
    source_canonical_revision: "v1",
    source_workload_namespace: "default",
    source_principal: "spiffe://cluster.local/ns/default/sa/bookinfo-productpage",
    source_app: "productpage",
    source_version: "v1",
    source_cluster: "Kubernetes",
    destination_workload: "reviews-v2",
    destination_workload_namespace: "default",
    destination_principal: "spiffe://cluster.local/ns/default/sa/bookinfo-reviews",
    destination_app: "reviews",
    destination_version: "v2",
    destination_service: "reviews.default.svc.cluster.local",
    destination_canonical_service: "reviews",
    destination_canonical_revision: "v2",
    destination_service_name: "reviews",
    destination_service_namespace: "default",
    destination_cluster: "Kubernetes",
    request_protocol: "http",
    response_code: "200",
    grpc_response_status: "",
    response_flags: "-",
    connection_security_policy: "mutual_tls",
    ...overrides,
  };
}

describe("IstioMetricsRegistry", () => {
  it("renders one counter and three histograms per label set that @meshscope/wire parses without errors", () => {
    const registry = new IstioMetricsRegistry();
    for (const ms of [0.2, 3, 7, 7, 120, 4000]) registry.recordRequest(labels(), ms, 300, 1200);
    registry.recordRequest(labels({ response_code: "503", response_flags: "UO", reporter: "source" }), 0, 0, 91);

    const parsed = parsePrometheusText(registry.renderPrometheusText());
    expect(parsed.errors).toEqual([]);
    expect(parsed.types).toEqual({
      istio_requests_total: "counter",
      istio_request_bytes: "histogram",
      istio_request_duration_milliseconds: "histogram",
      istio_response_bytes: "histogram",
    });
    const counters = parsed.samples.filter((s) => s.name === "istio_requests_total");
    expect(counters.map((s) => [s.labels.response_code, s.labels.response_flags, s.value])).toEqual([
      ["200", "-", 6],
      ["503", "UO", 1],
    ]);
    // 2 label sets × 3 histograms × (19 finite buckets + +Inf + _sum + _count) + 2 counters.
    expect(parsed.samples).toHaveLength(2 * 3 * 22 + 2);
  });

  it("fills Envoy's default buckets cumulatively, with whole-millisecond sums and counts", () => {
    const registry = new IstioMetricsRegistry();
    for (const ms of [0.2, 3, 7, 7, 120, 4000]) registry.recordRequest(labels(), ms, 300, 1200);
    const samples = parsePrometheusText(registry.renderPrometheusText()).samples;
    const buckets = samples.filter((s) => s.name === "istio_request_duration_milliseconds_bucket");
    expect(buckets.map((s) => s.labels.le)).toEqual([...ENVOY_DEFAULT_BUCKETS.map(String), "+Inf"]);
    const at = (le: string) => buckets.find((s) => s.labels.le === le)?.value;
    expect([at("0.5"), at("1"), at("5"), at("10"), at("100"), at("250"), at("2500"), at("5000"), at("+Inf")]).toEqual([
      1, 1, 2, 4, 4, 5, 5, 6, 6,
    ]);
    const value = (name: string) => samples.find((s) => s.name === name)?.value;
    expect(value("istio_request_duration_milliseconds_sum")).toBe(0 + 3 + 7 + 7 + 120 + 4000);
    expect(value("istio_request_duration_milliseconds_count")).toBe(6);
    expect(value("istio_response_bytes_sum")).toBe(6 * 1200);
  });

  it("emits the labels in Istio's order and keeps the empty grpc_response_status", () => {
    const registry = new IstioMetricsRegistry();
    registry.recordRequest(labels(), 1, 1, 1);
    const line = registry.renderPrometheusText().split("\n")[1] ?? "";
    const names = [...line.matchAll(/([a-z_]+)="/g)].map((m) => m[1]);
    expect(names).toEqual([...ISTIO_LABEL_ORDER]);
    expect(line).toContain(',grpc_response_status="",');
  });

  it("escapes hostile label values so they parse back to the same strings", () => {
    const hostile = 'a"b\\c\nd} 1\n# TYPE x counter\nx{y="';
    const registry = new IstioMetricsRegistry();
    registry.recordRequest(labels({ source_workload: hostile, destination_app: "naïve ✓" }), 1, 1, 1);
    const parsed = parsePrometheusText(registry.renderPrometheusText());
    expect(parsed.errors).toEqual([]);
    const counter = parsed.samples.find((s) => s.name === "istio_requests_total");
    expect(counter?.labels.source_workload).toBe(hostile);
    expect(counter?.labels.destination_app).toBe("naïve ✓");
    expect(parsed.samples.every((s) => s.labels.source_workload === hostile)).toBe(true);
  });

  it("gives remote-write and collectSeries the same samples as the text, with __name__ and sorted labels", () => {
    const registry = new IstioMetricsRegistry();
    registry.recordRequest(labels(), 12, 100, 200);
    registry.recordRequest(labels({ reporter: "source", connection_security_policy: "unknown" }), 40, 100, 200);
    const key = (l: Record<string, string>) =>
      Object.keys(l)
        .filter((k) => l[k] !== "")
        .sort()
        .map((k) => `${k}=${l[k]}`)
        .join(",");
    const fromText = new Map(
      parsePrometheusText(registry.renderPrometheusText()).samples.map((s) => [
        key({ __name__: s.name, ...s.labels }),
        s.value,
      ]),
    );
    const collected = registry.collectSeries(1_700_000_000_000);
    expect(new Map(collected.map((s) => [key(s.labels), s.value]))).toEqual(fromText);

    const bodies = registry.encodeRemoteWrite(1_700_000_000_000, 50);
    // A body closes once it holds ≥ 50 series, but never in the middle of a histogram's 22 series.
    const sizes = bodies.map((b) => decodeRemoteWrite(b).timeseries.length);
    expect(sizes.length).toBeGreaterThan(1);
    expect(sizes.slice(0, -1).every((n) => n >= 50 && n < 50 + 22)).toBe(true);
    const decoded = bodies.flatMap((b) => decodeRemoteWrite(b).timeseries);
    expect(
      decoded.every(
        (ts) =>
          key(ts.labels) ===
          Object.keys(ts.labels)
            .map((k) => `${k}=${ts.labels[k]}`)
            .join(","),
      ),
    ).toBe(true);
    expect(new Map(decoded.map((ts) => [key(ts.labels), ts.samples[0]?.value]))).toEqual(fromText);
    expect(decoded.every((ts) => ts.samples[0]?.timestampMs === 1_700_000_000_000)).toBe(true);
  });

  it("renders 20,000 label sets (1.3 million exposition lines) in a few seconds, and 300 in well under one", () => {
    const registry = new IstioMetricsRegistry();
    for (let i = 0; i < 300; i++) registry.recordRequest(labels({ source_workload: `w-${i}` }), i, i, i);
    let started = performance.now();
    const text = registry.renderPrometheusText();
    const smallMs = performance.now() - started;
    expect(text.split("\n").length).toBeGreaterThan(20_000);
    expect(smallMs).toBeLessThan(500);

    for (let i = 300; i < 20_000; i++) registry.recordRequest(labels({ source_workload: `w-${i}` }), i, i, i);
    let chars = 0;
    started = performance.now();
    for (const chunk of registry.prometheusTextChunks()) {
      chars += Buffer.byteLength(chunk); // forces the rope flat, as writing to a socket does
    }
    const largeMs = performance.now() - started;
    expect(chars).toBeGreaterThan(1e9 / 2);
    expect(largeMs).toBeLessThan(15_000);
  });
});
