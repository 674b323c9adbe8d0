import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DemoSpan } from "../sim/contracts.js";
import { startTestOtlpReceiver, type TestOtlpReceiver } from "./otlp-receiver.testing.js";
import { createOtlpSpanSink, msToHrTime } from "./span-export.js";

const TRACE = "5f1c3a9e0b7d4c2a8e6f1b3d9a0c7e42";

function span(overrides: Partial<DemoSpan>): DemoSpan {
  return {
    traceId: TRACE,
    spanId: "a1b2c3d4e5f60718",
    name: "productpage.default.svc.cluster.local:9080/productpage",
    kind: "server",
    // Dyadic fractions of a ms are exact in binary, so the expected microseconds are exact too.
    startMs: 1_722_355_078_588.5,
    endMs: 1_722_355_078_650.25,
    serviceName: "productpage.default",
    resource: { "k8s.namespace.name": "default", "istio.canonical_service": "productpage" },
    attributes: { "http.status_code": "200", response_flags: "-", component: "proxy" },
    error: false,
    ...overrides,
  };
}

async function waitFor(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("msToHrTime", () => {
  it("splits fractional epoch milliseconds into seconds and nanoseconds", () => {
    expect(msToHrTime(1_722_355_078_588.5)).toEqual([1_722_355_078, 588_500_000]);
    expect(msToHrTime(1000)).toEqual([1, 0]);
    expect(msToHrTime(1999.9999999999)).toEqual([2, 0]);
  });
});

describe("createOtlpSpanSink", () => {
  let receiver: TestOtlpReceiver;
  beforeEach(async () => {
    receiver = await startTestOtlpReceiver();
  });
  afterEach(async () => {
    await receiver.close();
  });

  it("delivers spans through the OTLP exporter with the simulator's ids, times, kind, attributes and status", async () => {
    const sink = createOtlpSpanSink({ url: receiver.url });
    sink.emit(span({}));
    sink.emit(
      span({
        spanId: "0f0e0d0c0b0a0908",
        parentSpanId: "a1b2c3d4e5f60718",
        kind: "client",
        name: "reviews.default.svc.cluster.local:9080/*",
        startMs: 1_722_355_078_590.125,
        endMs: 1_722_355_078_640,
        serviceName: "productpage.default",
        attributes: { "http.status_code": "503", response_flags: "UO", upstream_cluster: "outbound|9080||reviews" },
        error: true,
      }),
    );
    sink.emit(
      span({
        spanId: "1111111111111111",
        parentSpanId: "0f0e0d0c0b0a0908",
        serviceName: "reviews.default",
        resource: { "k8s.namespace.name": "default", "istio.canonical_service": "reviews" },
      }),
    );
    await sink.shutdown();

    expect(receiver.spans).toHaveLength(3);
    const byId = new Map(receiver.spans.map((s) => [s.spanId, s]));
    const root = byId.get("a1b2c3d4e5f60718");
    expect(root).toMatchObject({
      traceId: TRACE,
      parentSpanId: null,
      service: "productpage.default",
      namespace: "default",
      kind: "server",
      startUs: 1_722_355_078_588_500,
      durationUs: 61_750,
      status: { code: "unset" },
    });
    expect(root?.attributes).toEqual({ "http.status_code": "200", response_flags: "-", component: "proxy" });
    expect(root?.resource).toEqual({
      "service.name": "productpage.default",
      "k8s.namespace.name": "default",
      "istio.canonical_service": "productpage",
    });
    expect(byId.get("0f0e0d0c0b0a0908")).toMatchObject({
      traceId: TRACE,
      parentSpanId: "a1b2c3d4e5f60718",
      kind: "client",
      startUs: 1_722_355_078_590_125,
      durationUs: 49_875,
      status: { code: "error" },
      attributes: { response_flags: "UO", upstream_cluster: "outbound|9080||reviews" },
    });
    expect(byId.get("1111111111111111")).toMatchObject({
      traceId: TRACE,
      parentSpanId: "0f0e0d0c0b0a0908",
      service: "reviews.default",
    });
    expect(sink.stats).toEqual({ emitted: 3, dropped: 0, exported: 3, failed: 0 });
  });

  it("drops and counts spans past the pending limit while the receiver is stalled, then recovers", async () => {
    const warnings: string[] = [];
    let release = () => {};
    receiver.hold = new Promise((resolve) => {
      release = resolve;
    });
    const sink = createOtlpSpanSink({
      url: receiver.url,
      maxPendingSpans: 10,
      maxExportBatchSize: 10,
      scheduledDelayMillis: 10,
      log: (_level, message) => warnings.push(message),
    });
    for (let i = 0; i < 25; i++) sink.emit(span({ spanId: (i + 1).toString(16).padStart(16, "0") }));
    expect(sink.stats).toMatchObject({ emitted: 10, dropped: 15 });
    expect(warnings).toContain("span export is falling behind: spans dropped");

    await waitFor(() => receiver.requests > 0);
    release();
    receiver.hold = null;
    await waitFor(() => sink.stats.exported === 10);
    sink.emit(span({ spanId: "00000000000000ff" }));
    await sink.shutdown();
    expect(sink.stats).toEqual({ emitted: 11, dropped: 15, exported: 11, failed: 0 });
    expect(receiver.spans).toHaveLength(11);
  });

  it("counts and reports spans a receiver rejects, and keeps accepting new ones", async () => {
    receiver.status = 400;
    const logs: Array<[string, string]> = [];
    const sink = createOtlpSpanSink({ url: receiver.url, log: (level, message) => logs.push([level, message]) });
    sink.emit(span({}));
    await sink.flush();
    expect(sink.stats).toMatchObject({ emitted: 1, failed: 1, exported: 0 });
    expect(logs).toContainEqual(["warn", "span export failed"]);
    receiver.status = 200;
    sink.emit(span({ spanId: "2222222222222222" }));
    await sink.shutdown();
    expect(sink.stats).toMatchObject({ emitted: 2, failed: 1, exported: 1 });
  });
});
