// Test support: a capturing MetricRecorder/SpanSink and a one-call runner over virtual time.

import { parseMeshYaml } from "@meshscope/mesh-config";
import { bookinfoTopology } from "./bookinfo.js";
import type { DemoSpan, IstioRequestLabels, MetricRecorder, SpanSink, Topology } from "./contracts.js";
import { createSimulator } from "./simulator.js";

export interface RecordedRequest {
  labels: IstioRequestLabels;
  durationMs: number;
  requestBytes: number;
  responseBytes: number;
}

export class Capture implements MetricRecorder, SpanSink {
  readonly requests: RecordedRequest[] = [];
  readonly spans: DemoSpan[] = [];

  recordRequest(labels: IstioRequestLabels, durationMs: number, requestBytes: number, responseBytes: number): void {
    this.requests.push({ labels, durationMs, requestBytes, responseBytes });
  }

  emit(span: DemoSpan): void {
    this.spans.push(span);
  }

  /** Requests on one edge as one reporter saw them (`from` = source workload, `to` = destination service name). */
  edge(reporter: "source" | "destination", from: string, to: string): RecordedRequest[] {
    return this.requests.filter(
      (r) =>
        r.labels.reporter === reporter && r.labels.source_workload === from && r.labels.destination_service_name === to,
    );
  }
}

export const T0 = 1_700_000_000_000;

export interface RunOptions {
  /** Istio YAML; several texts are joined as separate documents. */
  yaml?: string | string[];
  topology?: Topology;
  seed?: number;
  rps?: number;
  seconds?: number;
  loggedInShare?: number;
  sampleRate?: number;
  /** advance() step, ms (default: one jump to the end). */
  tickMs?: number;
}

export function parseConfig(yaml: string, namespace = "bookinfo") {
  const parsed = parseMeshYaml(yaml, { defaultNamespace: namespace });
  if (parsed.errors.length > 0) throw new Error(`bad test YAML: ${parsed.errors.map((e) => e.message).join("; ")}`);
  return parsed.objects;
}

/** Simulates `seconds` of traffic from T0 and returns everything reported by then. */
export function run(o: RunOptions = {}): Capture {
  const capture = new Capture();
  const sim = createSimulator(
    {
      topology: o.topology ?? bookinfoTopology(),
      seed: o.seed ?? 7,
      rps: o.rps ?? 50,
      loggedInShare: o.loggedInShare ?? 0.3,
      sampleRate: o.sampleRate ?? 0,
      startMs: T0,
    },
    capture,
    capture,
  );
  if (o.yaml) sim.setConfig(parseConfig(Array.isArray(o.yaml) ? o.yaml.join("\n---\n") : o.yaml));
  const end = T0 + (o.seconds ?? 20) * 1000;
  if (o.tickMs) for (let t = T0 + o.tickMs; t < end; t += o.tickMs) sim.advance(t);
  sim.advance(end);
  return capture;
}

/** Share of `items` that satisfy `pred`. */
export function share<T>(items: readonly T[], pred: (x: T) => boolean): number {
  return items.length === 0 ? Number.NaN : items.filter(pred).length / items.length;
}
