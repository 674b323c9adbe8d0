/** What /readyz checks: the store is open and every enabled receiver is listening. */
export class Readiness {
  storeOpen = false;
  private readonly listeners = new Map<string, boolean>();

  /** Declares an enabled listener; it counts as not ready until markListening. */
  expect(name: string): void {
    this.listeners.set(name, false);
  }

  markListening(name: string, listening: boolean): void {
    this.listeners.set(name, listening);
  }

  report(): { ready: boolean; checks: Record<string, boolean> } {
    const checks: Record<string, boolean> = { store: this.storeOpen };
    for (const [name, listening] of this.listeners) checks[`listener:${name}`] = listening;
    return { ready: Object.values(checks).every(Boolean), checks };
  }
}
