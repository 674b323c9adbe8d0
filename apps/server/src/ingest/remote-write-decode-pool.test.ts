import {
  BodyTooLargeError,
  decodeRemoteWrite,
  decodeRemoteWriteColumns,
  encodeLabels,
  identifySeries,
  WireError,
  writeRequestBody,
} from "@meshscope/wire";
import { afterAll, describe, expect, it } from "vitest";
import { batchSampleCount, type KnownSeries, samplesOf } from "../metrics/metric-sink.js";
import { IngestUnavailableError } from "./ingest-pipeline.js";
import { remoteWriteToBatch } from "./metrics-remote-write-samples.js";
import { columnsToBatch } from "./remote-write-columns-batch.js";
import { createRemoteWriteDecoder } from "./remote-write-decode-pool.js";
import type { ScannedWriteRequest } from "./remote-write-decode-protocol.js";

const T0 = 1_700_000_000_000;
const LIMIT = 1 << 24;

function istio(i: number): Record<string, string> {
  return {
    __name__: i % 5 === 0 ? "istio_request_duration_milliseconds_bucket" : "istio_requests_total",
    reporter: i % 2 === 0 ? "source" : "destination",
    destination_service_name: `svc-${i % 37}`,
    response_code: i % 3 === 0 ? "503" : "200",
    ...(i % 5 === 0 ? { le: String(i % 11) } : {}),
  };
}

const labels = Array.from({ length: 600 }, (_, i) => encodeLabels(istio(i)));
const goodBody = writeRequestBody(
  labels,
  labels.map((_, i) => i * 2),
  T0,
);

/** Valid snappy around a broken WriteRequest, a snappy bomb, bad snappy, random bytes and truncations. */
function badBodies(): Array<[string, Uint8Array]> {
  let seed = 3;
  const rand = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % 256;
  };
  const out: Array<[string, Uint8Array]> = [
    ["a snappy preamble declaring 4 GiB", Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0x0f])],
    ["gzip instead of snappy", Uint8Array.from([0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 0x03, 0x03, 0, 0])],
    ["truncated snappy", goodBody.subarray(0, goodBody.length >> 1)],
    // Valid snappy (one literal) around protobuf whose first series length runs past the end.
    ["truncated protobuf", Uint8Array.from([3, 2 << 2, 0x0a, 0x7f, 0x00])],
  ];
  for (let k = 0; k < 20; k++) out.push([`random bytes #${k}`, Uint8Array.from({ length: 64 + rand() }, rand)]);
  return out;
}

/** What decoding a body gives: its columns, or the class and message of its failure. */
async function outcome(run: () => Promise<ScannedWriteRequest>): Promise<unknown> {
  try {
    const c = await run();
    return {
      series: c.seriesCount,
      samples: c.sampleCount,
      bytes: c.bytes === null ? null : Buffer.from(c.bytes).toString("base64"),
      columns: [c.hashHi, c.hashLo, c.seriesStart, c.seriesEnd, c.firstSample, c.values, c.timestampsMs, c.stale].map(
        (a) => [...a],
      ),
    };
  } catch (error) {
    return { error: error instanceof Error ? `${error.constructor.name}: ${error.message}` : String(error) };
  }
}

