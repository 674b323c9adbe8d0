/**
 * Which reporter's numbers the graph uses. Istio counts every sidecar-to-sidecar request twice, once by the
 * client's proxy (`reporter="source"`) and once by the server's (`reporter="destination"`). Kiali's pinning, which
 * this follows: a request that reached a destination proxy is counted from the destination's report; the source's
 * report is used only where no destination report can exist —
 *  - the destination has no proxy (out-of-mesh services, PassthroughCluster/BlackHoleCluster, egress),
 *  - the request never reached a workload (destination_workload "unknown": no route, no healthy upstream),
 *  - the client's proxy failed it locally: Envoy's client-side flags (UO overflow/circuit breaker, UH no healthy
 *    upstream, UF connection failure, URX retries exhausted, NR no route, NC no cluster, UT upstream timeout,
 *    FI fault abort) exist only in the source report; the destination either never saw the request or saw an
 *    attempt the client gave up on, so the client's report is the request's outcome.
 * `DI` (injected delay) alone is not a failure: the delayed request still reaches the destination, which counts it.
 * Waypoint (ambient) reports are ignored.
 */
import type { EdgeKey } from "../metrics/edge-key.js";
import type { EdgeTraffic } from "../metrics/metric-reader.js";

export const CLIENT_LOCAL_FAILURE_FLAGS: ReadonlySet<string> = new Set([
  "UO",
  "UH",
  "UF",
  "URX",
  "NR",
  "NC",
  "UT",
  "FI",
]);

/** Envoy joins several flags with ",". */
export function responseFlagList(flags: string): string[] {
  return flags === "-" || flags === "" || flags === "unknown" ? [] : flags.split(",");
}

export function hasClientLocalFailure(flags: string): boolean {
  return responseFlagList(flags).some((f) => CLIENT_LOCAL_FAILURE_FLAGS.has(f));
}

/** Caller workload → destination service → destination workload, and the protocol: one hop seen by both proxies. */
function hopKey(t: EdgeTraffic): string {
  const k = t.key;
  let key = hopKeys.get(k);
  if (key === undefined) {
    key = hopKeyOf(k);
    hopKeys.set(k, key);
  }
  return key;
}

/** Memoised on the key object, which lives as long as its stream (a live graph asks every few seconds). */
const hopKeys = new WeakMap<EdgeKey, string>();

function hopKeyOf(k: EdgeKey): string {
  return [
    k.sourceNamespace,
    k.sourceWorkload,
    k.destinationServiceNamespace,
    k.destinationServiceName,
    k.destinationNamespace,
    k.destinationWorkload,
    k.requestProtocol,
  ].join("\u0000");
}

/** The entries to count, each request once (see the module comment). */
export function pinReporters(edges: readonly EdgeTraffic[]): EdgeTraffic[] {
  const reportedByDestination = new Set<string>();
  for (const t of edges) if (t.key.reporter === "destination") reportedByDestination.add(hopKey(t));
  const counted: EdgeTraffic[] = [];
  for (const t of edges) {
    if (t.key.reporter === "destination") counted.push(t);
    else if (t.key.reporter === "source") {
      if (
        t.key.destinationWorkload === "unknown" ||
        hasClientLocalFailure(t.key.responseFlags) ||
        !reportedByDestination.has(hopKey(t))
      ) {
        counted.push(t);
      }
    }
  }
  return counted;
}
