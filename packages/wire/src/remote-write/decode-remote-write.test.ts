import { describe, expect, it } from "vitest";
import { WireError } from "../errors.js";
import { doubleField as dbl, lenField as len, stringField as str, varint } from "../testing/proto-writer.js";
import { BodyTooLargeError } from "./body-too-large-error.js";
import { decodeRemoteWrite, decodeWriteRequest } from "./decode-remote-write.js";

/**
 * Edge cases need bodies no real Prometheus sends (duplicate labels, wrong wire types, negative timestamps), so
 * these tests build them with a few lines of protobuf encoding. What real Prometheus sends is covered by
 * decode-remote-write.prometheus.test.ts.
 */
const label = (name: string, value: string) => len(1, [...str(1, name), ...str(2, value)]);
const sample = (value: number, ts: number) => len(2, [...dbl(1, value), ...varint(2 << 3), ...varint(ts)]);
const series = (...parts: number[][]) => len(1, parts.flat());
/** A snappy block made of one literal: valid snappy, just not compressed. */
function snappyLiteral(raw: number[]): Uint8Array {
  const n = raw.length - 1;
  const head = n < 60 ? [n << 2] : [62 << 2, n & 0xff, (n >> 8) & 0xff, n >> 16];
  return Uint8Array.from([...varint(raw.length), ...head, ...raw]);
}

describe("decodeRemoteWrite", () => {
  it("decodes series, labels and samples, and skips exemplars and metadata", () => {
    const body = [
      ...series(
        label("__name__", "istio_requests_total"),
        label("reporter", "destination"),
        sample(1284, 1718000000123),
        sample(1290, 1718000015123),
        len(3, [...dbl(2, 1)]), // exemplar: skipped
      ),
      ...len(3, [...varint(1 << 3), 1, ...str(2, "istio_requests_total")]), // metadata: skipped
    ];
    const { timeseries } = decodeRemoteWrite(snappyLiteral(body));
    expect(timeseries).toHaveLength(1);
    expect({ ...timeseries[0]?.labels }).toEqual({ __name__: "istio_requests_total", reporter: "destination" });
    expect(timeseries[0]?.samples).toEqual([
      { value: 1284, timestampMs: 1718000000123 },
      { value: 1290, timestampMs: 1718000015123 },
    ]);
  });

  it("reads negative int64 timestamps (10-byte varints) exactly", () => {
    const { timeseries } = decodeWriteRequest(Uint8Array.from(series(label("a", "b"), sample(1, -1500))));
    expect(timeseries[0]?.samples[0]?.timestampMs).toBe(-1500);
  });

  it("flags Prometheus' staleness marker but not an ordinary NaN", () => {
    // Sample { value: bits 0x7ff0000000000002 (little-endian), timestamp: 1 }
    const staleNaN = len(2, [0x09, 0x02, 0, 0, 0, 0, 0, 0xf0, 0x7f, 0x10, 0x01]);
    const body = series(label("a", "b"), staleNaN, sample(Number.NaN, 2));
    const samples = decodeWriteRequest(Uint8Array.from(body)).timeseries[0]?.samples;
    expect(samples?.[0]?.stale).toBe(true);
    expect(samples?.[0]?.value).toBeNaN();
    expect(samples?.[1]?.stale).toBeUndefined();
    expect(samples?.[1]?.value).toBeNaN();
  });

  it("drops empty-valued labels, as Prometheus treats them as absent", () => {
    const { timeseries } = decodeWriteRequest(Uint8Array.from(series(label("a", "b"), label("grpc", ""))));
    expect({ ...timeseries[0]?.labels }).toEqual({ a: "b" });
  });

  it("rejects duplicate label names and empty label names", () => {
    expect(() => decodeWriteRequest(Uint8Array.from(series(label("a", "1"), label("a", "2"))))).toThrow(
      /duplicate label name "a"/,
    );
    expect(() => decodeWriteRequest(Uint8Array.from(series(label("", "1"))))).toThrow(/empty name/);
  });

  it("names the field when a known field has the wrong wire type", () => {
    const wrong = series(label("a", "b"), len(2, [...varint((1 << 3) | 0), 5])); // Sample.value as a varint
    expect(() => decodeWriteRequest(Uint8Array.from(wrong))).toThrow(/Sample\.value/);
  });

  it("refuses a body whose declared size is over maxDecompressedBytes", () => {
    const body = snappyLiteral(series(label("a", "b"), sample(1, 1)));
    expect(() => decodeRemoteWrite(body, { maxDecompressedBytes: 8 })).toThrow(BodyTooLargeError);
  });

  it("rejects a gzip body sent where snappy was expected", () => {
    const gzip = Uint8Array.from([0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 0x03, 0x03, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(() => decodeRemoteWrite(gzip)).toThrow(WireError);
  });

  it("throws only WireError on every truncation and on random bytes", () => {
    const raw = [
      ...series(label("__name__", "istio_request_duration_milliseconds_bucket"), label("le", "+Inf"), sample(3, 7)),
      ...series(label("__name__", "up"), sample(1, -9)),
    ];
    let seed = 1;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % 256;
    };
    const inputs: Uint8Array[] = [];
    for (let n = 0; n < raw.length; n++) inputs.push(snappyLiteral(raw.slice(0, n)));
    for (let round = 0; round < 1000; round++) {
      const mutated = [...raw];
      mutated[rand() % mutated.length] = rand();
      inputs.push(snappyLiteral(mutated));
      inputs.push(Uint8Array.from({ length: rand() }, rand));
    }
    for (const input of inputs) {
      try {
        decodeRemoteWrite(input);
      } catch (err) {
        expect(err).toBeInstanceOf(WireError);
      }
    }
  }, 20_000);
});

describe("label hashes (recognising series without decoding their labels)", () => {
  const a = series(label("__name__", "istio_requests_total"), label("reporter", "source"), sample(1, 1000));
  const b = series(label("__name__", "istio_requests_total"), label("reporter", "destination"), sample(1, 1000));
  const a2 = series(label("__name__", "istio_requests_total"), label("reporter", "source"), sample(9, 2000));

  it("gives equal label bytes one hash whatever the samples, and different label sets different hashes", () => {
    const { timeseries } = decodeWriteRequest(Uint8Array.from([...a, ...b, ...a2]));
    const [x, y, z] = timeseries.map((s) => [s.labelsHashHi, s.labelsHashLo]);
    expect(x).toEqual(z);
    expect(x).not.toEqual(y);
  });

  it("skips the labels of series the caller knows and still decodes their samples", () => {
    const known = decodeWriteRequest(Uint8Array.from(a)).timeseries[0];
    const { timeseries } = decodeWriteRequest(
      Uint8Array.from([...a2, ...b]),
      (hi, lo) => hi === known?.labelsHashHi && lo === known.labelsHashLo,
    );
    expect(timeseries[0]).toMatchObject({ labelsSkipped: true, samples: [{ value: 9, timestampMs: 2000 }] });
    expect(Object.keys(timeseries[0]?.labels ?? { x: 1 })).toEqual([]);
    expect(timeseries[1]?.labelsSkipped).toBeUndefined();
    expect(timeseries[1]?.labels.reporter).toBe("destination");
  });

  it("still refuses duplicate label names in a series the caller does not know", () => {
    const dup = series(label("reporter", "source"), label("reporter", "destination"), sample(1, 1000));
    expect(() => decodeWriteRequest(Uint8Array.from(dup), () => false)).toThrow(/duplicate label name "reporter"/);
  });
});
