import { describe, expect, it } from "vitest";
import type { EdgeKey } from "./edge-key.js";
import { HotPoints, type HotSeries } from "./hot-points.js";

/**
 * forEachInLiveWindow reads copies of the first and newest point of each series (WindowView); it must visit exactly
 * what forEachInWindow visits: the same series, in the same order, with the same numbers, whatever happened to the
 * points between two reads. A seeded random walk of recording, rewriting, widening, adding, evicting and clearing,
 * checked after every step against windows of several lengths that move forward and back.
 */
const T0 = 1_700_000_000_000;
const KEY = {} as EdgeKey;

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

interface Visit {
  streamId: number;
  first: number[];
  last: number[];
  fromCopy: boolean;
}

function visits(
  read: (startMs: number, endMs: number, v: (s: HotSeries, d: Float64Array, f: number, l: number) => void) => void,
  startMs: number,
  endMs: number,
): Visit[] {
  const out: Visit[] = [];
  read(startMs, endMs, (s, d, f, l) => {
    out.push({
      streamId: s.streamId,
      first: Array.from(d.subarray(f, f + s.stride)),
      last: Array.from(d.subarray(l, l + s.stride)),
      fromCopy: d !== s.data,
    });
  });
  return out;
}

describe("live window views of the in-memory points", () => {
  it("visit what the points themselves give, through records, rewrites, new bounds, new series, eviction and clear", () => {
    const random = rng(7);
    const hot = new HotPoints(10 * 60_000);
    const streams: { id: number; edgeKeyId: number; key: EdgeKey; les: string[]; value: number }[] = [];
    const addStream = () => {
      const id = streams.length + 1;
      streams.push({ id, edgeKeyId: id, key: KEY, les: random() < 0.5 ? [] : ["10", "+Inf"], value: 0 });
    };
    for (let i = 0; i < 40; i++) addStream();
    let now = T0;
    let compared = 0;
    let copied = 0;
    const check = (step: number, lengths: number[], ends: number[]) => {
      for (const lengthMs of lengths) {
        for (const endMs of ends) {
          const startMs = endMs - lengthMs;
          const expected = visits((a, b, v) => hot.forEachInWindow(a, b, v), startMs, endMs);
          const live = visits((a, b, v) => hot.forEachInLiveWindow(a, b, v), startMs, endMs);
          expect(
            live.map(({ fromCopy: _, ...v }) => v),
            `step ${step}, ${lengthMs} ms ending ${endMs - now}`,
          ).toEqual(expected.map(({ fromCopy: _, ...v }) => v));
          compared += expected.length;
          copied += live.filter((v) => v.fromCopy).length;
        }
      }
    };
    for (let step = 0; step < 120; step++) {
      now += 15_000;
      if (random() < 0.1) addStream();
      for (const s of streams) {
        // Most streams get a point per step; some skip one now and then; every eleventh stops for 25 steps (its
        // points age out, it leaves the list, and comes back as a new series), every seventeenth stops for good.
        if (s.id % 7 === step % 7 && random() < 0.8) continue;
        if (s.id % 11 === 0 && step >= s.id && step < s.id + 25) continue;
        if (s.id % 17 === 0 && step >= 2 * s.id) continue;
        if (random() < 0.03 && s.les.length < 6) s.les = [...s.les.slice(0, -1), String(100 * s.les.length), "+Inf"];
        const times = random() < 0.15 ? 2 : 1; // sometimes the newest point is rewritten (same time)
        for (let k = 0; k < times; k++) {
          s.value += 1 + Math.floor(random() * 10);
          const scalars = Array.from({ length: 9 }, (_, j) => s.value * (j + 1));
          const buckets = s.les.map((_, j) => s.value * (j + 2));
          hot.record(s, now - 1_000 - (times - 1 - k) * 500 * Math.floor(random() * 2), step, scalars, buckets);
        }
        // Reads between the records of one step: a view read before a series' new point must show it after.
        if (s.id % 13 === 0) check(step, [120_000], [now + 3_000 + s.id]);
      }
      if (step % 10 === 9) hot.evict(now - 4 * 60_000);
      if (step === 77) hot.clear();
      // Two window lengths read every step (views are kept for two), a third now and then (one is replaced). Ends:
      // now, a little later, back a little (a window start moving backwards), and before the newest points.
      check(step, step % 5 === 4 ? [60_000, 120_000, 300_000] : [120_000, 300_000], [
        now,
        now + 4_000,
        now - 2_000,
        now - 20_000,
      ]);
      // Later in the same interval, as a live graph asks again: the window start has not reached the next point.
      check(step, [300_000], [now + 5_000, now + 9_000]);
    }
    expect(compared).toBeGreaterThan(10_000);
    // Most visits were answered from the views' copies (the case this is for), not from the points themselves.
    expect(copied).toBeGreaterThan(compared / 2);
  });

  it("take a window's first point again when eviction took the one they copied", () => {
    const hot = new HotPoints(10 * 60_000);
    const streams = [1, 2].map((id) => ({ id, edgeKeyId: id, key: KEY, les: ["10", "+Inf"] }));
    for (let i = 0; i < 10; i++) {
      for (const s of streams) hot.record(s, T0 + i * 15_000, i + 1, Array(9).fill(i * s.id), [i, 2 * i]);
    }
    const [startMs, endMs] = [T0 - 60_000, T0 + 150_000];
    const read = (live: boolean) =>
      visits((a, b, v) => (live ? hot.forEachInLiveWindow(a, b, v) : hot.forEachInWindow(a, b, v)), startMs, endMs);
    expect(read(true)[0]?.first[0]).toBe(T0);
    // Points before the fourth leave; no series is emptied, so the list (and the view laid out for it) stays.
    hot.evict(T0 + 45_000);
    const after = read(true);
    expect(after[0]?.first[0]).toBe(T0 + 45_000);
    expect(after).toEqual(read(false).map((v) => ({ ...v, fromCopy: true })));
  });
});
