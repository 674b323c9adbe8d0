import type { LiveEvent } from "@meshscope/model";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createEventsBus } from "./events-bus.js";

describe("the events bus", () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "performance"] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function collect() {
    const bus = createEventsBus({ nowUs: () => 42 });
    const events: LiveEvent[] = [];
    const closed = vi.fn();
    bus.subscribe({ onEvent: (e) => events.push(e), onClose: closed });
    return { bus, events, closed };
  }

  it("sends the first announcement of a kind at once", () => {
    const { bus, events } = collect();
    bus.announce("spans");
    expect(events).toEqual([{ kind: "spans", at: 42 }]);
  });

  it("folds announcements within a second into one more event at the second's end", () => {
    const { bus, events } = collect();
    for (let i = 0; i < 50; i++) {
      bus.announce("spans");
      vi.advanceTimersByTime(10);
    }
    expect(events).toHaveLength(1);
    vi.advanceTimersByTime(1000);
    expect(events).toHaveLength(2);
    vi.advanceTimersByTime(5000);
    expect(events).toHaveLength(2);
  });

  it("coalesces each kind on its own", () => {
    const { bus, events } = collect();
    bus.announce("spans");
    bus.announce("metrics");
    bus.announce("spans");
    expect(events.map((e) => e.kind)).toEqual(["spans", "metrics"]);
  });

  it("stops delivering to an unsubscribed listener", () => {
    const bus = createEventsBus();
    const onEvent = vi.fn();
    const unsubscribe = bus.subscribe({ onEvent, onClose: vi.fn() });
    unsubscribe();
    bus.announce("spans");
    expect(onEvent).not.toHaveBeenCalled();
    expect(bus.subscriberCount()).toBe(0);
  });

  it("ends every subscriber on close and drops pending announcements", () => {
    const { bus, events, closed } = collect();
    bus.announce("spans");
    bus.announce("spans");
    bus.close();
    vi.advanceTimersByTime(2000);
    expect(events).toHaveLength(1);
    expect(closed).toHaveBeenCalledOnce();
    expect(bus.subscriberCount()).toBe(0);
  });
});