describe("remote-write decode pool", () => {
  const pool = createRemoteWriteDecoder({ threads: 2, inlineBelowBytes: 0 });
  afterAll(() => pool.close());

  it("answers exactly what decoding on the calling thread answers, for good and malformed bodies", async () => {
    for (const [name, body] of [["a 600-series push", goodBody] as [string, Uint8Array], ...badBodies()]) {
      const inline = await outcome(async () => decodeRemoteWriteColumns(body, { maxDecompressedBytes: LIMIT }));
      const worker = await outcome(() => pool.decode(body, LIMIT));
      expect({ name, ...(worker as object) }).toEqual({ name, ...(inline as object) });
    }
  }, 60_000);

  it("refuses a snappy bomb with BodyTooLargeError and malformed input with WireError, as inline decoding does", async () => {
    await expect(pool.decode(Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0x0f]), LIMIT)).rejects.toThrow(
      BodyTooLargeError,
    );
    await expect(pool.decode(Uint8Array.from([3, 2 << 2, 0x0a, 0x7f, 0x00]), LIMIT)).rejects.toThrow(WireError);
  }, 60_000);

  it("leaves the caller's body intact (it transfers a copy, not the request's buffer)", async () => {
    const body = Buffer.from(goodBody);
    await pool.decode(body, LIMIT);
    expect(body.equals(Buffer.from(goodBody))).toBe(true);
  }, 60_000);

  it("fails the jobs of a thread that dies with a retryable error, and decodes again on a new thread", async () => {
    const fragile = createRemoteWriteDecoder({ threads: 1, inlineBelowBytes: 0 });
    try {
      await fragile.decode(goodBody, LIMIT); // the thread is up
      const pending = fragile.decode(goodBody, LIMIT);
      await fragile.close(); // the thread goes away under the job
      await expect(pending).rejects.toThrow(IngestUnavailableError);
      expect(await outcome(() => fragile.decode(goodBody, LIMIT))).toEqual(
        await outcome(async () => decodeRemoteWriteColumns(goodBody, { maxDecompressedBytes: LIMIT })),
      );
    } finally {
      await fragile.close();
    }
  }, 60_000);

  it("keeps the bytes of a body whose series the thread has all seen, and sends them when one is new", async () => {
    const one = createRemoteWriteDecoder({ threads: 1, inlineBelowBytes: 0 });
    const inline = (body: Uint8Array) => decodeRemoteWriteColumns(body, { maxDecompressedBytes: LIMIT });
    const bytesOf = async (body: Uint8Array) => {
      const c = await one.decode(body, LIMIT);
      return c.bytes === null ? null : Buffer.from(c.bytes);
    };
    try {
      expect(await bytesOf(goodBody)).toEqual(Buffer.from(inline(goodBody).bytes));
      // The same series again: the columns come without the bytes, which stay in the thread's buffer.
      const again = await one.decode(goodBody, LIMIT);
      expect(again.bytes).toBeNull();
      expect([...again.hashLo]).toEqual([...inline(goodBody).hashLo]);
      // One new series among known ones, in a body shorter than the kept buffer (sent as a copy of its part) and
      // in one longer than it (a new buffer): the bytes come, each exactly the body's own.
      const newcomer = encodeLabels({ __name__: "istio_requests_total", reporter: "source", pod: "new" });
      const shorter = writeRequestBody([...labels.slice(0, 10), newcomer], Array(11).fill(1), T0);
      const longer = writeRequestBody(
        [...labels, ...labels.slice(0, 100), encodeLabels({ __name__: "x", pod: "newer" })],
        Array(701).fill(2),
        T0,
      );
      expect(await bytesOf(shorter)).toEqual(Buffer.from(inline(shorter).bytes));
      expect(await bytesOf(longer)).toEqual(Buffer.from(inline(longer).bytes));
      // All seen now; a body decoded into the reused buffer still scans to the same columns.
      const reused = await one.decode(shorter, LIMIT);
      expect(reused.bytes).toBeNull();
      expect([...reused.values]).toEqual([...inline(shorter).values]);
      expect([...reused.seriesEnd]).toEqual([...inline(shorter).seriesEnd]);
      // A new series in a body that fills most of the kept buffer: the buffer itself goes, and the next body
      // gets a buffer of its own.
      const filling = writeRequestBody(
        [...labels.slice(0, 599), encodeLabels({ __name__: "y" })],
        Array(600).fill(3),
        T0,
      );
      expect(await bytesOf(filling)).toEqual(Buffer.from(inline(filling).bytes));
      const after = await one.decode(goodBody, LIMIT);
      expect(after.bytes).toBeNull();
      expect([...after.values]).toEqual([...inline(goodBody).values]);
    } finally {
      await one.close();
    }
  }, 60_000);

  it("decodes inline when it has no threads", async () => {
    const inline = createRemoteWriteDecoder({ threads: 0 });
    const c = await inline.decode(goodBody, LIMIT);
    expect(c.seriesCount).toBe(600);
  });
});

