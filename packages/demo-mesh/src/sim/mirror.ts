// Traffic mirroring (VirtualService `mirror`/`mirrorPercentage`, or `mirrors`): the client proxy sends a copy
// to the mirror cluster with `-shadow` appended to the Host, and ignores the answer.
//
// Reporting, deliberately: only the mirror's server proxy reports the copy (`reporter="destination"`). Envoy
// sends shadows through an async client that bypasses the HTTP filter chain, so the client proxy's istio_stats
// filter never sees them and there is no source report — the mirror edge shows up from destination telemetry.

import type { Destination } from "@meshscope/mesh-config";
import { toFqdn } from "@meshscope/mesh-config";
import type { Hop } from "./client-proxy.js";
import type { RouteMatch } from "./routing.js";
import { emitServerReports, NET_MS, serve } from "./server-side.js";

export function mirror(hop: Hop, m: RouteMatch): void {
  const { route, vs } = m;
  const targets: { destination: Destination; share: number }[] = [];
  // `mirrorPercentage` absent = 100 % (virtual_service.proto); `mirrors[].percentage` likewise.
  if (route.mirror) targets.push({ destination: route.mirror, share: (route.mirrorPercentage?.value ?? 100) / 100 });
  for (const x of route.mirrors ?? [])
    targets.push({ destination: x.destination, share: (x.percentage?.value ?? 100) / 100 });
  const { st } = hop;
  for (const { destination, share } of targets) {
    if (share < 1 && !st.prng.chance(share)) continue;
    const lookup = st.clusters.lookup(
      hop.src.namespace,
      destination.host,
      vs.metadata.namespace,
      destination.subset,
      destination.port?.number,
    );
    // A mirror to a missing cluster or an empty subset goes nowhere; the caller never notices.
    if (!lookup.found || lookup.cluster.hosts.length === 0) continue;
    const cluster = lookup.cluster;
    const host = st.prng.pick(cluster.hosts);
    const tlsMode = cluster.policy.tls?.mode;
    const serverMode = st.config.mtlsMode(host.workload);
    const clientMtls = tlsMode === undefined || tlsMode === "ISTIO_MUTUAL";
    if (!clientMtls && serverMode === "STRICT") continue;
    const shadowHost = `${toFqdn(destination.host, vs.metadata.namespace).split(".")[0] ?? destination.host}-shadow`;
    const inbound = {
      source: hop.src,
      sourcePod: hop.srcPod,
      mtls: clientMtls && serverMode !== "DISABLE",
      path: hop.target.path,
      url: `http://${shadowHost}:${cluster.port}${hop.target.path}`,
      port: cluster.port,
      parentSpanId: hop.clientSpanId,
      startMs: hop.startMs + NET_MS,
      service: cluster.ref,
    };
    const server = serve(st, hop.ctx, host, inbound);
    emitServerReports(st, hop.ctx, host, inbound, server, server.endMs);
  }
}
