// The called side of a hop: the server's sidecar (local rate limit, then RBAC — the documented EnvoyFilter
// inserts the rate limiter first in the inbound chain), then the application itself, which may call further
// services. The server proxy reports `reporter="destination"` and a SERVER span per request that reached it.

import { isAllowed } from "./authz.js";
import { forward } from "./client-proxy.js";
import type { ServiceRef } from "./labels.js";
import { drawLogNormal } from "./prng.js";
import { metricReport, spanReport } from "./report-queue.js";
import type { RequestCtx, SimState } from "./sim-state.js";
import { proxySpan } from "./spans.js";
import type { PodRt, WorkloadRt } from "./topology-index.js";
import type { UpstreamHost } from "./upstream-cluster.js";

/** One-way network time between two pods, ms (plus up to as much again of jitter). */
export const NET_MS = 0.1;
/** Time a proxy adds on each pass of a request through it, ms. */
const PROXY_MS = 0.15;
/** Share of an app's own service time spent before its first outbound call (parsing, auth, cache lookups). */
const SHARE_BEFORE_CALLS = 0.3;
const RESPONSE_HEADER_BYTES = 150;
// Bodies of the server proxy's local replies: "local_rate_limited", "RBAC: access denied".
const RATE_LIMITED_BODY = 18;
const RBAC_DENIED_BODY = 19;
// A typical framework error page for the app's own 500s.
const APP_ERROR_BODY = 95;

export interface Inbound {
  source: WorkloadRt;
  sourcePod: PodRt;
  mtls: boolean;
  /** Path with query, as sent. */
  path: string;
  url: string;
  port: number;
  parentSpanId: string;
  startMs: number;
  service: ServiceRef;
}

export interface ServerResult {
  spanId: string;
  endMs: number;
  code: number;
  flags: string;
  responseBytes: number;
}

function principalOf(spiffe: string): string {
  return spiffe.startsWith("spiffe://") ? spiffe.slice("spiffe://".length) : spiffe;
}

export function serve(st: SimState, ctx: RequestCtx, host: UpstreamHost, inbound: Inbound): ServerResult {
  const { workload: w, pod } = host;
  const spanId = ctx.sampled ? st.idPrng.hex(16) : "";
  const t = inbound.startMs + PROXY_MS;
  const bucket = st.config.rateLimit(w);
  if (bucket && st.prng.chance(bucket.enabledShare) && !st.buckets.take(pod.key, bucket, t)) {
    if (st.prng.chance(bucket.enforcedShare)) {
      return { spanId, endMs: t, code: 429, flags: "RL", responseBytes: RATE_LIMITED_BODY + RESPONSE_HEADER_BYTES };
    }
  }
  const policies = st.config.authorizationPolicies(w);
  if (policies) {
    const q = inbound.path.indexOf("?");
    const allowed = isAllowed(policies, {
      // Peer identity comes from the client certificate: without mTLS, principal and namespace are unknown.
      principal: inbound.mtls ? principalOf(inbound.source.principal) : undefined,
      namespace: inbound.mtls ? inbound.source.namespace : undefined,
      method: "GET",
      path: q < 0 ? inbound.path : inbound.path.slice(0, q),
      port: inbound.port,
      headers: inbound.source.gateway ? ctx.entryHeaders : ctx.forwardedHeaders,
    });
    if (!allowed)
      return { spanId, endMs: t, code: 403, flags: "-", responseBytes: RBAC_DENIED_BODY + RESPONSE_HEADER_BYTES };
  }
  const app = runApp(st, ctx, w, pod, t, spanId);
  return { spanId, endMs: app.endMs + PROXY_MS, code: app.code, flags: "-", responseBytes: app.responseBytes };
}

/**
 * The application: its own service time around its outbound calls, made one after another (Bookinfo's apps call
 * sequentially). A failed call degrades the answer (default, as Bookinfo: productpage still answers 200 with an
 * error box; reviews answers 200 with "ratings unavailable") or fails it with 500 (`onFailure: "fail"`).
 */
function runApp(st: SimState, ctx: RequestCtx, w: WorkloadRt, pod: PodRt, startMs: number, serverSpanId: string) {
  const self = drawLogNormal(st.prng, w.latency);
  let t = startMs + self * SHARE_BEFORE_CALLS;
  let failed = false;
  for (const c of w.calls) {
    if (c.probability < 1 && !st.prng.chance(c.probability)) continue;
    const tries = 1 + (c.call.appRetries ?? 0);
    let ok = false;
    for (let i = 0; i < tries && !ok; i++) {
      const cancelAt = c.call.appTimeoutMs === undefined ? Number.POSITIVE_INFINITY : t + c.call.appTimeoutMs;
      const r = forward(st, ctx, w, pod, c.target, t, serverSpanId || undefined, cancelAt);
      ok = r.code >= 200 && r.code < 400;
      t = r.endMs;
    }
    if (!ok && c.failsCaller) {
      failed = true;
      break;
    }
  }
  t += self * (1 - SHARE_BEFORE_CALLS);
  const code = failed || st.prng.chance(w.spec.errorRate) ? 500 : 200;
  const body = code === 200 ? Math.round(w.responseBytes * (0.9 + 0.2 * st.prng.next())) : APP_ERROR_BODY;
  return { endMs: t, code, responseBytes: body + RESPONSE_HEADER_BYTES };
}

/**
 * The destination report and SERVER span of one request that reached `host`. `endMs` earlier than the server's
 * own end means the client reset the stream: the server proxy logs response code 0 with flag DC, while the app
 * (which does not notice) finishes its work and its own outbound calls anyway.
 */
export function emitServerReports(
  st: SimState,
  ctx: RequestCtx,
  host: UpstreamHost,
  inbound: Inbound,
  server: ServerResult,
  endMs: number,
): void {
  const cut = endMs < server.endMs;
  const code = cut ? 0 : server.code;
  const flags = cut ? "DC" : server.flags;
  const responseBytes = cut ? 0 : server.responseBytes;
  const labels = st.labels.labels({
    reporter: "destination",
    source: inbound.source,
    destination: host.workload,
    service: inbound.service,
    code,
    flags,
    mtls: inbound.mtls,
  });
  const durationMs = endMs - inbound.startMs;
  ctx.reports.push(metricReport(endMs, labels, durationMs, ctx.requestBytes, responseBytes));
  if (!ctx.sampled) return;
  const span = proxySpan(ctx.span, {
    spanId: server.spanId,
    parentSpanId: inbound.parentSpanId,
    kind: "server",
    name: `${inbound.service.fqdn}:${inbound.port}/*`,
    workload: host.workload,
    pod: host.pod,
    startMs: inbound.startMs,
    endMs,
    url: inbound.url,
    upstreamCluster: `inbound|${inbound.port}||`,
    peerAddress: inbound.sourcePod.ip,
    upstreamAddress: `${host.pod.ip}:${inbound.port}`,
    code,
    flags,
    requestSize: 0,
    responseSize: Math.max(0, responseBytes - RESPONSE_HEADER_BYTES),
  });
  ctx.reports.push(spanReport(span));
}
