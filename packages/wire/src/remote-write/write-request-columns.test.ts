import { describe, expect, it } from "vitest";
import { doubleField as dbl, lenField as len, stringField as str, varint } from "../testing/proto-writer.js";
import { decodeWriteRequest } from "./decode-remote-write.js";
import { encodeLabels, writeRequestBody } from "./encode-write-request.js";
import { snappyDecompress } from "./snappy.js";
import { identifySeries, identityText, SeriesLabelReader, scanWriteRequest } from "./write-request-columns.js";

const label = (name: string, value: string) => len(1, [...str(1, name), ...str(2, value)]);
const sample = (value: number, ts: number) => len(2, [...dbl(1, value), ...varint(2 << 3), ...varint(ts)]);
const series = (...parts: number[][]) => len(1, parts.flat());

describe("scanWriteRequest", () => {
  it("lays out each series' hash, label bytes and samples in columns, as the object decoder reads them", () => {
    const staleNaN = len(2, [0x09, 0x02, 0, 0, 0, 0, 0, 0xf0, 0x7f, 0x10, 0x01]);
    const bytes = Uint8Array.from([
      ...series(label("__name__", "up"), label("job", "a"), sample(1, 1000), sample(2, 2000)),
      ...series(label("__name__", "up"), label("job", "b")), // no samples
      ...series(sample(7, -1500), label("__name__", "x"), staleNaN), // labels after samples, a stale marker
    ]);
    const c = scanWriteRequest(bytes);
    const objects = decodeWriteRequest(bytes).timeseries;
    expect(c.seriesCount).toBe(3);
    expect(c.sampleCount).toBe(4);
    expect([...c.firstSample]).toEqual([0, 2, 2, 4]);
    expect([...c.values.subarray(0, 3)]).toEqual([1, 2, 7]);
    expect(c.values[3]).toBeNaN();
    expect([...c.timestampsMs]).toEqual([1000, 2000, -1500, 1]);
    expect([...c.stale]).toEqual([0, 0, 0, 1]);
    objects.forEach((s, i) => {
      expect([c.hashHi[i], c.hashLo[i]]).toEqual([s.labelsHashHi, s.labelsHashLo]);
    });
    const reader = new SeriesLabelReader(c);
    expect({ ...reader.labels(2) }).toEqual({ __name__: "x" });
    expect(reader.nameAndLabels(0)).toEqual({
      name: "up",
      labels: expect.objectContaining({ job: "a" }),
      identity: expect.stringMatching(/^#[0-o]{11}$/),
    });
    expect(Object.keys(reader.nameAndLabels(1).labels)).toEqual(["job"]);
  });

  it("grows its columns past the first guess, for many small series and for many samples per series", () => {
    const many = Array.from({ length: 3000 }, (_, i) => encodeLabels({ __name__: "m", i: String(i) }));
    const small = snappyDecompress(
      writeRequestBody(
        many,
        many.map((_, i) => i),
        1_700_000_000_000,
      ),
      1 << 24,
    );
    const c = scanWriteRequest(small);
    expect(c.seriesCount).toBe(3000);
    expect(c.values[2999]).toBe(2999);
    const samples = Array.from({ length: 500 }, (_, k) => sample(k, 1000 + k));
    const long = scanWriteRequest(Uint8Array.from(series(label("__name__", "m"), ...samples)));
    expect(long.sampleCount).toBe(500);
    expect([long.values[499], long.timestampsMs[499]]).toEqual([499, 1499]);
  });

  it("hashes a label set the same whatever its samples and wherever its labels' lengths need two bytes", () => {
    const long = "x".repeat(200); // a Label of > 127 bytes: a two-byte length prefix
    const a = series(label("__name__", "m"), label("pod", long), label("zone", "a"), sample(1, 1000));
    const b = series(label("__name__", "m"), label("pod", long), label("zone", "b"), sample(1, 1000));
    const a2 = series(label("__name__", "m"), label("pod", long), label("zone", "a"), sample(5, 2000), sample(6, 3000));
    const c = scanWriteRequest(Uint8Array.from([...a, ...b, ...a2]));
    const hash = (i: number) => [c.hashHi[i], c.hashLo[i]];
    expect(hash(0)).toEqual(hash(2));
    expect(hash(0)).not.toEqual(hash(1));
    // A label field cut short by its series' end is refused, as every malformed length is.
    const cut = Uint8Array.from([0x0a, 4, 0x0a, 5, 0x0a, 3, 0x0a, 1, 0x61]);
    expect(() => scanWriteRequest(cut)).toThrow(/length 5 runs past the end of its message/);
  });

  it("gives distinct hashes to label sets that differ in one character, in one value or in the order of two values", () => {
    const sets: Array<Record<string, string>> = [];
    for (let i = 0; i < 20_000; i++) {
      const v = `svc-${String(i).padStart(5, "0")}`;
      sets.push({ __name__: "istio_requests_total", destination_service_name: v, source_workload: "a" });
      sets.push({ __name__: "istio_requests_total", destination_service_name: "a", source_workload: v });
      sets.push({ __name__: "istio_requests_total", destination_service_name: v, source_workload: `${v}x` });
      sets.push({ __name__: "istio_requests_total", destination_service_name: `${v}x`, source_workload: v });
      sets.push({ __name__: "istio_requests_tota1", destination_service_name: v, source_workload: "a" });
    }
    const bytes = snappyDecompress(
      writeRequestBody(
        sets.map((l) => encodeLabels(l)),
        sets.map(() => 1),
        1_700_000_000_000,
      ),
      1 << 26,
    );
    const c = scanWriteRequest(bytes);
    const hashes = new Set<string>();
    for (let i = 0; i < c.seriesCount; i++) hashes.add(`${c.hashHi[i]}:${c.hashLo[i]}`);
    expect(hashes.size).toBe(sets.length);
  });

  it("leaves the inside of Label messages to the label reader, which refuses bad ones", () => {
    const dupName = Uint8Array.from(series(label("__name__", "a"), label("__name__", "b"), sample(1, 1)));
    const c = scanWriteRequest(dupName);
    expect(c.seriesCount).toBe(1);
    expect(() => new SeriesLabelReader(c).nameAndLabels(0)).toThrow(/duplicate label name "__name__"/);
    expect(() => new SeriesLabelReader(c).labels(0)).toThrow(/duplicate label name "__name__"/);
    const emptyName = scanWriteRequest(Uint8Array.from(series(label("", "v"))));
    expect(() => new SeriesLabelReader(emptyName).nameAndLabels(0)).toThrow(/empty name/);
  });

  it("reads labels repeated from the previous series as they are, and refuses a repeated bad one again", () => {
    const c = scanWriteRequest(
      Uint8Array.from([
        ...series(label("__name__", "h_bucket"), label("job", "a"), label("le", "1")),
        ...series(label("__name__", "h_bucket"), label("job", "a"), label("le", "2")),
        ...series(label("__name__", "h_bucket"), label("job", "b"), label("le", "2")),
        ...series(label("__name__", "h_sum"), label("jobs", "a")),
        ...series(label("", "v"), label("job", "a")),
        ...series(label("", "v"), label("job", "a")),
      ]),
    );
    const reader = new SeriesLabelReader(c);
    const read = (i: number) => {
      const { name, labels } = reader.nameAndLabels(i);
      return { name, labels: { ...labels } };
    };
    expect(read(0)).toEqual({ name: "h_bucket", labels: { job: "a", le: "1" } });
    expect(read(1)).toEqual({ name: "h_bucket", labels: { job: "a", le: "2" } });
    expect(read(2)).toEqual({ name: "h_bucket", labels: { job: "b", le: "2" } });
    expect(read(3)).toEqual({ name: "h_sum", labels: { jobs: "a" } });
    expect(() => read(4)).toThrow(/empty name/);
    expect(() => read(5)).toThrow(/empty name/);
  });

  it("gives the name and le of a series whose other labels are those of another, and null when they are not", () => {
    const edge = [label("job", "a"), label("zone", "z1")];
    const c = scanWriteRequest(
      Uint8Array.from([
        ...series(label("__name__", "h_bucket"), ...edge.slice(0, 1), label("le", "1"), ...edge.slice(1)),
        ...series(label("__name__", "h_bucket"), ...edge.slice(0, 1), label("le", "2"), ...edge.slice(1), sample(1, 1)),
        ...series(label("__name__", "h_sum"), ...edge),
        ...series(label("__name__", "h_sum"), label("job", "b"), label("zone", "z1")), // another value
        ...series(label("__name__", "h_sum"), ...edge, label("zz", "x")), // one more label
        ...series(label("__name__", "h_bucket"), ...edge, label("le", "")), // empty le
        ...series(label("__name__", "h_bucket"), ...edge, label("le", "1"), label("le", "2")), // le twice
        ...series(...edge), // no name
        ...series(label("__name__", "a"), label("__name__", "b"), ...edge), // name twice
        // A Label with its value before its name: not the usual layout, left to the full decoder.
        ...series(label("__name__", "h_sum"), len(1, [...str(2, "a"), ...str(1, "job")]), label("zone", "z1")),
      ]),
    );
    const reader = new SeriesLabelReader(c);
    expect(reader.nameAndLeLike(1, 0)).toEqual({ name: "h_bucket", le: "2" });
    expect(reader.nameAndLeLike(2, 0)).toEqual({ name: "h_sum", le: undefined });
    expect(reader.nameAndLeLike(0, 2)).toEqual({ name: "h_bucket", le: "1" });
    for (const i of [3, 4, 5, 6, 7, 8, 9]) expect(reader.nameAndLeLike(i, 2), `series ${i}`).toBeNull();
    // The full decoder then says what the series is.
    expect({ ...reader.nameAndLabels(9).labels }).toEqual({ job: "a", zone: "z1" });
    expect(() => reader.nameAndLabels(6)).toThrow(/duplicate label name "le"/);
  });

  it("gives series one identity exactly when their labels but __name__, le and empty ones are the same", () => {
    const edge = [label("reporter", "source"), label("response_code", "200")];
    const bytes = Uint8Array.from([
      // 0–3: one histogram's bucket, another bucket, its count and a requests series of the same edge.
      ...series(label("__name__", "d_bucket"), ...edge, label("le", "5"), sample(1, 1)),
      ...series(label("__name__", "d_bucket"), ...edge, label("le", "+Inf"), sample(1, 1)),
      ...series(label("__name__", "d_count"), ...edge, sample(1, 1)),
      ...series(label("__name__", "requests"), ...edge, sample(1, 1)),
      // 4: the same labels in another order, with an empty-valued label (no label in Prometheus' model).
      ...series(label("response_code", "200"), label("zone", ""), label("reporter", "source"), sample(1, 1)),
      // 5–8: one value differs, one name differs, a label more, a label less.
      ...series(label("__name__", "requests"), label("reporter", "source"), label("response_code", "201")),
      ...series(label("__name__", "requests"), label("reporter", "source"), label("response_cod", "200")),
      ...series(label("__name__", "requests"), ...edge, label("zone", "a")),
      ...series(label("__name__", "requests"), label("reporter", "source")),
      // 9–10: values moved between two names; "le" as a value is not the le label.
      ...series(label("reporter", "200"), label("response_code", "source")),
      ...series(label("__name__", "requests"), ...edge, label("x", "le")),
    ]);
    const reader = new SeriesLabelReader(scanWriteRequest(bytes));
    const ids = Array.from({ length: 11 }, (_, i) => reader.nameAndLabels(i).identity);
    expect(new Set(ids.slice(0, 5)).size).toBe(1);
    expect(new Set([ids[0], ...ids.slice(5)]).size).toBe(7);
    // The identity is the labels', not the reader's: a new reader over the series alone gives the same.
    const alone = Uint8Array.from(series(label("__name__", "requests"), ...edge, sample(9, 9)));
    expect(new SeriesLabelReader(scanWriteRequest(alone)).nameAndLabels(0).identity).toBe(ids[0]);
  });

  it("identifies series from their bytes as the label reader does, and only series laid out as Prometheus does", () => {
    const edge = [label("reporter", "source"), label("response_code", "200")];
    const long = label("pod", "p".repeat(200)); // a two-byte length: left to the label reader
    const bytes = Uint8Array.from([
      ...series(label("__name__", "d_bucket"), ...edge, label("le", "5"), sample(1, 1)),
      ...series(label("__name__", "d_count"), ...edge, label("zone", ""), sample(1, 1)),
      ...series(label("response_code", "200"), label("reporter", "source"), sample(1, 1)),
      ...series(label("__name__", "d_bucket"), ...edge, long, sample(1, 1)),
      ...series(label("", "x"), ...edge),
      ...series(label("__name__", "d_sum"), label("reporter", "other"), label("response_code", "200")),
      ...series(label("__name__", "unselected"), ...edge),
    ]);
    const c = scanWriteRequest(bytes);
    const ids = identifySeries(c, Uint8Array.from([1, 1, 1, 1, 1, 1, 0]));
    expect([...ids.computed]).toEqual([1, 1, 1, 0, 0, 1, 0]);
    const reader = new SeriesLabelReader(c);
    for (const i of [0, 1, 2, 5]) {
      expect(identityText(ids.hi[i] ?? 0, ids.lo[i] ?? 0)).toBe(reader.nameAndLabels(i).identity);
    }
    expect([ids.hi[0], ids.lo[0]]).toEqual([ids.hi[2], ids.lo[2]]);
    expect([ids.hi[0], ids.lo[0]]).not.toEqual([ids.hi[5], ids.lo[5]]);
  });

  it("reads a series' name and le alone, and null when either is not exactly one non-empty label", () => {
    const edge = [label("reporter", "source")];
    const bytes = Uint8Array.from([
      ...series(label("__name__", "d_bucket"), ...edge, label("le", "+Inf"), sample(1, 1)),
      ...series(label("__name__", "d_count"), ...edge, sample(1, 1)),
      ...series(label("__name__", "d_bucket"), label("le", "1"), label("le", "2")),
      ...series(label("__name__", "d"), label("__name__", "e")),
      ...series(label("__name__", ""), ...edge),
      ...series(label("le", "1"), ...edge),
      ...series(label("__name__", "d"), label("pod", "p".repeat(200))),
    ]);
    const reader = new SeriesLabelReader(scanWriteRequest(bytes));
    expect(reader.nameAndLe(0)).toEqual({ name: "d_bucket", le: "+Inf" });
    expect(reader.nameAndLe(1)).toEqual({ name: "d_count", le: undefined });
    expect([2, 3, 4, 5, 6].map((i) => reader.nameAndLe(i))).toEqual([null, null, null, null, null]);
  });

  it("drops empty-valued labels and reports a series without __name__ as nameless", () => {
    const c = scanWriteRequest(Uint8Array.from(series(label("__name__", ""), label("job", "a"))));
    const { name, labels } = new SeriesLabelReader(c).nameAndLabels(0);
    expect(name).toBeUndefined();
    expect({ ...labels }).toEqual({ job: "a" });
  });
});
