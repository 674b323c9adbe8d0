import { describe, expect, it } from "vitest";
import { Capture, T0 } from "./capture.testing.js";
import { createSimulator } from "./simulator.js";
import { syntheticTopology } from "./synthetic.js";

describe("synthetic topology", () => {
  const options = { services: 300, namespaces: 7, seed: 42 };
  const topo = syntheticTopology(options);

  it("is the same for the same seed and differs for another", () => {
    expect(syntheticTopology(options)).toEqual(topo);
    expect(syntheticTopology({ ...options, seed: 43 })).not.toEqual(topo);
  });

  it("names services svc-NNNN in namespaces ns-NN, some with several versions", () => {
    expect(topo.services).toHaveLength(300);
    expect(topo.services.every((s) => /^svc-\d{4}$/.test(s.name) && /^ns-0[0-6]$/.test(s.namespace))).toBe(true);
    expect(new Set(topo.services.map((s) => s.namespace)).size).toBe(7);
    const versions = new Map<string, number>();
    for (const w of topo.workloads)
      if (!w.gateway) versions.set(w.labels.app ?? "", (versions.get(w.labels.app ?? "") ?? 0) + 1);
    const multi = [...versions.values()].filter((n) => n > 1).length;
    expect(multi).toBeGreaterThan(30);
    expect(Math.max(...versions.values())).toBeLessThanOrEqual(3);
  });

  it("only calls services of later layers, so the call graph has no cycle, and reaches every service", () => {
    const index = new Map(topo.services.map((s, i) => [s.name, i]));
    const callees = new Map<string, Set<string>>();
    for (const w of topo.workloads) {
      const app = w.labels.app ?? "";
      for (const c of w.calls) {
        const callee = c.host.split(".")[0] ?? "";
        // Services are numbered in layer order: a callee always has a higher number than its caller.
        expect(index.get(callee) ?? -1).toBeGreaterThan(index.get(app) ?? Number.POSITIVE_INFINITY);
        callees.set(app, (callees.get(app) ?? new Set()).add(callee));
      }
    }
    const reached = new Set(["svc-0000"]);
    for (const s of topo.services) for (const c of callees.get(s.name) ?? []) if (reached.has(s.name)) reached.add(c);
    expect(reached.size).toBe(300);
    expect(topo.entry.host).toBe("svc-0000.ns-00.svc.cluster.local");
  });

  it("drives traffic to services deep in the graph", () => {
    const capture = new Capture();
    const sim = createSimulator(
      { topology: topo, seed: 1, rps: 500, loggedInShare: 0, sampleRate: 0, startMs: T0 },
      capture,
      capture,
    );
    sim.advance(T0 + 10_000);
    const seen = new Set(capture.requests.map((r) => r.labels.destination_service_name));
    expect(seen.size).toBeGreaterThan(200);
    const crossNamespace = capture.requests.filter(
      (r) =>
        r.labels.reporter === "destination" &&
        r.labels.source_workload_namespace !== r.labels.destination_workload_namespace,
    );
    expect(crossNamespace.length).toBeGreaterThan(0);
  });
});
