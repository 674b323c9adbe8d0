// Change detection for the Kubernetes target by polling LIST and comparing resourceVersions.
//
// Why polling and not a WATCH: the target reads six resources, possibly in several namespaces; a real watch needs
// a long-lived stream per resource and namespace, re-listing on `410 Gone`, bookmarks, and reconnects through
// proxies and load balancers that cut idle streams. The consumer only needs "something changed, reload" within
// seconds, and a LIST of a few hundred Istio objects every 10 s costs the API server next to nothing, so a poll
// gives the same answer with none of that machinery (the trade-off is up to one interval of latency).
import type { Logger } from "../../ops/logger.js";

/** `VirtualService/bookinfo/reviews` → resourceVersion, for every object in the cluster the target reads. */
export type VersionMap = ReadonlyMap<string, string>;

export interface VersionPoller {
  /** The target itself wrote `key` (now at `resourceVersion`, or gone when undefined): not an external edit. */
  noteOwnWrite(key: string, resourceVersion: string | undefined): void;
  stop(): void;
}

export interface PollOptions {
  intervalMs: number;
  read(): Promise<VersionMap>;
  onChange(): void;
  logger?: Pick<Logger, "warn">;
}

// Own writes the poller has not seen yet; an object edited many times between two polls leaves stale entries,
// so the set is capped rather than left to grow.
const MAX_OWN_WRITES = 1000;

export function pollVersions(options: PollOptions): VersionPoller {
  let known: VersionMap | undefined;
  let inFlight = false;
  let stopped = false;
  const ownWrites = new Set<string>();

  const tick = async (): Promise<void> => {
    if (inFlight || stopped) return;
    inFlight = true;
    try {
      const now = await options.read();
      if (stopped) return;
      if (known !== undefined && hasExternalChange(known, now, ownWrites)) options.onChange();
      known = now;
    } catch (error) {
      // A failed poll (API server restarting, token expiring) is retried at the next interval; never fatal.
      options.logger?.warn("kubernetes mesh-config poll failed", { error });
    } finally {
      inFlight = false;
    }
  };

  void tick();
  const timer = setInterval(() => void tick(), options.intervalMs);
  timer.unref();
  return {
    noteOwnWrite(key, resourceVersion) {
      if (ownWrites.size >= MAX_OWN_WRITES) ownWrites.clear();
      ownWrites.add(ownWriteKey(key, resourceVersion));
    },
    stop() {
      stopped = true;
      clearInterval(timer);
    },
  };
}

function ownWriteKey(key: string, resourceVersion: string | undefined): string {
  return resourceVersion === undefined ? `${key}@deleted` : `${key}@${resourceVersion}`;
}

/** True when `now` differs from `before` in a way the target's own writes do not explain. Consumes those writes. */
function hasExternalChange(before: VersionMap, now: VersionMap, ownWrites: Set<string>): boolean {
  let external = false;
  const keys = new Set([...before.keys(), ...now.keys()]);
  for (const key of keys) {
    const version = now.get(key);
    if (before.get(key) === version) continue;
    const own = ownWriteKey(key, version);
    if (ownWrites.has(own)) ownWrites.delete(own);
    else external = true;
  }
  return external;
}
