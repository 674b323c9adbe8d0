// DestinationRule connectionPool limits as the client proxy enforces them, per (client workload, upstream cluster)
// — Envoy's circuit breakers live in each client proxy's cluster (istio.md §4.2). With HTTP/1.1 each active request
// holds a connection: beyond `tcp.maxConnections` requests wait in the pending queue, beyond
// `http.http1MaxPendingRequests` waiting ones the request fails at once with 503 UO; `http.http2MaxRequests` caps
// active requests outright. The queue is approximated: a waiting request is dispatched when the k-th earliest
// active request ends (k = its place in the queue).
//
// Every client proxy of a workload is modelled as one (the demo runs one replica per client workload).

import type { ConnectionPoolSettings } from "@meshscope/mesh-config";

// Envoy's default thresholds are 2^32-1, i.e. no limit in practice.
const UNLIMITED = 4294967295;
// Intervals that ended this long before the request being admitted can no longer overlap anything still to come:
// requests of one arrival are admitted at times at most a request's length apart.
const PRUNE_AFTER_MS = 120_000;

interface Interval {
  start: number;
  end: number;
}

export type Admission = { overflow: true } | { overflow: false; dispatchMs: number };

class PoolState {
  active: Interval[] = [];
  pending: Interval[] = [];
  lastPruneMs = 0;
}

function covering(list: Interval[], t: number): Interval[] {
  return list.filter((i) => i.start <= t && t < i.end);
}

export class ConnectionPools {
  private readonly pools = new Map<string, PoolState>();

  /** When a request arriving at `atMs` can go upstream, or that it overflows. Call `hold` once it is sent. */
  admit(key: string, settings: ConnectionPoolSettings, atMs: number): Admission {
    const maxConnections = settings.tcp?.maxConnections ?? UNLIMITED;
    const maxPending = settings.http?.http1MaxPendingRequests ?? UNLIMITED;
    const maxRequests = settings.http?.http2MaxRequests ?? UNLIMITED;
    const pool = this.pool(key, atMs);
    const active = covering(pool.active, atMs);
    if (active.length >= maxRequests) return { overflow: true };
    if (active.length < maxConnections) return { overflow: false, dispatchMs: atMs };
    const waiting = covering(pool.pending, atMs).length;
    if (waiting >= maxPending) return { overflow: true };
    const ends = active.map((i) => i.end).sort((a, b) => a - b);
    const dispatchMs = ends[Math.min(waiting, ends.length - 1)] ?? atMs;
    pool.pending.push({ start: atMs, end: dispatchMs });
    return { overflow: false, dispatchMs };
  }

  /** The request holds a connection from dispatch until its response (or reset) ends it. */
  hold(key: string, startMs: number, endMs: number): void {
    this.pool(key, startMs).active.push({ start: startMs, end: Math.max(endMs, startMs + 1e-3) });
  }

  private pool(key: string, atMs: number): PoolState {
    let pool = this.pools.get(key);
    if (!pool) {
      pool = new PoolState();
      this.pools.set(key, pool);
    }
    if (atMs - pool.lastPruneMs > PRUNE_AFTER_MS) {
      const horizon = atMs - PRUNE_AFTER_MS;
      pool.active = pool.active.filter((i) => i.end > horizon);
      pool.pending = pool.pending.filter((i) => i.end > horizon);
      pool.lastPruneMs = atMs;
    }
    return pool;
  }
}
