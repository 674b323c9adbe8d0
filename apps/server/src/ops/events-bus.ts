/**
 * Announces that new data was committed, for `GET /api/events`. Announcements are coalesced per kind: the first
 * one after a quiet second goes out at once, the rest within that second fold into one more at its end, so a
 * page refreshes at most once per second per kind however fast spans arrive (no refetch storms).
 */
import type { LiveEvent, LiveEventKind } from "@meshscope/model";
import type { MetricIngest } from "../ingest/metrics-ingest.js";

export interface EventsSubscriber {
  onEvent(event: LiveEvent): void;
  /** The bus is closing (process stop): end the stream so the HTTP server can close. */
  onClose(): void;
}

export interface EventsBus {
  announce(kind: LiveEventKind): void;
  /** Returns the unsubscribe function. */
  subscribe(subscriber: EventsSubscriber): () => void;
  subscriberCount(): number;
  /** Ends every subscriber and cancels pending announcements. */
  close(): void;
}

export interface EventsBusOptions {
  /** Least time between two events of one kind, ms (default 1000). */
  minIntervalMs?: number;
  /** Current time in µs since the epoch (the events' `at`). */
  nowUs?: () => number;
}

export function createEventsBus(options: EventsBusOptions = {}): EventsBus {
  const minIntervalMs = options.minIntervalMs ?? 1000;
  const nowUs = options.nowUs ?? (() => Date.now() * 1000);
  const subscribers = new Set<EventsSubscriber>();
  const lastSentMs = new Map<LiveEventKind, number>();
  const pending = new Map<LiveEventKind, NodeJS.Timeout>();
  let closed = false;

  const send = (kind: LiveEventKind): void => {
    pending.delete(kind);
    lastSentMs.set(kind, performance.now());
    const event: LiveEvent = { kind, at: nowUs() };
    for (const s of [...subscribers]) s.onEvent(event);
  };

  return {
    announce(kind) {
      if (closed || pending.has(kind)) return;
      const last = lastSentMs.get(kind);
      const wait = last === undefined ? 0 : last + minIntervalMs - performance.now();
      if (wait <= 0) {
        send(kind);
        return;
      }
      const timer = setTimeout(() => send(kind), wait);
      // A pending announcement must not keep the process alive.
      timer.unref();
      pending.set(kind, timer);
    },
    subscribe(subscriber) {
      subscribers.add(subscriber);
      return () => {
        subscribers.delete(subscriber);
      };
    },
    subscriberCount: () => subscribers.size,
    close() {
      closed = true;
      for (const timer of pending.values()) clearTimeout(timer);
      pending.clear();
      for (const s of [...subscribers]) s.onClose();
      subscribers.clear();
    },
  };
}

/** Wraps a metric ingest so every commit that accepted samples is announced. */
export function announcingMetricIngest(ingest: MetricIngest, bus: EventsBus): MetricIngest {
  return {
    async ingest(protocol, batches, skipped) {
      const result = await ingest.ingest(protocol, batches, skipped);
      if (result.accepted > 0) bus.announce("metrics");
      return result;
    },
    knownSeries: (source, hi, lo) => ingest.knownSeries(source, hi, lo),
  };
}
