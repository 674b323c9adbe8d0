/**
 * What the metric store hands to the writer (on the worker thread or the calling one): dictionary rows that are
 * new in this batch and the points to upsert. Ids are allocated by the metric store on the calling thread (the
 * only process writing this file), so points can refer to streams in the same message.
 *
 * Plain data that survives structured cloning; the points' buffer is transferred to the writer worker.
 */

/** Running totals per point besides the buckets: SCALAR_FIELDS.length (metrics/metric-store-families.ts). */
export const POINT_SCALAR_COUNT = 9;

export interface MetricEdgeKeyRow {
  id: number;
  /**
   * edgeKeyString(): the values in EDGE_KEY_FIELDS order (the metric_edge_keys columns after `key`), each followed
   * by a NUL. The writer splits it into the columns rather than the row carrying them twice: a first push of a
   * large mesh posts tens of thousands of new keys, and cloning 21 more strings per key was most of that message.
   */
  key: string;
}

export interface MetricStreamRow {
  id: number;
  edgeKeyId: number;
  origin: string;
  /** Comma-separated canonical le values (append-only). Upserted: the list grows when a new le appears. */
  les: string;
}

/**
 * The points of one batch, packed into one Float64Array so they cross to the writer thread as one transferred
 * buffer (a structured clone of an object per point cost the calling thread more than building the points).
 * Per point, in this order: streamId, tsMs, ord, the running totals in SCALAR_FIELDS order
 * (metrics/metric-store-families.ts), the bucket count n, then n running totals per le of the stream's les
 * (n = 0: the stream has no duration histogram).
 */
export interface MetricPointColumns {
  count: number;
  data: Float64Array;
}

/** Values per point before its buckets: streamId, tsMs, ord, the scalars, the bucket count. */
export const POINT_HEAD = 3 + POINT_SCALAR_COUNT + 1;

export interface MetricWriteBatch {
  edgeKeys: MetricEdgeKeyRow[];
  streams: MetricStreamRow[];
  points: MetricPointColumns;
}

/**
 * A MetricWriteBatch as it crosses to the writer thread (worker-writer.ts): the dictionary rows packed into one
 * Float64Array and two strings, unpacked on the writer thread. A structured clone of an object per row cost the
 * calling thread ~2 µs a row, 75 ms for the ~40,000 new rows of a 1,000-service mesh's first push; one string is
 * copied whole.
 */
export interface PackedMetricWriteBatch {
  edgeKeyCount: number;
  streamCount: number;
  /** Per edge key: id, key length; then per stream: id, edge key id, origin length, les length. */
  numbers: Float64Array;
  /** The edge keys' `key` strings, one after another. */
  edgeKeyText: string;
  /** Per stream its origin then its les, one after another. */
  streamText: string;
  points: MetricPointColumns;
}

export function packMetricWriteBatch(batch: MetricWriteBatch): PackedMetricWriteBatch {
  const { edgeKeys, streams } = batch;
  const numbers = new Float64Array(2 * edgeKeys.length + 4 * streams.length);
  const keyTexts: string[] = new Array(edgeKeys.length);
  let at = 0;
  for (let i = 0; i < edgeKeys.length; i++) {
    const k = edgeKeys[i] as MetricEdgeKeyRow;
    numbers[at++] = k.id;
    numbers[at++] = k.key.length;
    keyTexts[i] = k.key;
  }
  const streamTexts: string[] = new Array(2 * streams.length);
  for (let i = 0; i < streams.length; i++) {
    const s = streams[i] as MetricStreamRow;
    numbers[at++] = s.id;
    numbers[at++] = s.edgeKeyId;
    numbers[at++] = s.origin.length;
    numbers[at++] = s.les.length;
    streamTexts[2 * i] = s.origin;
    streamTexts[2 * i + 1] = s.les;
  }
  return {
    edgeKeyCount: edgeKeys.length,
    streamCount: streams.length,
    numbers,
    edgeKeyText: keyTexts.join(""),
    streamText: streamTexts.join(""),
    points: batch.points,
  };
}

export function unpackMetricWriteBatch(packed: PackedMetricWriteBatch): MetricWriteBatch {
  const { numbers, edgeKeyText, streamText } = packed;
  const edgeKeys: MetricEdgeKeyRow[] = new Array(packed.edgeKeyCount);
  let at = 0;
  let text = 0;
  for (let i = 0; i < packed.edgeKeyCount; i++) {
    const id = numbers[at++] ?? 0;
    const length = numbers[at++] ?? 0;
    edgeKeys[i] = { id, key: edgeKeyText.slice(text, text + length) };
    text += length;
  }
  const streams: MetricStreamRow[] = new Array(packed.streamCount);
  text = 0;
  for (let i = 0; i < packed.streamCount; i++) {
    const id = numbers[at++] ?? 0;
    const edgeKeyId = numbers[at++] ?? 0;
    const originLength = numbers[at++] ?? 0;
    const lesLength = numbers[at++] ?? 0;
    const origin = streamText.slice(text, text + originLength);
    text += originLength;
    streams[i] = { id, edgeKeyId, origin, les: streamText.slice(text, text + lesLength) };
    text += lesLength;
  }
  return { edgeKeys, streams, points: packed.points };
}

/** Appends points to a growing buffer; `finish` hands the packed points over. One builder per batch. */
export class MetricPointsBuilder {
  private data: Float64Array;
  private length = 0;
  private count = 0;

  /** `capacity`: values to allocate room for at first (a previous batch's `finish().data.length` is a good guess). */
  constructor(capacity = 4096) {
    this.data = new Float64Array(Math.max(POINT_HEAD, capacity));
  }

  add(streamId: number, tsMs: number, ord: number, scalars: ArrayLike<number>, buckets: ArrayLike<number>): void {
    const n = buckets.length;
    const need = this.length + POINT_HEAD + n;
    if (need > this.data.length) {
      const grown = new Float64Array(Math.max(need, this.data.length * 2));
      grown.set(this.data.subarray(0, this.length));
      this.data = grown;
    }
    const d = this.data;
    let at = this.length;
    d[at++] = streamId;
    d[at++] = tsMs;
    d[at++] = ord;
    for (let i = 0; i < POINT_SCALAR_COUNT; i++) d[at++] = scalars[i] ?? 0;
    d[at++] = n;
    for (let i = 0; i < n; i++) d[at++] = buckets[i] ?? 0;
    this.length = at;
    this.count++;
  }

  finish(): MetricPointColumns {
    return { count: this.count, data: this.data.subarray(0, this.length) };
  }
}

/** The writers' side of the metric store; resolves once the batch is committed. */
export interface MetricWriter {
  writeMetrics(batch: MetricWriteBatch): Promise<void>;
}
