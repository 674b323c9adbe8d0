import { decodeUtf8 } from "../encoding.js";

/**
 * Decodes label strings of one WriteRequest, reusing the string decoded at the same label position of the
 * previous series when the bytes are equal. Prometheus sends each series' labels sorted by name, and the series
 * of a family share their names (and many values: reporter, protocol, cluster …), so most label strings are a
 * byte compare away from one already decoded: fewer string allocations and, for names, one hashed property key
 * per name instead of one per series.
 */
export class LabelStringCache {
  private readonly strings: string[] = [];
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];

  constructor(private readonly buf: Uint8Array) {}

  /** The string of buf[start, end), the UTF-8 bytes of the label at position `index` of its series. */
  get(index: number, start: number, end: number): string {
    const cachedStart = this.starts[index];
    const cachedEnd = this.ends[index];
    const cached = this.strings[index];
    if (
      cached !== undefined &&
      cachedStart !== undefined &&
      cachedEnd !== undefined &&
      cachedEnd - cachedStart === end - start
    ) {
      const buf = this.buf;
      let i = 0;
      while (i < end - start && buf[cachedStart + i] === buf[start + i]) i++;
      if (i === end - start) return cached;
    }
    const s = decodeUtf8(this.buf, start, end);
    this.strings[index] = s;
    this.starts[index] = start;
    this.ends[index] = end;
    return s;
  }
}
