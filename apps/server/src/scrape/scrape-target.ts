/**
 * One scrape target: fetch its exposition, parse it, hand the samples to the metric store, and keep the status
 * `/api/scrape-targets` shows. Samples without their own timestamp get the scrape's start time, as Prometheus
 * stamps them.
 */
import type { ScrapeTargetStatus } from "@meshscope/model";
import { parsePrometheusText } from "@meshscope/wire";
import type { MetricIngest } from "../ingest/metrics-ingest.js";
import type { MetricSample } from "../metrics/metric-sink.js";
import type { SelfMetrics } from "../ops/self-metrics.js";
import { fetchExposition, ScrapeError } from "./fetch-exposition.js";

/** Line errors kept per target: enough to find the bad exporter line, bounded whatever the target serves. */
export const MAX_LINE_ERRORS = 20;

export interface ScrapeTargetDeps {
  ingest: MetricIngest;
  metrics: SelfMetrics;
  timeoutMs: number;
  maxBodyBytes: number;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class ScrapeTarget {
  private state: ScrapeTargetStatus;

  constructor(
    readonly url: string,
    private readonly deps: ScrapeTargetDeps,
  ) {
    this.state = {
      url,
      health: "unknown",
      lastScrape: null,
      lastDurationMs: null,
      samples: 0,
      lastError: null,
      lineErrors: [],
    };
  }

  status(): ScrapeTargetStatus {
    return { ...this.state, lineErrors: [...this.state.lineErrors] };
  }

  /** One scrape; never throws. A scrape cut short by `stopSignal` leaves the status as it was. */
  async scrape(stopSignal: AbortSignal): Promise<void> {
    const startMs = Date.now();
    const t0 = performance.now();
    const next: ScrapeTargetStatus = { ...this.state, lastScrape: startMs * 1000, lineErrors: [] };
    try {
      const text = await fetchExposition(this.url, {
        timeoutMs: this.deps.timeoutMs,
        maxBodyBytes: this.deps.maxBodyBytes,
        stopSignal,
      });
      const parsed = parsePrometheusText(text, { maxErrors: MAX_LINE_ERRORS });
      next.lineErrors = parsed.errors.map((e) => ({ line: e.line, message: e.message }));
      if (parsed.samples.length === 0 && parsed.errors.length > 0) {
        const first = parsed.errors[0];
        throw new ScrapeError(
          `not a Prometheus text exposition: no valid sample, ${parsed.errors.length} malformed line(s); line ${first?.line}: ${first?.message}`,
        );
      }
      const samples: MetricSample[] = parsed.samples.map((s) => ({
        name: s.name,
        labels: s.labels,
        value: s.value,
        timestampMs: s.timestampMs ?? startMs,
      }));
      next.health = "up";
      next.samples = samples.length;
      next.lastError = null;
      try {
        await this.deps.ingest.ingest("scrape", [
          {
            source: this.url,
            temporality: "cumulative",
            // A scrape is the target's complete view, so series missing from it are stale — unless lines were
            // dropped as malformed: then a missing series may just be on a bad line, and must not be ended.
            complete: parsed.errors.length === 0,
            samples,
          },
        ]);
      } catch (error) {
        // The target answered well; the store did not take the samples (busy or failing). Say so, stay "up".
        next.lastError = `samples not stored: ${describe(error)}`;
      }
    } catch (error) {
      if (stopSignal.aborted) return;
      // A failed scrape sends nothing to the store: the target's series keep their state, so a transient
      // failure costs no counter increase (the next good scrape's delta spans the gap, as rate() would).
      next.health = "down";
      next.samples = 0;
      next.lastError = describe(error);
    } finally {
      const durationMs = performance.now() - t0;
      next.lastDurationMs = Math.round(durationMs * 1000) / 1000;
      this.deps.metrics.scrapeDuration.observe(durationMs / 1000);
    }
    if (!stopSignal.aborted) this.state = next;
  }
}
