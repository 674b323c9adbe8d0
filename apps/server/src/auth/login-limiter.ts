/**
 * Failed logins per client address: after `maxFailures` in a window, every login from that address is refused
 * with 429 until the window ends, without checking the token (checking it would tell a guesser when it was
 * right). Successful logins are not counted. Memory is bounded: at most `maxClients` addresses are tracked, the
 * oldest forgotten first.
 *
 * The address is the TCP peer: behind a reverse proxy every user shares one, and a limit hit by one locks all out
 * for a minute, a trade-off chosen over trusting X-Forwarded-For, which any client can forge.
 */
export interface LoginLimiterOptions {
  maxFailures?: number;
  windowMs?: number;
  maxClients?: number;
  nowMs?: () => number;
}

interface Failures {
  count: number;
  windowStartMs: number;
}

export class LoginLimiter {
  private readonly clients = new Map<string, Failures>();
  private readonly maxFailures: number;
  private readonly windowMs: number;
  private readonly maxClients: number;
  private readonly now: () => number;

  constructor(options: LoginLimiterOptions = {}) {
    this.maxFailures = options.maxFailures ?? 5;
    this.windowMs = options.windowMs ?? 60_000;
    this.maxClients = options.maxClients ?? 10_000;
    this.now = options.nowMs ?? Date.now;
  }

  /** Seconds until `client` may try again; 0 when it may try now. */
  retryAfterSeconds(client: string): number {
    const f = this.clients.get(client);
    if (f === undefined) return 0;
    const left = f.windowStartMs + this.windowMs - this.now();
    if (left <= 0) {
      this.clients.delete(client);
      return 0;
    }
    return f.count >= this.maxFailures ? Math.max(1, Math.ceil(left / 1000)) : 0;
  }

  recordFailure(client: string): void {
    const now = this.now();
    const f = this.clients.get(client);
    if (f !== undefined && now - f.windowStartMs < this.windowMs) {
      f.count++;
      return;
    }
    this.clients.delete(client);
    this.clients.set(client, { count: 1, windowStartMs: now });
    if (this.clients.size > this.maxClients) this.evict(now);
  }

  get trackedClients(): number {
    return this.clients.size;
  }

  private evict(now: number): void {
    for (const [client, f] of this.clients) if (now - f.windowStartMs >= this.windowMs) this.clients.delete(client);
    // Insertion order is window-start order: the first entries are the oldest windows.
    for (const client of this.clients.keys()) {
      if (this.clients.size <= this.maxClients) break;
      this.clients.delete(client);
    }
  }
}
