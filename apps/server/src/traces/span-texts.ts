/**
 * Span JSON texts kept as UTF-8 bytes outside the JS heap, then handed out in start order as chunks: the
 * trace-by-id answer's way to hold 50 MB of text without 100,000 strings for the garbage collector to copy
 * (get-trace.ts).
 */

/** 256 KiB per chunk: few writes for 50 MB, small enough to start sending (and compressing) early. */
const CHUNK_BYTES = 256 * 1024;
/** Span texts are written in batches: one native call per batch rather than per span. */
const BATCH_SPANS = 64;
/** Texts go into blocks of this size, so the buffer grows without copying what it already holds. */
const BLOCK_BYTES = 4 * 1024 * 1024;

/** Span JSON texts as UTF-8 in a list of byte blocks, each with its start time and byte range. */
export class SpanTexts {
  private readonly blocks: Buffer[] = [];
  private block = Buffer.alloc(0);
  private blockUsed = 0;
  /** Per span: start time, block index, offset in the block and byte length. */
  private starts = new Float64Array(1024);
  private where = new Int32Array(3 * 1024);
  count = 0;
  byteLength = 0;
  private pending: string[] = [];
  private pendingStarts: number[] = [];

  add(startUs: number, text: string): void {
    this.pending.push(text);
    this.pendingStarts.push(startUs);
    if (this.pending.length >= BATCH_SPANS) this.flush();
  }

  /** Writes the pending texts: pure ASCII (the usual case) in one call, since then bytes and characters agree;
   * otherwise one call per text, the way to learn where each one's bytes end. */
  flush(): void {
    const texts = this.pending;
    if (texts.length === 0) return;
    const joined = texts.join("");
    // UTF-8 never takes more than 3 bytes per UTF-16 unit.
    this.reserve(joined.length * 3, texts.length);
    const blockIndex = this.blocks.length - 1;
    const view = this.block;
    const written = view.write(joined, this.blockUsed);
    let at = this.blockUsed;
    for (let k = 0; k < texts.length; k++) {
      const text = texts[k] as string;
      const length = written === joined.length ? text.length : view.write(text, at);
      this.push(this.pendingStarts[k] as number, blockIndex, at, length);
      at += length;
    }
    this.blockUsed = at;
    this.pending = [];
    this.pendingStarts = [];
  }

  /** Stable by start time, as getTrace's sort: spans starting together keep their storage order. */
  *chunksInStartOrder(head: Uint8Array, tail: Uint8Array): Generator<Uint8Array> {
    const order = new Uint32Array(this.count);
    for (let i = 0; i < order.length; i++) order[i] = i;
    const starts = this.starts;
    order.sort((a, b) => (starts[a] as number) - (starts[b] as number) || a - b);
    // allocUnsafe: a zero-filled 256 KiB array costs page faults that showed in profiles, and every byte of a
    // chunk is written before it is sent (only subarray(0, used) leaves).
    let chunk = Buffer.allocUnsafe(CHUNK_BYTES);
    chunk.set(head, 0);
    let used = head.length;
    for (let k = 0; k < order.length; k++) {
      const i = order[k] as number;
      const block = this.blocks[this.where[3 * i] as number] as Buffer;
      const from = this.where[3 * i + 1] as number;
      const length = this.where[3 * i + 2] as number;
      if (used + length + 1 > chunk.length) {
        yield chunk.subarray(0, used);
        chunk = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, length + 1));
        used = 0;
      }
      if (k > 0) chunk[used++] = 0x2c; // ","
      used += block.copy(chunk, used, from, from + length);
    }
    yield chunk.subarray(0, used);
    yield tail;
  }

  private push(startUs: number, block: number, offset: number, length: number): void {
    const i = this.count++;
    this.starts[i] = startUs;
    this.where[3 * i] = block;
    this.where[3 * i + 1] = offset;
    this.where[3 * i + 2] = length;
    this.byteLength += length;
  }

  private reserve(bytes: number, spans: number): void {
    if (this.blockUsed + bytes > this.block.length) {
      // Not zero-filled: only the written ranges are ever read.
      this.block = Buffer.allocUnsafeSlow(Math.max(BLOCK_BYTES, bytes));
      this.blocks.push(this.block);
      this.blockUsed = 0;
    }
    if (this.count + spans > this.starts.length) {
      const size = Math.max(this.starts.length * 2, this.count + spans);
      const starts = new Float64Array(size);
      starts.set(this.starts);
      const where = new Int32Array(3 * size);
      where.set(this.where);
      this.starts = starts;
      this.where = where;
    }
  }
}
