// The calling side of a hop: the caller's sidecar (or the ingress gateway) routes the request (VirtualService),
// applies client-side faults, resolves the upstream cluster (DestinationRule subsets), enforces circuit breakers
// and outlier ejection, times out and retries, mirrors — and reports what it saw as `reporter="source"` plus a
// CLIENT span. Failures it produces itself reach no server, so they have no destination report (istio.md §1.4).

import { type HTTPRoute, parseIstioDurationMs, type VirtualService } from "@meshscope/mesh-config";
import { joinFlags, type ServiceRef } from "./labels.js";
import { mirror } from "./mirror.js";
import { metricReport, spanReport } from "./report-queue.js";
import { backoffMs, type FailureKind, isRetriable, routePolicy } from "./retry-policy.js";
import { pickDestination, type RequestAttrs, type RouteMatch, routeOperation, selectRoute } from "./routing.js";
import { emitServerReports, NET_MS, serve } from "./server-side.js";
import type { RequestCtx, SimState } from "./sim-state.js";
import { proxySpan } from "./spans.js";
import type { PodRt, Target, TargetMemo, WorkloadRt } from "./topology-index.js";
import type { UpstreamCluster, UpstreamHost } from "./upstream-cluster.js";

export type { Target } from "./topology-index.js";

/** Time the proxy takes to answer by itself (local reply), in ms. */
const LOCAL_MS = 0.05;
// Bodies of Envoy's local replies, by flag: "upstream connect error or disconnect/reset before headers. reset
// reason: overflow", "no healthy upstream", "fault filter abort", "upstream request timeout", ...
const LOCAL_BODY_BYTES: Readonly<Record<string, number>> = {
  UO: 81,
  UH: 19,
  FI: 18,
  UT: 24,
  UF: 91,
  NR: 0,
  NC: 0,
  DC: 0,
};
const RESPONSE_HEADER_BYTES = 150;

export interface CallOutcome {
  endMs: number;
  code: number;
}

/** One request as the client proxy handles it. */
export interface Hop {
  st: SimState;
  ctx: RequestCtx;
  src: WorkloadRt;
  srcPod: PodRt;
  target: Target;
  startMs: number;
  parentSpanId: string | undefined;
  clientSpanId: string;
  /** When the calling app gives up and resets the stream (its own timeout); Infinity when it waits. */
  cancelAtMs: number;
}

interface Final {
  endMs: number;
  code: number;
  flags: string[];
  host: UpstreamHost | null;
  mtls: boolean;
  responseBytes: number;
  ref: ServiceRef;
  clusterName: string;
  operation: string;
}

interface AttemptResult {
  endMs: number;
  code: number;
  flags: string[];
  host: UpstreamHost | null;
  mtls: boolean;
  responseBytes: number;
  /** Set when Envoy's retry logic may consider the outcome; null for success and for local non-retried answers. */
  failure: FailureKind | null;
  /** The attempt ended the whole request: the app cancelled, or the route timeout fired. */
  terminal: boolean;
}

export function forward(
  st: SimState,
  ctx: RequestCtx,
  src: WorkloadRt,
  srcPod: PodRt,
  target: Target,
  startMs: number,
  parentSpanId: string | undefined,
  cancelAtMs: number,
): CallOutcome {
  const hop: Hop = { st, ctx, src, srcPod, target, startMs, parentSpanId, cancelAtMs, clientSpanId: "" };
  const memo = targetMemo(st, src, target);
  const routing = resolveRoute(hop, memo);
  hop.clientSpanId = ctx.sampled ? st.idPrng.hex(16) : "";
  const fallback = memo.defaultLookup;
  if (routing === undefined) {
    if (!fallback.found)
      return finish(hop, localFinal(startMs, 503, ["NC"], fallback.ref, fallback.name, memo.defaultOperation));
    return finish(hop, runAttempts(hop, fallback.cluster, startMs, undefined, memo.defaultOperation));
  }
  const operation = routeOperation(routing ?? undefined, target.fqdn, target.port);
  const noRoute = (): CallOutcome => {
    const ref = fallback.found ? fallback.cluster.ref : fallback.ref;
    const name = fallback.found ? fallback.cluster.name : fallback.name;
    return finish(hop, localFinal(startMs, 404, ["NR"], ref, name, operation));
  };
  if (routing === null) return noRoute();
  const dest = pickDestination(routing.route, st.prng);
  if (!dest) return noRoute();
  const lookup = st.clusters.lookup(
    src.namespace,
    dest.host,
    routing.vs.metadata.namespace,
    dest.subset,
    dest.port?.number,
  );
  mirror(hop, routing);
  if (!lookup.found) return finish(hop, localFinal(startMs, 503, ["NC"], lookup.ref, lookup.name, operation));
  return finish(hop, withFaults(hop, routing.route, lookup.cluster, operation));
}

