/**
 * Runs `action` at most once per `minGapMs` however often `trigger` is called: the first trigger after a quiet
 * gap runs at once, triggers inside the gap fold into one run at its end. Live events arrive about once a second
 * per kind under load (the server's events bus coalesces to that); a graph or a service list refetched that often
 * would keep the server and the browser busy for nothing.
 */
export interface Coalescer {
  trigger(): void;
  cancel(): void;
}

export interface CoalesceClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realClock: CoalesceClock = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (handle) => {
    if (typeof handle === "number") globalThis.clearTimeout(handle);
  },
};

export function coalesce(action: () => void, minGapMs: number, clock: CoalesceClock = realClock): Coalescer {
  let last = Number.NEGATIVE_INFINITY;
  let pending: unknown = null;
  const run = () => {
    pending = null;
    last = clock.now();
    action();
  };
  return {
    trigger() {
      if (pending !== null) return;
      const wait = last + minGapMs - clock.now();
      if (wait <= 0) run();
      else pending = clock.setTimeout(run, wait);
    },
    cancel() {
      if (pending !== null) clock.clearTimeout(pending);
      pending = null;
    },
  };
}
