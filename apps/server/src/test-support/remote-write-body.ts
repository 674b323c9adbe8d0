/**
 * Hand-built remote-write bodies for the receiver's error paths and for requests a real Prometheus would not
 * send on demand. Real Prometheus bodies are tested in remote-write.integration.test.ts.
 */
import {
  doubleField,
  lenField,
  stringField,
  varint,
  varintField,
} from "../../../../packages/wire/src/testing/proto-writer.js";

export interface WriteSeries {
  labels: Record<string, string>;
  samples: Array<{ value: number; timestampMs: number }>;
}

/** A protobuf prometheus.WriteRequest (prompb/remote.proto) with the given series. */
export function writeRequest(series: WriteSeries[]): number[] {
  return series.flatMap((s) =>
    lenField(1, [
      ...Object.entries(s.labels).flatMap(([name, value]) =>
        lenField(1, [...stringField(1, name), ...stringField(2, value)]),
      ),
      ...s.samples.flatMap((x) => lenField(2, [...doubleField(1, x.value), ...varintField(2, x.timestampMs)])),
    ]),
  );
}

/** A snappy block of literals only: valid snappy, just not compressed (google/snappy format_description.txt). */
export function snappyLiterals(raw: number[]): Uint8Array {
  const out = [...varint(raw.length)];
  for (let at = 0; at < raw.length; at += 65_536) {
    const chunk = raw.slice(at, at + 65_536);
    const n = chunk.length - 1;
    // Tag byte: literal (low bits 00); lengths ≥ 60 put the length-1 in the next 1 or 2 bytes.
    out.push(...(n < 60 ? [n << 2] : n < 256 ? [60 << 2, n] : [61 << 2, n & 0xff, n >> 8]), ...chunk);
  }
  return Uint8Array.from(out);
}
