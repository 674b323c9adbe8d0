import { describe, expect, it } from "vitest";
import { CallbackGauge, Counter, Histogram, Registry } from "./prometheus.js";

describe("Registry", () => {
  it("renders counters per label set with HELP and TYPE lines", () => {
    const registry = new Registry();
    const counter = registry.register(new Counter("things_total", "Things."));
    counter.inc({ kind: "a" });
    counter.inc({ kind: "a" }, 2);
    counter.inc({ kind: "b" });
    expect(registry.render()).toBe(
      '# HELP things_total Things.\n# TYPE things_total counter\nthings_total{kind="a"} 3\nthings_total{kind="b"} 1\n',
    );
  });

  it("escapes backslashes, quotes and newlines in label values", () => {
    const counter = new Counter("c_total", "C.");
    counter.inc({ v: 'a"b\\c\nd' });
    expect(counter.render()[2]).toBe('c_total{v="a\\"b\\\\c\\nd"} 1');
  });

  it("renders cumulative histogram buckets with sum and count", () => {
    const h = new Histogram("lat_seconds", "Latency.", [0.1, 1]);
    for (const v of [0.05, 0.5, 0.5, 3]) h.observe(v);
    expect(h.render().slice(2)).toEqual([
      'lat_seconds_bucket{le="0.1"} 1',
      'lat_seconds_bucket{le="1"} 3',
      'lat_seconds_bucket{le="+Inf"} 4',
      "lat_seconds_sum 4.05",
      "lat_seconds_count 4",
    ]);
  });

  it("reads gauges at render time", () => {
    let depth = 1;
    const gauge = new CallbackGauge("depth", "Depth.", () => depth);
    depth = 7;
    expect(gauge.render()[2]).toBe("depth 7");
  });
});
