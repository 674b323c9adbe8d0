import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningPrometheus, startPrometheus } from "../testing/prometheus-process.js";
import { encodeLabels, writeRequestBody } from "./encode-write-request.js";

/**
 * Oracle test: Debian's Prometheus 2.42, with its remote-write receiver on, must accept our bodies (snappy block +
 * WriteRequest) and store exactly the series and values we encoded — a real decoder, not only our own.
 */
describe("remote-write bodies from writeRequestBody, received by Prometheus 2.42", () => {
  let prom: RunningPrometheus;

  beforeAll(async () => {
    prom = await startPrometheus(() => "global:\n  scrape_interval: 1m\n", ["--web.enable-remote-write-receiver"]);
  });

  afterAll(async () => {
    await prom?.stop();
  });

  it("are stored with the labels and values that were encoded", async () => {
    const nowMs = Date.now();
    const series = Array.from({ length: 3000 }, (_, i) => ({
      __name__: "meshscope_encode_test",
      reporter: i % 2 === 0 ? "source" : "destination",
      destination_service: `svc-${i}.ns-${i % 7}.svc.cluster.local`,
      grpc_response_status: "",
      odd: 'quote " backslash \\ newline \n ✓',
    }));
    const body = writeRequestBody(
      series.map(encodeLabels),
      series.map((_, i) => i * 1.5),
      nowMs,
    );
    const res = await fetch(`${prom.baseUrl}/api/v1/write`, {
      method: "POST",
      headers: { "content-type": "application/x-protobuf", "content-encoding": "snappy" },
      body,
    });
    expect(res.status, await res.text()).toBe(204);

    const stored = await prom.query("meshscope_encode_test");
    expect(stored).toHaveLength(3000);
    const byService = new Map(stored.map((s) => [s.metric.destination_service, s]));
    series.forEach((labels, i) => {
      const got = byService.get(labels.destination_service);
      expect(got?.value).toBe(String(i * 1.5));
      expect(got?.metric.odd).toBe(labels.odd);
      expect(got?.metric.reporter).toBe(labels.reporter);
      expect(got?.metric).not.toHaveProperty("grpc_response_status");
    });
  });
});
