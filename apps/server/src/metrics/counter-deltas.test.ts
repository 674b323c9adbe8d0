import { describe, expect, it } from "vitest";
import { CounterDeltas, type SeriesGroup } from "./counter-deltas.js";

const LABELS = { reporter: "destination", source_workload: "a", destination_workload: "b" };

function series(deltas: CounterDeltas<string>, labels: Record<string, string> = LABELS, source = "t1") {
  const g = deltas.group(source, "requests", labels, () => "payload");
  if (g === null) throw new Error("refused");
  return g;
}

function feed(deltas: CounterDeltas<string>, g: SeriesGroup<string>, points: Array<[number, number]>) {
  return points.map(([t, v]) => deltas.observe(g, "s0", v, t, "cumulative"));
}

describe("CounterDeltas", () => {
  it("takes the first sample of a series as a baseline with no increase", () => {
    const d = new CounterDeltas<string>();
    expect(feed(d, series(d), [[1000, 42]])).toEqual([{ kind: "baseline", value: 42 }]);
  });

  it("yields the difference between consecutive samples", () => {
    const d = new CounterDeltas<string>();
    const out = feed(d, series(d), [
      [1000, 42],
      [2000, 50],
      [3000, 50],
    ]);
    expect(out.slice(1)).toEqual([
      { kind: "increase", delta: 8, reset: false },
      { kind: "increase", delta: 0, reset: false },
    ]);
  });

  it("treats a decrease as a counter reset whose increase is the new value", () => {
    const d = new CounterDeltas<string>();
    const out = feed(d, series(d), [
      [1000, 100],
      [2000, 7],
    ]);
    expect(out[1]).toEqual({ kind: "increase", delta: 7, reset: true });
  });

  it("drops samples at or before the series' last timestamp", () => {
    const d = new CounterDeltas<string>();
    const out = feed(d, series(d), [
      [2000, 10],
      [2000, 11],
      [1000, 5],
      [3000, 12],
    ]);
    expect(out).toEqual([{ kind: "baseline", value: 10 }, null, null, { kind: "increase", delta: 2, reset: false }]);
  });

  it("ignores NaN and infinite values without disturbing the series", () => {
    const d = new CounterDeltas<string>();
    const out = feed(d, series(d), [
      [1000, 10],
      [2000, Number.NaN],
      [3000, Number.POSITIVE_INFINITY],
      [4000, 13],
    ]);
    expect(out).toEqual([{ kind: "baseline", value: 10 }, null, null, { kind: "increase", delta: 3, reset: false }]);
  });

  it("takes delta-temporality values as increases, the first one included", () => {
    const d = new CounterDeltas<string>();
    const g = series(d);
    expect(d.observe(g, "s0", 5, 1000, "delta")).toEqual({ kind: "increase", delta: 5, reset: false });
    expect(d.observe(g, "s0", 3, 2000, "delta")).toEqual({ kind: "increase", delta: 3, reset: false });
  });

  it("forgets series absent from a complete scrape, so a reappearance is a new baseline", () => {
    const d = new CounterDeltas<string>();
    const a = series(d, { ...LABELS, response_code: "200" });
    const b = series(d, { ...LABELS, response_code: "500" });
    d.touch(a, 1, 0);
    d.touch(b, 1, 0);
    feed(d, a, [[1000, 1]]);
    feed(d, b, [[1000, 1]]);
    d.touch(a, 2, 0);
    feed(d, a, [[2000, 2]]);
    expect(d.forgetAbsent("t1", 2)).toBe(1);
    const again = series(d, { ...LABELS, response_code: "500" });
    expect(again).not.toBe(b);
    expect(feed(d, again, [[3000, 9]])).toEqual([{ kind: "baseline", value: 9 }]);
  });

  it("forgets series without a sample for the staleness period", () => {
    const d = new CounterDeltas<string>({ staleAfterMs: 60_000 });
    const g = series(d);
    d.touch(g, 1, 1_000);
    feed(d, g, [[1000, 10]]);
    expect(d.sweep(30_000)).toBe(0);
    expect(d.sweep(61_001)).toBe(1);
    expect(feed(d, series(d), [[70_000, 12]])).toEqual([{ kind: "baseline", value: 12 }]);
  });

  it("identifies a series by its labels whatever their order, leaving le out", () => {
    const d = new CounterDeltas<string>();
    const a = series(d, { b: "2", a: "1", le: "5" });
    expect(series(d, { a: "1", b: "2", le: "+Inf" })).toBe(a);
    expect(series(d, { a: "1", b: "2" }, "t2")).not.toBe(a);
  });

  it("refuses new series past the per-source, per-metric limit until old ones are forgotten", () => {
    const d = new CounterDeltas<string>({ maxSeriesPerMetric: 2 });
    const make = (code: string, source = "t1") => d.group(source, "requests", { response_code: code }, () => code);
    const first = make("200");
    expect(first).not.toBeNull();
    expect(make("404")).not.toBeNull();
    expect(make("500")).toBeNull();
    expect(make("500", "t2")).not.toBeNull();
    expect(d.group("t1", "duration", { response_code: "500" }, () => "x")).not.toBeNull();
    if (first !== null) d.touch(first, 7, 0);
    d.forgetAbsent("t1", 7);
    expect(make("500")).not.toBeNull();
  });
});
