import { describe, expect, it } from "vitest";
import { type CoalesceClock, coalesce } from "./coalesce";

function fakeClock() {
  let now = 0;
  const timers = new Map<number, { at: number; fn: () => void }>();
  let nextId = 1;
  const clock: CoalesceClock = {
    now: () => now,
    setTimeout: (fn, ms) => {
      const id = nextId++;
      timers.set(id, { at: now + ms, fn });
      return id;
    },
    clearTimeout: (handle) => {
      if (typeof handle === "number") timers.delete(handle);
    },
  };
  const advance = (ms: number) => {
    now += ms;
    for (const [id, t] of [...timers]) {
      if (t.at <= now) {
        timers.delete(id);
        t.fn();
      }
    }
  };
  return { clock, advance, pendingTimers: () => timers.size };
}

describe("coalesce", () => {
  it("runs the first trigger at once", () => {
    const { clock } = fakeClock();
    let runs = 0;
    coalesce(() => runs++, 5000, clock).trigger();
    expect(runs).toBe(1);
  });

  it("folds a burst of triggers inside the gap into one run at its end", () => {
    const { clock, advance } = fakeClock();
    let runs = 0;
    const c = coalesce(() => runs++, 5000, clock);
    c.trigger();
    for (let i = 0; i < 10; i++) {
      advance(300);
      c.trigger();
    }
    expect(runs).toBe(1);
    advance(2000);
    expect(runs).toBe(2);
    advance(10_000);
    expect(runs).toBe(2);
  });

  it("drops the pending run when cancelled", () => {
    const { clock, advance, pendingTimers } = fakeClock();
    let runs = 0;
    const c = coalesce(() => runs++, 5000, clock);
    c.trigger();
    c.trigger();
    c.cancel();
    expect(pendingTimers()).toBe(0);
    advance(6000);
    expect(runs).toBe(1);
  });
});
