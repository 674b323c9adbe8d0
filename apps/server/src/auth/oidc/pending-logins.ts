/**
 * Sign-ins that went to the OpenID provider and have not come back yet, keyed by their `state`. Held in memory
 * on the server: the PKCE code verifier never leaves it, and each state can be used once. The map is bounded, so
 * a flood of unauthenticated `/auth/oidc/login` requests costs a bounded amount of memory (at worst it pushes out
 * older pending sign-ins, which then answer "unknown or expired state" and can simply be retried).
 */

export interface PendingLogin {
  codeVerifier: string;
  nonce: string;
  /** The value of the browser's binding cookie when the sign-in started (see binding-cookie.ts). */
  binding: string;
  returnTo: string;
  createdMs: number;
}

export type TakeResult = { kind: "ok"; login: PendingLogin } | { kind: "unknown" } | { kind: "expired" };

export interface PendingLoginsOptions {
  ttlMs: number;
  maxEntries: number;
  nowMs: () => number;
}

export class PendingLogins {
  // A Map iterates in insertion order, which here is also creation order: the first entries are the oldest.
  private readonly byState = new Map<string, PendingLogin>();

  constructor(private readonly opts: PendingLoginsOptions) {}

  get size(): number {
    return this.byState.size;
  }

  add(state: string, login: PendingLogin): void {
    this.dropExpired();
    while (this.byState.size >= this.opts.maxEntries) {
      const oldest = this.byState.keys().next();
      if (oldest.done) break;
      this.byState.delete(oldest.value);
    }
    this.byState.set(state, login);
  }

  /** Removes and returns the sign-in for `state`: a second callback with the same state finds nothing. */
  take(state: string): TakeResult {
    const login = this.byState.get(state);
    if (login === undefined) return { kind: "unknown" };
    this.byState.delete(state);
    return this.isExpired(login) ? { kind: "expired" } : { kind: "ok", login };
  }

  private isExpired(login: PendingLogin): boolean {
    return this.opts.nowMs() - login.createdMs >= this.opts.ttlMs;
  }

  private dropExpired(): void {
    for (const [state, login] of this.byState) {
      if (!this.isExpired(login)) break;
      this.byState.delete(state);
    }
  }
}
