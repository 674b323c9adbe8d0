import { describe, expect, it } from "vitest";
import { decodeRemoteWrite, decodeWriteRequest } from "./decode-remote-write.js";
import { encodeLabelPairs, encodeLabels, WriteRequestBuilder, writeRequestBody } from "./encode-write-request.js";
import { snappyDecompress } from "./snappy.js";
import { snappyCompress } from "./snappy-compress.js";

/** A small seeded PRNG (mulberry32) so the random inputs are the same on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function istioLabels(i: number): Record<string, string> {
  return {
    __name__: "istio_requests_total",
    reporter: i % 2 === 0 ? "source" : "destination",
    source_workload: `svc-${i % 97}-v1`,
    destination_service: `svc-${i % 89}.ns-${i % 7}.svc.cluster.local`,
    response_code: i % 10 === 0 ? "503" : "200",
    grpc_response_status: "",
    response_flags: "-",
  };
}

describe("snappyCompress", () => {
  const random = prng(7);
  const inputs: Array<[string, Uint8Array]> = [
    ["empty input", new Uint8Array(0)],
    ["three bytes", Uint8Array.from([1, 2, 3])],
    ["a long run of one byte", new Uint8Array(200_000).fill(0x61)],
    ["random bytes (incompressible)", Uint8Array.from({ length: 150_000 }, () => Math.floor(random() * 256))],
    [
      "repetitive text spanning several 64 KiB fragments",
      new TextEncoder().encode(Array.from({ length: 9000 }, (_, i) => `reporter="source",svc="s${i % 50}"\n`).join("")),
    ],
  ];

  it.each(inputs)("round-trips %s through the decoder", (_name, input) => {
    const compressed = snappyCompress(input);
    // Byte comparison through Buffer: vitest's deep equality walks 200 KB arrays element by element.
    expect(Buffer.from(snappyDecompress(compressed, input.length)).equals(Buffer.from(input))).toBe(true);
  });

  it("shrinks repetitive remote-write payloads several times over", () => {
    const labels = Array.from({ length: 2000 }, (_, i) => encodeLabels(istioLabels(i)));
    const builder = new WriteRequestBuilder();
    labels.forEach((l, i) => {
      builder.addSeries(l, i, 1_700_000_000_000);
    });
    const raw = builder.protobuf().length;
    expect(builder.finish().length).toBeLessThan(raw / 4);
  });
});

describe("WriteRequest encoding", () => {
  it("decodes back to the same series, labels and samples with decodeRemoteWrite", () => {
    const series = Array.from({ length: 500 }, (_, i) => istioLabels(i));
    const values = series.map((_, i) => (i % 3 === 0 ? i * 1.25 : i));
    const timestampMs = 1_722_355_078_588; // past 2^32: exercises the multi-byte varint path
    const body = writeRequestBody(series.map(encodeLabels), values, timestampMs);

    const decoded = decodeRemoteWrite(body);
    expect(decoded.timeseries).toHaveLength(500);
    decoded.timeseries.forEach((ts, i) => {
      const { grpc_response_status: _empty, ...expected } = series[i] ?? {};
      expect({ ...ts.labels }).toEqual(expected);
      expect(ts.samples).toEqual([{ value: values[i], timestampMs }]);
    });
  });

  it("keeps special float values and UTF-8 label values", () => {
    const labels = encodeLabels({ __name__: "m", path: 'C:\\tmp "x"\nnaïve ✓' });
    const body = writeRequestBody([labels, labels, labels], [Number.NaN, Number.POSITIVE_INFINITY, -0.5], 1);
    const [a, b, c] = decodeRemoteWrite(body).timeseries;
    expect(a?.labels.path).toBe('C:\\tmp "x"\nnaïve ✓');
    expect(a?.samples[0]?.value).toBeNaN();
    expect(b?.samples[0]?.value).toBe(Number.POSITIVE_INFINITY);
    expect(c?.samples[0]?.value).toBe(-0.5);
  });

  it("sorts labels by name and lets a series be assembled from pre-encoded pieces around a per-series label", () => {
    const before = encodeLabelPairs([
      ["__name__", "h_bucket"],
      ["a", "1"],
    ]);
    const after = encodeLabelPairs([["z", "2"]]);
    const builder = new WriteRequestBuilder(16);
    for (const le of ["0.5", "+Inf"]) builder.addSeries([before, encodeLabelPairs([["le", le]]), after], 3, 10);
    const decoded = decodeWriteRequest(builder.protobuf());
    expect(decoded.timeseries.map((ts) => Object.keys(ts.labels))).toEqual([
      ["__name__", "a", "le", "z"],
      ["__name__", "a", "le", "z"],
    ]);
    expect(decoded.timeseries.map((ts) => ts.labels.le)).toEqual(["0.5", "+Inf"]);
    const sorted = decodeRemoteWrite(writeRequestBody([encodeLabels({ b: "1", a: "2", __name__: "n" })], [1], 1));
    expect(Object.keys(sorted.timeseries[0]?.labels ?? {})).toEqual(["__name__", "a", "b"]);
  });

  it("refuses timestamps that are not non-negative integers of milliseconds", () => {
    const builder = new WriteRequestBuilder();
    expect(() => builder.addSeries(encodeLabels({ __name__: "m" }), 1, -1)).toThrow(RangeError);
    expect(() => builder.addSeries(encodeLabels({ __name__: "m" }), 1, 1.5)).toThrow(RangeError);
  });
});
