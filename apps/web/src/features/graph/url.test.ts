import { describe, expect, it } from "vitest";
import { parseRefresh, readPageTime, refetchPeriodMs } from "./page-time";
import { DEFAULT_VIEW, graphPath, readGraphView, writeGraphView } from "./url";

describe("graph view in the URL", () => {
  it("reads defaults from an empty query", () => {
    expect(readGraphView(new URLSearchParams())).toEqual(DEFAULT_VIEW);
  });

  it("round-trips every field and keeps the shell's keys", () => {
    const base = new URLSearchParams("window=900&namespaces=bookinfo&refresh=10s");
    const params = writeGraphView(base, {
      type: "workload",
      layout: "fcose",
      labels: ["rps", "p99"],
      find: "rps > 10",
      hide: "idle",
      selected: "service:bookinfo/reviews",
      animate: false,
      end: 1_718_000_000_000_000,
    });
    expect(params.get("window")).toBe("900");
    expect(params.get("namespaces")).toBe("bookinfo");
    expect(readGraphView(params)).toEqual({
      type: "workload",
      layout: "fcose",
      labels: ["rps", "p99"],
      find: "rps > 10",
      hide: "idle",
      selected: "service:bookinfo/reviews",
      animate: false,
      end: 1_718_000_000_000_000,
    });
  });

  it("writes nothing for defaults, and `none` for no labels", () => {
    expect(graphPath({})).toBe("/graph");
    expect(graphPath({ labels: [] })).toBe("/graph?labels=none");
    expect(readGraphView(new URLSearchParams("labels=none")).labels).toEqual([]);
  });

  it("ignores values it does not know instead of failing", () => {
    const view = readGraphView(new URLSearchParams("type=galaxy&layout=spiral&labels=rps,bogus&end=soon&animate=yes"));
    expect(view).toMatchObject({ type: "versionedApp", layout: "dagre", labels: ["rps"], end: null, animate: null });
  });
});

describe("shell parameters", () => {
  it("reads window, namespaces and refresh", () => {
    expect(readPageTime(new URLSearchParams("window=900&namespaces=a,%20b,&refresh=live"))).toEqual({
      windowSeconds: 900,
      namespaces: ["a", "b"],
      refresh: { kind: "live" },
    });
  });

  it("falls back to a 5 minute window and a 30 s refresh", () => {
    const time = readPageTime(new URLSearchParams("window=-3"));
    expect(time.windowSeconds).toBe(300);
    expect(refetchPeriodMs(time.refresh, false)).toBe(30_000);
  });

  it("understands paused, seconds and minutes", () => {
    expect(parseRefresh("paused")).toEqual({ kind: "paused" });
    expect(parseRefresh("10s")).toEqual({ kind: "interval", ms: 10_000 });
    expect(parseRefresh("1m")).toEqual({ kind: "interval", ms: 60_000 });
    expect(parseRefresh("15")).toEqual({ kind: "interval", ms: 15_000 });
  });

  it("never polls a replayed window, nor in live mode (live events drive it)", () => {
    expect(refetchPeriodMs({ kind: "interval", ms: 10_000 }, true)).toBe(false);
    expect(refetchPeriodMs({ kind: "live" }, false)).toBe(false);
    expect(parseRefresh("off")).toEqual({ kind: "paused" });
  });
});