/** What routing needs about a target under the config in force, computed once per config. */
function targetMemo(st: SimState, src: WorkloadRt, target: Target): TargetMemo {
  const memo = target.memo;
  // Targets are per calling workload (or the gateway's entry), so the client namespace is fixed per target.
  if (memo && memo.configVersion === st.config.version) return memo;
  const fresh: TargetMemo = {
    configVersion: st.config.version,
    virtualService: src.gateway ? undefined : st.config.sidecarVirtualService(target.fqdn),
    defaultLookup: st.clusters.lookup(src.namespace, target.fqdn, target.hostNamespace, undefined, target.port),
    defaultOperation: routeOperation(undefined, target.fqdn, target.port),
  };
  target.memo = fresh;
  return fresh;
}

/** undefined = no VirtualService (default route); null = a VirtualService applies but no route matches (404 NR). */
function resolveRoute(hop: Hop, memo: TargetMemo): RouteMatch | undefined | null {
  const { src, ctx, target } = hop;
  let candidates: readonly VirtualService[];
  if (src.gateway) {
    // Gateway-bound VirtualServices apply at the gateway; mesh ones do not (istio.md §6 #11). Without any, the
    // demo behaves as if bookinfo-gateway.yaml routed every path to the entry service.
    candidates = hop.st.config.gatewayVirtualServices;
  } else {
    candidates = memo.virtualService ? [memo.virtualService] : [];
  }
  if (candidates.length === 0) return undefined;
  const attrs: RequestAttrs = {
    path: target.path,
    method: "GET",
    headers: src.gateway ? ctx.entryHeaders : ctx.forwardedHeaders,
    sourceLabels: src.labels,
    sourceNamespace: src.namespace,
    port: target.port,
  };
  return selectRoute(candidates, attrs) ?? null;
}

const percentOf = (p: { percentage?: { value: number }; percent?: number } | undefined): number =>
  (p?.percentage?.value ?? p?.percent ?? 0) / 100;

function withFaults(hop: Hop, route: HTTPRoute | undefined, cluster: UpstreamCluster, operation: string): Final {
  const { st, startMs } = hop;
  const fault = route?.fault;
  const flags: string[] = [];
  let t = startMs;
  // Delay and abort are drawn independently (virtual_service.proto); the fault filter delays first.
  if (fault?.delay && st.prng.chance(percentOf(fault.delay))) {
    t += parseIstioDurationMs(fault.delay.fixedDelay ?? "0") ?? 0;
    flags.push("DI");
  }
  const aborted = fault?.abort !== undefined && st.prng.chance(percentOf(fault.abort));
  if (t >= hop.cancelAtMs) {
    return localFinal(hop.cancelAtMs, 0, [...flags, "DC"], cluster.ref, cluster.name, operation);
  }
  if (aborted) {
    return localFinal(
      t + LOCAL_MS,
      fault?.abort?.httpStatus ?? 503,
      [...flags, "FI"],
      cluster.ref,
      cluster.name,
      operation,
    );
  }
  const final = runAttempts(hop, cluster, t, route, operation);
  final.flags.unshift(...flags);
  return final;
}

function localFinal(
  atMs: number,
  code: number,
  flags: string[],
  ref: ServiceRef,
  clusterName: string,
  operation: string,
): Final {
  const last = flags[flags.length - 1] ?? "";
  return {
    // Code 0: the app hung up; nothing was answered, so no local-reply time.
    endMs: atMs + (code === 0 ? 0 : LOCAL_MS),
    code,
    flags,
    host: null,
    mtls: false,
    responseBytes: (LOCAL_BODY_BYTES[last] ?? 0) + (code === 0 ? 0 : RESPONSE_HEADER_BYTES),
    ref,
    clusterName,
    operation,
  };
}

