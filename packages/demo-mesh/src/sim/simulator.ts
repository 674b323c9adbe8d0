// The discrete-event demo mesh: Poisson arrivals at the entry; each request is simulated whole when it arrives
// (every hop with exact virtual start and end times), and what each proxy reports is queued until the virtual clock
// passes the moment it reports it.
//
// Determinism: all random draws happen while simulating arrivals, strictly in arrival order, so the output depends
// on the seed, topology, config (and when it was set) and the final time — not on how advance() calls slice time.
// Stateful proxy features (connection pools, outlier ejection, rate-limit buckets) see earlier requests' traffic
// at its exact virtual times, and later arrivals' only once those are simulated (an approximation that keeps the
// simulation single-pass).

import type { MeshObject } from "@meshscope/mesh-config";
import { forward, type Target } from "./client-proxy.js";
import type { MetricRecorder, Simulator, SimulatorOptions, SpanSink } from "./contracts.js";
import { holdSpansUntilTraceEnds, type Report, ReportQueue } from "./report-queue.js";
import { type RequestCtx, SimState } from "./sim-state.js";
import { TopologyIndex } from "./topology-index.js";

// Large jumps (bench mode) are simulated in slices so the queue holds at most a slice of requests at a time.
// Slicing does not change the output (see above).
const SLICE_MS = 1000;
const LOGGED_IN_USERS = ["jason", "jason", "maria", "kiali", "alex"];
const USER_AGENTS = [
  "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
  "curl/8.8.0",
];

class MeshSimulator implements Simulator {
  private readonly st: SimState;
  private readonly queue = new ReportQueue();
  private readonly meanGapMs: number;
  private readonly entryTargets: Target[];
  private started = false;
  private now = 0;
  private nextArrivalMs = 0;

  constructor(
    private readonly options: SimulatorOptions,
    private readonly metrics: MetricRecorder,
    private readonly spans: SpanSink,
  ) {
    const topo = new TopologyIndex(options.topology);
    this.st = new SimState(topo, options.seed);
    this.meanGapMs = options.rps > 0 ? 1000 / options.rps : Number.POSITIVE_INFINITY;
    const entry = options.topology.entry;
    const svc = topo.entryService;
    this.entryTargets = entry.paths.map((path) => ({
      host: svc.fqdn,
      hostNamespace: svc.namespace,
      fqdn: svc.fqdn,
      port: entry.port,
      path,
      // The external URL as the gateway sees it (`http.url` of its span).
      url: `http://${svc.name}.example.com${path}`,
    }));
    if (this.entryTargets.length === 0) throw new Error("the topology's entry has no paths");
    if (options.startMs !== undefined) this.start(options.startMs);
  }

  get nowMs(): number {
    return this.now;
  }

  setConfig(objects: readonly MeshObject[]): void {
    this.st.setConfig(objects);
  }

  advance(toMs: number): void {
    if (!this.started) this.start(toMs);
    while (this.now < toMs) {
      const sliceEnd = Math.min(toMs, this.now + SLICE_MS);
      while (this.nextArrivalMs <= sliceEnd) {
        this.queue.push(this.simulateRequest(this.nextArrivalMs));
        this.nextArrivalMs += this.st.prng.exponential(this.meanGapMs);
      }
      this.queue.drain(sliceEnd, this.deliver);
      this.now = sliceEnd;
    }
  }

  private start(atMs: number): void {
    this.started = true;
    this.now = atMs;
    this.nextArrivalMs = atMs + this.st.prng.exponential(this.meanGapMs);
  }

  private readonly deliver = (r: Report): void => {
    if (r.labels) this.metrics.recordRequest(r.labels, r.durationMs, r.requestBytes, r.responseBytes);
    else if (r.span) this.spans.emit(r.span);
  };

  private simulateRequest(arrivalMs: number): Report[] {
    const { st, options } = this;
    const target = st.prng.pick(this.entryTargets);
    const user = st.prng.chance(options.loggedInShare) ? st.prng.pick(LOGGED_IN_USERS) : undefined;
    const userAgent = st.prng.pick(USER_AGENTS);
    // Ids and the sampling decision come from their own stream (see SimState).
    const sampled = st.idPrng.chance(options.sampleRate);
    // Ids only matter to spans; unsampled requests skip them (x-request-id is therefore not matchable in routes).
    const requestId = sampled ? st.idPrng.uuid() : "";
    const traceId = sampled ? st.idPrng.hex(32) : "";
    const common = { "user-agent": userAgent };
    const ctx: RequestCtx = {
      reports: [],
      sampled,
      span: {
        traceId,
        requestId,
        userAgent,
        meshId: options.topology.trustDomain,
        clusterId: options.topology.cluster,
      },
      entryHeaders: common,
      forwardedHeaders: user ? { ...common, "end-user": user } : common,
      requestBytes: 420 + target.path.length + userAgent.length + (user ? 20 : 0),
    };
    const gateway = st.topo.entry;
    const pod = gateway.pods.length === 1 ? gateway.pods[0] : st.prng.pick(gateway.pods);
    if (!pod) return [];
    forward(st, ctx, gateway, pod, target, arrivalMs, undefined, Number.POSITIVE_INFINITY);
    if (sampled) holdSpansUntilTraceEnds(ctx.reports);
    return ctx.reports;
  }
}

/** A seeded simulator of `options.topology` that reports to `metrics` and `spans` as virtual time advances. */
export function createSimulator(options: SimulatorOptions, metrics: MetricRecorder, spans: SpanSink): Simulator {
  return new MeshSimulator(options, metrics, spans);
}
