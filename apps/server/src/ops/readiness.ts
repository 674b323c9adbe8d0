/**
 * What /readyz checks: the store is open, every enabled receiver is listening, and the store can take writes.
 *
 * Readiness is about ingest. While the disk is full (the last write failed with SQLITE_FULL) /readyz answers 503
 * with `checks.storage: false`: the process is alive (/healthz stays 200) and reads keep answering, but data
 * sent to it now would be refused (503 storage_full). The receivers still take requests and try them, so the
 * first write after space returns commits and clears the check: no restart. A probe that removes the instance
 * from a load balancer's ingest pool must not also cut off its only ingest path: with one instance, alert on
 * /readyz rather than routing on it.
 */
export class Readiness {
  storeOpen = false;
  private readonly listeners = new Map<string, boolean>();
  private readonly checks = new Map<string, () => boolean>();

  /** Declares an enabled listener; it counts as not ready until markListening. */
  expect(name: string): void {
    this.listeners.set(name, false);
  }

  markListening(name: string, listening: boolean): void {
    this.listeners.set(name, listening);
  }

  /** A condition asked at every /readyz (e.g. "storage": the store has room for writes). */
  addCheck(name: string, ok: () => boolean): void {
    this.checks.set(name, ok);
  }

  report(): { ready: boolean; checks: Record<string, boolean> } {
    const checks: Record<string, boolean> = { store: this.storeOpen };
    for (const [name, ok] of this.checks) checks[name] = ok();
    for (const [name, listening] of this.listeners) checks[`listener:${name}`] = listening;
    return { ready: Object.values(checks).every(Boolean), checks };
  }
}