function runAttempts(
  hop: Hop,
  cluster: UpstreamCluster,
  startMs: number,
  route: HTTPRoute | undefined,
  operation: string,
): Final {
  const policy = routePolicy(route);
  const overallEndMs = startMs + policy.timeoutMs;
  const tried: number[] = [];
  let attemptStart = startMs;
  for (let n = 0; ; n++) {
    const perTryEndMs = Math.min(overallEndMs, attemptStart + policy.retry.perTryTimeoutMs);
    const r = attempt(hop, cluster, attemptStart, perTryEndMs, perTryEndMs === overallEndMs, tried);
    // Built field by field: an object spread here dominated the profile of large synthetic meshes.
    const final: Final = {
      endMs: r.endMs,
      code: r.code,
      flags: r.flags,
      host: r.host,
      mtls: r.mtls,
      responseBytes: r.responseBytes,
      ref: cluster.ref,
      clusterName: cluster.name,
      operation,
    };
    if (r.terminal || r.failure === null || !isRetriable(policy.retry, r.failure, r.code)) return final;
    if (n >= policy.retry.retries) {
      // Envoy sets UpstreamRetryLimitExceeded when a retriable failure finds no retry left.
      final.flags.push("URX");
      return final;
    }
    attemptStart = r.endMs + backoffMs(n + 1, hop.st.prng.next());
    if (attemptStart >= hop.cancelAtMs)
      return localFinal(hop.cancelAtMs, 0, ["DC"], cluster.ref, cluster.name, operation);
    if (attemptStart >= overallEndMs)
      return localFinal(overallEndMs, 504, ["UT"], cluster.ref, cluster.name, operation);
  }
}

function pickHost(
  hop: Hop,
  cluster: UpstreamCluster,
  healthy: readonly number[],
  tried: readonly number[],
): UpstreamHost | undefined {
  // Common case, same draw as below: every host healthy, none tried yet.
  if (tried.length === 0 && healthy === cluster.hostKeys) return hop.st.prng.pick(cluster.hosts);
  // Istio's default retry host predicate (previous_hosts) steers retries away from hosts already tried.
  const fresh = tried.length === 0 ? healthy : healthy.filter((k) => !tried.includes(k));
  const pool = fresh.length > 0 ? fresh : healthy;
  const key = hop.st.prng.pick(pool);
  return cluster.hosts.find((h) => h.pod.key === key);
}

function localAttempt(atMs: number, code: number, flag: string, failure: FailureKind | null): AttemptResult {
  return {
    endMs: atMs + LOCAL_MS,
    code,
    flags: [flag],
    host: null,
    mtls: false,
    responseBytes: (LOCAL_BODY_BYTES[flag] ?? 0) + RESPONSE_HEADER_BYTES,
    failure,
    terminal: false,
  };
}

function attempt(
  hop: Hop,
  cluster: UpstreamCluster,
  startMs: number,
  perTryEndMs: number,
  perTryIsOverall: boolean,
  tried: number[],
): AttemptResult {
  const { st } = hop;
  const pool = cluster.policy.connectionPool;
  const od = cluster.policy.outlierDetection;
  // Circuit breakers and outlier detectors live in each client proxy's cluster.
  const key = pool || od ? `${hop.src.index}|${cluster.name}` : "";
  let dispatchMs = startMs;
  if (pool) {
    const admission = st.pools.admit(key, pool, startMs);
    if (admission.overflow) return localAttempt(startMs, 503, "UO", null);
    dispatchMs = admission.dispatchMs;
  }
  const healthy = od ? st.outliers.healthyHosts(key, od, cluster.hostKeys, dispatchMs) : cluster.hostKeys;
  const host = healthy.length > 0 ? pickHost(hop, cluster, healthy, tried) : undefined;
  if (!host) return localAttempt(dispatchMs, 503, "UH", null);
  tried.push(host.pod.key);
  const r = exchange(hop, cluster, host, dispatchMs, perTryEndMs, perTryIsOverall);
  if (pool) st.pools.hold(key, dispatchMs, r.endMs);
  if (od && !(r.terminal && r.code === 0)) st.outliers.record(key, od, cluster.hostKeys, host.pod.key, r.endMs, r.code);
  return r;
}

