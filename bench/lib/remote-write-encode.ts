/**
 * Encodes prometheus.WriteRequest bodies (prompb/remote.proto, types.proto) for the benchmark, fast enough for
 * ~130,000 series per round: each series' labels are encoded once, then every round only appends its sample.
 *
 *   WriteRequest { repeated TimeSeries timeseries = 1; }
 *   TimeSeries   { repeated Label labels = 1; repeated Sample samples = 2; }
 *   Label        { string name = 1; string value = 2; }
 *   Sample       { double value = 1; int64 timestamp = 2; }   // timestamp: ms since the epoch
 */
import { snappyCompress } from "./snappy-encode.js";

function varintBytes(n: number): number[] {
  // Arithmetic, not bit operations: millisecond timestamps exceed 32 bits.
  const out: number[] = [];
  let v = n;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
  return out;
}

function lenDelimited(field: number, payload: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from([(field << 3) | 2, ...varintBytes(payload.length)]), payload]);
}

/** The encoded `labels` fields of one TimeSeries. Labels are sorted by name, as remote-write requires. */
export function encodeLabels(labels: Readonly<Record<string, string>>): Buffer {
  const names = Object.keys(labels).sort();
  return Buffer.concat(
    names.map((name) =>
      lenDelimited(
        1,
        Buffer.concat([lenDelimited(1, Buffer.from(name)), lenDelimited(2, Buffer.from(labels[name] ?? ""))]),
      ),
    ),
  );
}

function encodeSample(value: number, timestampMs: number): Buffer {
  const body = Buffer.allocUnsafe(9);
  body[0] = (1 << 3) | 1; // field 1, wire type 1 (64-bit)
  body.writeDoubleLE(value, 1);
  return lenDelimited(2, Buffer.concat([body, Buffer.from([(2 << 3) | 0, ...varintBytes(timestampMs)])]));
}

/** One snappy-compressed WriteRequest: series `labels[i]` with one sample `values[i]` at `timestampMs`. */
export function writeRequestBody(labels: readonly Buffer[], values: readonly number[], timestampMs: number): Buffer {
  const parts: Buffer[] = [];
  labels.forEach((encodedLabels, i) => {
    parts.push(lenDelimited(1, Buffer.concat([encodedLabels, encodeSample(values[i] ?? 0, timestampMs)])));
  });
  return snappyCompress(Buffer.concat(parts));
}
