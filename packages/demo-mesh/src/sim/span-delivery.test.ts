// When the demo's spans become due: a request's spans are handed to the span sink together, once its last span
// has ended, so the console never stores a trace without its root (the gateway's span, which ends last).

import { describe, expect, it } from "vitest";
import { bookinfoTopology } from "./bookinfo.js";
import { Capture, parseConfig, T0 } from "./capture.testing.js";
import type { DemoSpan } from "./contracts.js";
import { createSimulator } from "./simulator.js";

/** Advances in `tickMs` steps and records which spans each step delivered. */
function deliveries(tickMs: number, seconds: number, yaml?: string): DemoSpan[][] {
  const capture = new Capture();
  const sim = createSimulator(
    { topology: bookinfoTopology(), seed: 11, rps: 40, loggedInShare: 0.3, sampleRate: 1, startMs: T0 },
    capture,
    capture,
  );
  if (yaml) sim.setConfig(parseConfig(yaml));
  const steps: DemoSpan[][] = [];
  for (let t = T0 + tickMs; t <= T0 + seconds * 1000; t += tickMs) {
    const before = capture.spans.length;
    sim.advance(t);
    steps.push(capture.spans.slice(before));
  }
  return steps;
}

function checkWholeTraces(steps: DemoSpan[][], tickMs: number): number {
  const deliveredAt = new Map<string, number>();
  let traces = 0;
  steps.forEach((spans, step) => {
    const nowMs = T0 + (step + 1) * tickMs;
    for (const span of spans) {
      const first = deliveredAt.get(span.traceId);
      if (first === undefined) {
        deliveredAt.set(span.traceId, step);
        traces++;
      } else expect(first, `trace ${span.traceId} split across deliveries`).toBe(step);
      // Never reported before it ended.
      expect(span.endMs).toBeLessThanOrEqual(nowMs);
    }
    // Node 20 has no Map.groupBy.
    const byTrace = new Map<string, DemoSpan[]>();
    for (const span of spans) byTrace.set(span.traceId, [...(byTrace.get(span.traceId) ?? []), span]);
    for (const [traceId, group] of byTrace) {
      const roots = group.filter((s) => s.parentSpanId === undefined);
      expect(
        roots.map((s) => s.serviceName),
        traceId,
      ).toEqual(["istio-ingressgateway.istio-system"]);
    }
  });
  return traces;
}

describe("span delivery", () => {
  it("hands every trace's spans to the sink in one step, root included", () => {
    const tickMs = 2;
    expect(checkWholeTraces(deliveries(tickMs, 3), tickMs)).toBeGreaterThan(50);
  });

  it("keeps a trace whole when a timeout leaves the server working after the client gave up", () => {
    const tickMs = 5;
    // reviews → ratings gets a 1 ms timeout while ratings takes longer: the server span outlives the client's.
    const yaml = `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: ratings, namespace: bookinfo }
spec:
  hosts: [ratings]
  http:
    - route: [{ destination: { host: ratings } }]
      timeout: 1ms
`;
    const steps = deliveries(tickMs, 3, yaml);
    expect(checkWholeTraces(steps, tickMs)).toBeGreaterThan(50);
    const spans = steps.flat();
    const byId = new Map(spans.map((s) => [s.spanId, s]));
    const outlived = spans.filter(
      (s) => s.kind === "server" && s.endMs > (byId.get(s.parentSpanId ?? "")?.endMs ?? s.endMs),
    );
    expect(outlived.length).toBeGreaterThan(0);
  });
});