/** One request on the wire to `host`: mTLS handshake, the server's work, and the cut-offs on the client side. */
function exchange(
  hop: Hop,
  cluster: UpstreamCluster,
  host: UpstreamHost,
  dispatchMs: number,
  perTryEndMs: number,
  perTryIsOverall: boolean,
): AttemptResult {
  const { st } = hop;
  // Auto mTLS: without a DestinationRule `tls` (or with ISTIO_MUTUAL) sidecars talk Istio mTLS to sidecars.
  const tlsMode = cluster.policy.tls?.mode;
  const clientMtls = tlsMode === undefined || tlsMode === "ISTIO_MUTUAL";
  const serverMode = st.config.mtlsMode(host.workload);
  if (!clientMtls && serverMode === "STRICT") {
    // A STRICT server proxy resets plaintext connections: a connect failure on the client (istio.md §6 #8).
    return localAttempt(dispatchMs + 1, 503, "UF", "connect-failure");
  }
  const mtls = clientMtls && serverMode !== "DISABLE";
  const oneWay = NET_MS + st.prng.next() * NET_MS;
  const inbound = {
    source: hop.src,
    sourcePod: hop.srcPod,
    mtls,
    path: hop.target.path,
    // Only spans use it.
    url: hop.ctx.sampled ? `http://${hop.target.host}:${cluster.port}${hop.target.path}` : "",
    port: cluster.port,
    parentSpanId: hop.clientSpanId,
    startMs: dispatchMs + oneWay,
    service: cluster.ref,
  };
  const server = serve(st, hop.ctx, host, inbound);
  const responseAt = server.endMs + oneWay;
  const cutoff = Math.min(perTryEndMs, hop.cancelAtMs);
  if (responseAt <= cutoff) {
    emitServerReports(st, hop.ctx, host, inbound, server, server.endMs);
    const ok = server.code < 400;
    return {
      endMs: responseAt,
      code: server.code,
      flags: [],
      host,
      mtls,
      responseBytes: server.responseBytes,
      failure: ok ? null : "response",
      terminal: false,
    };
  }
  // The client side gives up first: its reset reaches the server proxy, which logs the stream as DC.
  emitServerReports(st, hop.ctx, host, inbound, server, Math.min(server.endMs, cutoff + oneWay));
  const cancelled = hop.cancelAtMs <= perTryEndMs;
  if (cancelled)
    return { ...localAttempt(cutoff, 0, "DC", null), endMs: cutoff, responseBytes: 0, host, mtls, terminal: true };
  return {
    ...localAttempt(cutoff, 504, "UT", perTryIsOverall ? null : "per-try-timeout"),
    endMs: cutoff,
    host,
    mtls,
    terminal: perTryIsOverall,
  };
}

/** The source report and the CLIENT span of the hop, due when the client proxy finished with it. */
function finish(hop: Hop, f: Final): CallOutcome {
  const { st, ctx, src, srcPod } = hop;
  const flags = joinFlags(f.flags);
  const labels = st.labels.labels({
    reporter: "source",
    source: src,
    destination: f.host?.workload ?? null,
    service: f.ref,
    code: f.code,
    flags,
    mtls: f.mtls,
  });
  const durationMs = f.endMs - hop.startMs;
  ctx.reports.push(metricReport(f.endMs, labels, durationMs, ctx.requestBytes, f.responseBytes));
  if (ctx.sampled) {
    const span = proxySpan(ctx.span, {
      spanId: hop.clientSpanId,
      parentSpanId: hop.parentSpanId,
      kind: "client",
      name: f.operation,
      workload: src,
      pod: srcPod,
      startMs: hop.startMs,
      endMs: f.endMs,
      url: hop.target.url,
      upstreamCluster: f.clusterName,
      peerAddress: srcPod.ip,
      upstreamAddress: f.host ? `${f.host.pod.ip}:${hop.target.port}` : undefined,
      code: f.code,
      flags,
      requestSize: 0,
      responseSize: Math.max(0, f.responseBytes - RESPONSE_HEADER_BYTES),
    });
    ctx.reports.push(spanReport(span));
  }
  return { endMs: f.endMs, code: f.code };
}
