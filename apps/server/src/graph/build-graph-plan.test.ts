import type { GraphResponse } from "@meshscope/model";
import { describe, expect, it } from "vitest";
import type { EdgeTraffic } from "../metrics/metric-reader.js";
import { bookinfo, traffic, wl } from "../test-support/graph-traffic.js";
import type { BuildGraphOptions } from "./build-graph.js";
import { buildGraph } from "./build-graph.js";

/**
 * A live graph reuses its shape (build-graph.ts GraphPlan) while the rows keep their keys: these tests change the
 * numbers, or which rows carry traffic, on the SAME key objects, and compare with a build from fresh key objects,
 * which cannot reuse anything.
 */
const window = { startUs: 0, endUs: 300_000_000 };

/** The same rows with new key objects (equal content): nothing cached on the keys applies to them. */
function freshKeys(rows: readonly EdgeTraffic[]): EdgeTraffic[] {
  return rows.map((t) => ({ ...t, key: { ...t.key } }));
}

function scaled(rows: readonly EdgeTraffic[], f: (t: EdgeTraffic, i: number) => number): EdgeTraffic[] {
  return rows.map((t, i) => {
    const k = f(t, i);
    return {
      ...t,
      requestsPerSec: t.requestsPerSec * k,
      durationCountPerSec: t.durationCountPerSec * k,
      tcpSentBytesPerSec: t.tcpSentBytesPerSec * k,
      tcpReceivedBytesPerSec: t.tcpReceivedBytesPerSec * k,
      durationBuckets: t.durationBuckets.map((b) => ({ le: b.le, count: b.count * k })),
    };
  });
}

const OPTIONS: BuildGraphOptions[] = [
  { type: "versionedApp", injectServiceNodes: true, window },
  { type: "workload", injectServiceNodes: false, window },
  { type: "app", injectServiceNodes: true, window, namespaces: ["bookinfo"] },
  { type: "service", injectServiceNodes: false, window },
];

