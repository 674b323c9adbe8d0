// DestinationRule outlierDetection as each client proxy applies it to the hosts (pods) of one upstream cluster
// (istio.md §4.2, Envoy outlier detection): `consecutive5xxErrors` (default 5) or `consecutiveGatewayErrors`
// (502/503/504; off by default) in a row eject the host for baseEjectionTime × (number of its ejections), default
// 30 s. At most maxEjectionPercent (default 10 %) of the hosts are ejected, but Envoy always allows ejecting one.
// Istio's default minHealthPercent is 0, so there is no panic mode: with every host ejected the client answers
// 503 UH. Local failures (timeouts, connect failures) count as 5xx since Istio does not split local-origin errors.
//
// Outcomes become known at their response time, which may lie after the start of a request simulated later; they
// are applied lazily in time order, so a request only sees outcomes that had happened before it started.

import { type OutlierDetection, parseIstioDurationMs } from "@meshscope/mesh-config";

interface Outcome {
  atMs: number;
  host: number;
  code: number;
}

interface HostState {
  consecutive5xx: number;
  consecutiveGateway: number;
  ejections: number;
  ejectedUntilMs: number;
}

interface Settings {
  consecutive5xx: number;
  consecutiveGateway: number;
  baseEjectionMs: number;
  maxEjectionPercent: number;
  minHealthPercent: number;
}

function settingsOf(od: OutlierDetection): Settings {
  return {
    consecutive5xx: od.consecutive5xxErrors ?? 5,
    consecutiveGateway: od.consecutiveGatewayErrors ?? 0,
    baseEjectionMs: (od.baseEjectionTime ? parseIstioDurationMs(od.baseEjectionTime) : undefined) ?? 30_000,
    maxEjectionPercent: od.maxEjectionPercent ?? 10,
    minHealthPercent: od.minHealthPercent ?? 0,
  };
}

class Detector {
  readonly hosts = new Map<number, HostState>();
  pending: Outcome[] = [];

  constructor(
    readonly settings: Settings,
    hostKeys: readonly number[],
  ) {
    for (const h of hostKeys)
      this.hosts.set(h, { consecutive5xx: 0, consecutiveGateway: 0, ejections: 0, ejectedUntilMs: 0 });
  }

  catchUp(atMs: number): void {
    if (this.pending.length === 0) return;
    const due = this.pending.filter((o) => o.atMs <= atMs).sort((a, b) => a.atMs - b.atMs);
    if (due.length === 0) return;
    this.pending = this.pending.filter((o) => o.atMs > atMs);
    for (const o of due) this.apply(o);
  }

  private apply(o: Outcome): void {
    const h = this.hosts.get(o.host);
    if (!h) return;
    const s = this.settings;
    const is5xx = o.code >= 500 || o.code === 0;
    const isGateway = o.code === 502 || o.code === 503 || o.code === 504;
    h.consecutive5xx = is5xx ? h.consecutive5xx + 1 : 0;
    h.consecutiveGateway = isGateway ? h.consecutiveGateway + 1 : 0;
    const trip =
      (s.consecutive5xx > 0 && h.consecutive5xx >= s.consecutive5xx) ||
      (s.consecutiveGateway > 0 && h.consecutiveGateway >= s.consecutiveGateway);
    if (!trip || h.ejectedUntilMs > o.atMs) return;
    h.consecutive5xx = 0;
    h.consecutiveGateway = 0;
    const ejected = [...this.hosts.values()].filter((x) => x.ejectedUntilMs > o.atMs).length;
    if (ejected > 0 && (100 * (ejected + 1)) / this.hosts.size > s.maxEjectionPercent) return;
    h.ejections += 1;
    h.ejectedUntilMs = o.atMs + s.baseEjectionMs * h.ejections;
  }

  healthy(hostKeys: readonly number[], atMs: number): number[] {
    this.catchUp(atMs);
    const ok = hostKeys.filter((k) => (this.hosts.get(k)?.ejectedUntilMs ?? 0) <= atMs);
    // Panic threshold: below minHealthPercent healthy, Envoy balances over all hosts again.
    if ((100 * ok.length) / hostKeys.length < this.settings.minHealthPercent) return [...hostKeys];
    return ok;
  }
}

export class OutlierDetectors {
  private readonly detectors = new Map<string, Detector>();

  /** The hosts of a cluster not ejected at `atMs`, as the client proxy `key` sees them. */
  healthyHosts(key: string, od: OutlierDetection, hostKeys: readonly number[], atMs: number): number[] {
    return this.detector(key, od, hostKeys).healthy(hostKeys, atMs);
  }

  record(
    key: string,
    od: OutlierDetection,
    hostKeys: readonly number[],
    host: number,
    atMs: number,
    code: number,
  ): void {
    this.detector(key, od, hostKeys).pending.push({ atMs, host, code });
  }

  private detector(key: string, od: OutlierDetection, hostKeys: readonly number[]): Detector {
    let d = this.detectors.get(key);
    if (!d) {
      d = new Detector(settingsOf(od), hostKeys);
      this.detectors.set(key, d);
    }
    return d;
  }
}
