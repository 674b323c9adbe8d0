import { describe, expect, it } from "vitest";
import { type MetricWriteBatch, packMetricWriteBatch, unpackMetricWriteBatch } from "./metric-rows.js";

describe("packMetricWriteBatch", () => {
  it("gives back the same rows, whatever their strings hold", () => {
    const odd = ["", "\u0000", "a\u0000b\u0000", "é-ü", "🙂🙂", "<script>x</script>", "x".repeat(5000)];
    const batch: MetricWriteBatch = {
      edgeKeys: odd.map((key, i) => ({ id: 10 + i, key })),
      streams: odd.flatMap((origin, i) => [
        { id: 100 + i, edgeKeyId: 10 + i, origin, les: odd[(i + 3) % odd.length] ?? "" },
        { id: 200 + i, edgeKeyId: 2 ** 40 + i, origin: "remote-write:10.0.0.1", les: "0.5,1,+Inf" },
      ]),
      points: { count: 1, data: Float64Array.from([100, 1_700_000_000_000, 1]) },
    };
    const packed = packMetricWriteBatch(batch);
    // Crosses threads as a structured clone: no object per row.
    expect(packed.numbers).toBeInstanceOf(Float64Array);
    expect(unpackMetricWriteBatch(structuredClone(packed))).toEqual(batch);
  });

  it("packs an empty batch", () => {
    const batch: MetricWriteBatch = { edgeKeys: [], streams: [], points: { count: 0, data: new Float64Array(0) } };
    expect(unpackMetricWriteBatch(packMetricWriteBatch(batch))).toEqual(batch);
  });
});