describe("the graph's shape reused across refreshes", () => {
  it("answers new numbers on the same keys exactly as a build from scratch", () => {
    const base = bookinfo();
    for (const opts of OPTIONS) {
      buildGraph(base, opts);
      const next = scaled(base, (_, i) => 1 + (i % 5) / 7);
      expect(buildGraph(next, opts)).toEqual(buildGraph(freshKeys(next), opts));
    }
  });

  it("redraws when a row stops or starts carrying traffic, or moves", () => {
    const base = bookinfo();
    const opts = OPTIONS[0] as BuildGraphOptions;
    const before = buildGraph(base, opts);
    // Both proxies' rows of the calls to details go idle: those edges and the details node must go.
    const idle = scaled(base, (t) => (t.key.destinationServiceName === "details" ? 0 : 1));
    const idleGraph = buildGraph(idle, opts);
    expect(idleGraph).toEqual(buildGraph(freshKeys(idle), opts));
    expect(idleGraph.edges.length).toBe(before.edges.length - 2);
    expect(idleGraph.nodes.some((n) => n.id.includes("details"))).toBe(false);
    // The rows in another order: positions no longer match the shape.
    const reversed = [...base].reverse();
    expect(buildGraph(reversed, opts)).toEqual(buildGraph(freshKeys(reversed), opts));
    // Fewer rows.
    const fewer = base.slice(1);
    expect(buildGraph(fewer, opts)).toEqual(buildGraph(freshKeys(fewer), opts));
    // And back: the first answer again.
    expect(buildGraph(base, opts)).toEqual(before);
  });

  it("redraws when a key without request_protocol turns from TCP bytes to requests", () => {
    // Without the label the protocol comes from the numbers (TCP when only bytes flow): the same key object must
    // move from a TCP edge to an HTTP edge when requests start.
    const base = bookinfo().map((t) => ({ ...t, key: { ...t.key, requestProtocol: "" } }));
    const opts = OPTIONS[0] as BuildGraphOptions;
    const tcp = base.map((t) => ({ ...t, requestsPerSec: 0, tcpSentBytesPerSec: 100, tcpReceivedBytesPerSec: 50 }));
    const tcpGraph = buildGraph(tcp, opts);
    expect(tcpGraph.edges.length).toBeGreaterThan(0);
    expect(tcpGraph.edges.every((e) => e.protocol === "tcp")).toBe(true);
    const http = base.map((t) => ({ ...t, tcpSentBytesPerSec: 0, tcpReceivedBytesPerSec: 0 }));
    const httpGraph = buildGraph(http, opts);
    expect(httpGraph.edges.some((e) => e.protocol === "http")).toBe(true);
    expect(httpGraph).toEqual(buildGraph(freshKeys(http), opts));
  });

  it("sums every graph's nodes from zero, after a larger graph and after a smaller one", () => {
    const all = bookinfo();
    const small = all.slice(0, 3);
    for (const rows of [all, small, all, small]) {
      const graph = buildGraph(rows, { type: "workload", injectServiceNodes: true, window });
      for (const n of graph.nodes) {
        const inbound = graph.edges.filter((e) => e.target === n.id).reduce((sum, e) => sum + e.rps, 0);
        const outbound = graph.edges.filter((e) => e.source === n.id).reduce((sum, e) => sum + e.rps, 0);
        expect(n.inboundRps, n.id).toBeCloseTo(inbound, 9);
        expect(n.outboundRps, n.id).toBeCloseTo(outbound, 9);
      }
      // The same answer as a build that shares nothing with the ones before.
      expect(graph).toEqual(buildGraph(freshKeys(rows), { type: "workload", injectServiceNodes: true, window }));
    }
  });

  it("updates the last live (transient) answer in place, to exactly what a new answer says", () => {
    // Bookinfo, plus two series on one edge whose breakdown keys and latency shape change between windows.
    const from = wl("shop", "web", "v1");
    const to = wl("shop", "cart", "v1");
    const cart = (rps: number, code: string, flags: string, slow: number): EdgeTraffic =>
      traffic({
        reporter: "destination",
        from,
        service: "cart",
        to,
        rps,
        code,
        flags,
        buckets: [
          { le: 10, count: rps * (1 - slow) },
          { le: 100, count: rps * (1 - slow / 2) },
          { le: Number.POSITIVE_INFINITY, count: rps },
        ],
      });
    const base = [...bookinfo(), cart(5, "200", "-", 0.02), cart(1, "503", "UO", 0)];
    const n = base.length;
    const at = (rows: EdgeTraffic[], i: number, t: Partial<EdgeTraffic>) =>
      rows.map((row, k) => (k === i ? { ...row, ...t } : row));
    const windows = [
      base,
      scaled(base, (_, i) => 1 + (i % 5) / 7),
      // The 503s stop (the key keeps TCP bytes, so the shape holds): "503" and "UO" leave the edge's records.
      at(base, n - 1, { requestsPerSec: 0, tcpSentBytesPerSec: 10 }),
      // Slower answers on the 200s: other quantiles, same keys.
      at(base, n - 2, { durationBuckets: cart(5, "200", "-", 0.8).durationBuckets }),
      scaled(base, (_, i) => 2 - (i % 3) / 5),
      base,
    ];
    for (const shape of OPTIONS) {
      const opts: BuildGraphOptions = { ...shape, transient: true };
      let previous: GraphResponse | undefined;
      let updated = 0;
      for (const rows of windows) {
        const live = buildGraph(rows, opts);
        // Read at once, as the route does: the next transient build may write into these objects.
        const text = JSON.stringify(live);
        // New objects from the same shape (a build from fresh keys would make a new shape: nothing to update).
        expect(text).toBe(JSON.stringify(buildGraph(rows, { ...shape, transient: false })));
        if (previous !== undefined && live.edges.length > 0 && live.edges[0] === previous.edges[0]) updated++;
        previous = live;
      }
      // The shape held across the windows, so the objects were updated rather than made again.
      expect(updated, JSON.stringify(shape)).toBe(windows.length - 1);
    }
  });
});
