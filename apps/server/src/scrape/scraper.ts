/**
 * The scraper: every configured target on its own loop, all targets concurrently, each target never
 * overlapping itself (the next scrape is scheduled only when the previous one has finished, on the interval
 * grid, skipping ticks it overran). `stop()` cancels the scrapes in flight and waits for the loops to end, so
 * nothing reaches the store after it resolves.
 */
import type { ScrapeTargetStatus } from "@meshscope/model";
import { ScrapeTarget, type ScrapeTargetDeps } from "./scrape-target.js";

export interface ScraperOptions extends ScrapeTargetDeps {
  targets: readonly string[];
  intervalMs: number;
}

export interface Scraper {
  status(): ScrapeTargetStatus[];
  stop(): Promise<void>;
}

/** Prometheus refuses a scrape timeout above the interval; we cap it below, leaving time to commit. */
export function effectiveTimeoutMs(timeoutMs: number, intervalMs: number): number {
  return Math.max(1, Math.min(timeoutMs, Math.floor(intervalMs * 0.9)));
}

export function startScraper(options: ScraperOptions): Scraper {
  const stopController = new AbortController();
  const deps: ScrapeTargetDeps = { ...options, timeoutMs: effectiveTimeoutMs(options.timeoutMs, options.intervalMs) };
  // The same URL twice would be one target scraped twice per interval with one series identity: keep one.
  const targets = [...new Set(options.targets)].map((url) => new ScrapeTarget(url, deps));
  const timers = new Set<NodeJS.Timeout>();
  const inFlight = new Set<Promise<void>>();

  const run = (target: ScrapeTarget): void => {
    if (stopController.signal.aborted) return;
    const startedMs = Date.now();
    const scrape = target.scrape(stopController.signal);
    inFlight.add(scrape);
    void scrape.finally(() => {
      inFlight.delete(scrape);
      if (stopController.signal.aborted) return;
      const elapsed = Date.now() - startedMs;
      const ticks = Math.max(1, Math.ceil(elapsed / options.intervalMs));
      const timer = setTimeout(
        () => {
          timers.delete(timer);
          run(target);
        },
        startedMs + ticks * options.intervalMs - Date.now(),
      );
      timers.add(timer);
    });
  };
  for (const target of targets) run(target);

  let stopped: Promise<void> | null = null;
  return {
    status: () => targets.map((t) => t.status()),
    stop() {
      stopped ??= (async () => {
        stopController.abort();
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        await Promise.allSettled([...inFlight]);
      })();
      return stopped;
    },
  };
}
