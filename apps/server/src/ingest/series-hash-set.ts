/**
 * A set of 64-bit series label hashes (WriteRequestColumns.hashHi/hashLo), kept by a remote-write decode thread
 * to tell whether a body holds a series it has not decoded before. Open addressing with linear probing in one
 * Uint32Array of (hi, lo) pairs: no object per entry, so a thread that has seen a million series holds one array
 * instead of a million map entries for the garbage collector to walk.
 *
 * The pair (0, 0) marks an empty slot, so that one hash is never held (`add` answers "new" every time): a caller
 * that uses the set as a hint then does the safe thing for it.
 */
export class SeriesHashSet {
  private slots: Uint32Array;
  private mask: number;
  private count = 0;

  /** `maxSize`: past this many hashes the set starts over empty (it is a bounded hint, not a record). */
  constructor(
    private readonly maxSize: number,
    private readonly initialSlots = 1 << 12,
  ) {
    this.slots = new Uint32Array(2 * initialSlots);
    this.mask = initialSlots - 1;
  }

  get size(): number {
    return this.count;
  }

  /** Adds the hash; true when it was not in the set. */
  add(hi: number, lo: number): boolean {
    if (hi === 0 && lo === 0) return true;
    // The hash halves are already well mixed: the low bits of `lo` spread entries evenly.
    const slots = this.slots;
    let i = lo & this.mask;
    for (;;) {
      const h = slots[2 * i] ?? 0;
      const l = slots[2 * i + 1] ?? 0;
      if (h === 0 && l === 0) break;
      if (h === hi >>> 0 && l === lo >>> 0) return false;
      i = (i + 1) & this.mask;
    }
    if (this.count >= this.maxSize) {
      this.clear();
      return this.add(hi, lo);
    }
    slots[2 * i] = hi;
    slots[2 * i + 1] = lo;
    this.count++;
    // At most half full, so probes stay short and a free slot always ends them.
    if (this.count * 2 > this.mask + 1) this.grow();
    return true;
  }

  /** Adds the first `n` hashes of the columns; returns how many of them were new, and marks them in `isNew`. */
  addAll(hi: Uint32Array, lo: Uint32Array, n: number, isNew?: Uint8Array): number {
    let added = 0;
    for (let i = 0; i < n; i++) {
      if (this.add(hi[i] ?? 0, lo[i] ?? 0)) {
        added++;
        if (isNew !== undefined) isNew[i] = 1;
      }
    }
    return added;
  }

  clear(): void {
    this.slots = new Uint32Array(2 * this.initialSlots);
    this.mask = this.initialSlots - 1;
    this.count = 0;
  }

  private grow(): void {
    const old = this.slots;
    const capacity = 2 * (this.mask + 1);
    this.slots = new Uint32Array(2 * capacity);
    this.mask = capacity - 1;
    this.count = 0;
    for (let i = 0; i < old.length; i += 2) {
      const h = old[i] ?? 0;
      const l = old[i + 1] ?? 0;
      if (h !== 0 || l !== 0) this.add(h, l);
    }
  }
}