describe("columnsToBatch", () => {
  const SOURCE = "remote-write:10.0.0.1";
  /** A sink's answer as knownSeries gives it, from a yes/no rule (the handle itself is the sink's business). */
  const handles =
    (isKnown: (hi: number, lo: number) => boolean) =>
    (hi: number, lo: number): KnownSeries | undefined =>
      isKnown(hi, lo) ? {} : undefined;
  const none = handles(() => false);

  /** Histograms as Prometheus sends them (buckets, sum, count one after another), a requests series between. */
  const histogramSeries = [0, 1, 2].flatMap((h) => {
    const edge = { destination_service_name: `svc-${h}`, reporter: "destination", response_code: "200" };
    const name = "istio_request_duration_milliseconds";
    return [
      ...["1", "5", "+Inf", ""].map((le) => ({ __name__: `${name}_bucket`, ...edge, le })),
      { __name__: `${name}_sum`, ...edge },
      { __name__: `${name}_count`, ...edge },
      { __name__: "istio_requests_total", ...edge },
    ];
  });
  const histogramBody = writeRequestBody(
    histogramSeries.map((l) => encodeLabels(l)),
    histogramSeries.map((_, i) => i),
    T0,
  );

  it("lets the series of one histogram share a label object, each with its own le", () => {
    const mapped = columnsToBatch(decodeRemoteWriteColumns(histogramBody), SOURCE, none, () => new Uint8Array());
    const c = mapped.batch.columns;
    // The buckets, sum and count of the first histogram and the requests series after them: one object.
    expect(new Set(c?.labels.slice(0, 7)).size).toBe(1);
    expect(c?.les.slice(0, 7)).toEqual(["1", "5", "+Inf", undefined, undefined, undefined, undefined]);
    expect(c?.names.slice(4, 7)).toEqual([
      "istio_request_duration_milliseconds_sum",
      "istio_request_duration_milliseconds_count",
      "istio_requests_total",
    ]);
    expect(c?.labels[7]).not.toBe(c?.labels[0]);
    const own = samplesOf(mapped.batch);
    expect({ ...own[1]?.labels }).toEqual({
      destination_service_name: "svc-0",
      reporter: "destination",
      response_code: "200",
      le: "5",
    });
    expect(own[3]?.labels.le).toBeUndefined();
  });

  it("builds the batch remoteWriteToBatch builds from the object decoder, whichever series are known", () => {
    const nanBody = writeRequestBody(labels.slice(0, 3), [Number.NaN, 1, 2], T0);
    // A histogram whose series do not come one after another, and a series with the labels of another but le.
    const mixed = [0, 1, 7, 2, 3, 4, 5, 6].map((k) => histogramSeries[k] ?? {});
    const mixedBody = writeRequestBody(
      mixed.map((l) => encodeLabels(l)),
      mixed.map((_, i) => i),
      T0,
    );
    for (const body of [goodBody, nanBody, histogramBody, mixedBody]) {
      // With identities from a decode thread (for every series, for every other one) and without.
      for (const withIdentities of [(_: number) => 1, (i: number) => i % 2, null]) {
        for (const known of [() => false, () => true, (hi: number) => hi % 2 === 0]) {
          const scanned = decodeRemoteWriteColumns(body, { maxDecompressedBytes: LIMIT });
          const select = Uint8Array.from({ length: scanned.seriesCount }, (_, i) => withIdentities?.(i) ?? 0);
          const columns =
            withIdentities === null ? scanned : { ...scanned, identities: identifySeries(scanned, select) };
          const viaColumns = columnsToBatch(columns, SOURCE, handles(known), () => {
            throw new Error("the bytes came with the columns");
          });
          const viaObjects = remoteWriteToBatch(
            decodeRemoteWrite(body, { maxDecompressedBytes: LIMIT, isKnownSeries: known }),
            SOURCE,
          );
          // Plain copies: the label objects have null prototypes on both sides, built differently.
          // The columns' samples as objects (samplesOf): the same samples the object form holds.
          const plain = (b: typeof viaColumns) => ({
            staleMarkers: b.staleMarkers,
            unnamedSamples: b.unnamedSamples,
            offered: batchSampleCount(b.batch),
            batch: {
              source: b.batch.source,
              temporality: b.batch.temporality,
              complete: b.batch.complete,
              samples: samplesOf(b.batch).map((s) => ({ ...s, labels: { ...s.labels } })),
            },
          });
          expect(plain(viaColumns)).toEqual(plain(viaObjects));
        }
      }
    }
  });

  it("lets a histogram's series share one label object when the decode thread identified them", () => {
    const scanned = decodeRemoteWriteColumns(histogramBody);
    const all = new Uint8Array(scanned.seriesCount).fill(1);
    const c = columnsToBatch({ ...scanned, identities: identifySeries(scanned, all) }, SOURCE, none, () => {
      throw new Error("the bytes came with the columns");
    }).batch.columns;
    expect(new Set(c?.labels.slice(0, 7)).size).toBe(1);
    expect(new Set(c?.identities.slice(0, 7)).size).toBe(1);
    expect(c?.les.slice(0, 7)).toEqual(["1", "5", "+Inf", undefined, undefined, undefined, undefined]);
  });

  it("decodes the labels of an unknown series from the body again when the decode thread kept the bytes", () => {
    const withBytes = decodeRemoteWriteColumns(goodBody, { maxDecompressedBytes: LIMIT });
    const odd = (hi: number) => hi % 2 === 1;
    const expected = samplesOf(columnsToBatch(withBytes, SOURCE, handles(odd), () => new Uint8Array()).batch);
    let restored = 0;
    const kept = { ...withBytes, bytes: null };
    const mapped = columnsToBatch(kept, SOURCE, handles(odd), () => {
      restored++;
      return decodeRemoteWriteColumns(goodBody).bytes;
    });
    expect(restored).toBe(1);
    expect(samplesOf(mapped.batch)).toEqual(expected);
    expect(expected.some((s) => s.labelsOmitted !== true && s.name !== "")).toBe(true);
    // Every series known: the body is not decompressed again.
    columnsToBatch(
      kept,
      SOURCE,
      handles(() => true),
      () => {
        throw new Error("decompressed again although every series was known");
      },
    );
  });

  it("counts the samples of series without __name__ and leaves them out", () => {
    const body = writeRequestBody([encodeLabels({ job: "x" }), labels[1] ?? new Uint8Array()], [1, 2], T0);
    const mapped = columnsToBatch(decodeRemoteWriteColumns(body), SOURCE, none, () => new Uint8Array());
    expect(mapped.unnamedSamples).toBe(1);
    expect(samplesOf(mapped.batch).map((s) => s.value)).toEqual([2]);
    expect(batchSampleCount(mapped.batch)).toBe(1);
  });
});
