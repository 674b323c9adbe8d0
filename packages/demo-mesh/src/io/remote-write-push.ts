import type { DemoMeshOptions } from "./demo-runner.js";
import type { IstioMetricsRegistry } from "./metrics-registry.js";

/** The headers of the remote-write 1.0 protocol (prometheus.io/docs/specs/remote_write_spec). */
const REMOTE_WRITE_HEADERS = {
  "content-type": "application/x-protobuf",
  "content-encoding": "snappy",
  "x-prometheus-remote-write-version": "0.1.0",
  "user-agent": "meshscope-demo-mesh",
};

export interface RemoteWritePusherOptions {
  url: string;
  intervalMs: number;
  /** Series per request (default 2000, Prometheus' `max_samples_per_send`). */
  seriesPerRequest?: number;
  /** Per-request timeout (default 30 s, Prometheus' `remote_timeout`). */
  timeoutMs?: number;
  /** Requests in flight at once (default 2: one encodes while the other travels). */
  concurrency?: number;
  log: NonNullable<DemoMeshOptions["log"]>;
}

export interface RemoteWritePusher {
  /** Push every sample now (also what each interval does). Resolves when every request has been answered. */
  pushNow(): Promise<void>;
  /** Stop the interval and wait for a push in progress. */
  stop(): Promise<void>;
}

// A round skipped because the previous one is still running is worth a warning, but not one every interval.
const SKIP_WARN_EVERY_MS = 60_000;

/**
 * Pushes the registry's cumulative samples every `intervalMs`, as a Prometheus that scrapes the demo would forward
 * them. A failed request is logged and not retried: the next round carries the same counters, grown, so the
 * receiver loses a point but no requests. A round that would overlap a slow previous one is skipped.
 */
export function startRemoteWritePusher(registry: IstioMetricsRegistry, options: RemoteWritePusherOptions) {
  const concurrency = options.concurrency ?? 2;
  let inFlight: Promise<void> | null = null;
  let stopping = false;
  let skipped = 0;
  let lastSkipWarnMs = Number.NEGATIVE_INFINITY;

  const pushRound = async () => {
    // Bodies are encoded lazily, each while earlier ones are in flight: the event loop, and with it the
    // simulator, runs between requests even when a push holds a million series.
    const outcome = { requests: 0, failed: 0, lastProblem: "" };
    const pending = new Set<Promise<void>>();
    for (const body of registry.remoteWriteBodies(Date.now(), options.seriesPerRequest ?? 2000)) {
      if (stopping) break;
      outcome.requests++;
      const request: Promise<void> = postBody(options.url, body, options.timeoutMs ?? 30_000).then((problem) => {
        pending.delete(request);
        if (problem) {
          outcome.failed++;
          outcome.lastProblem = problem;
        }
      });
      pending.add(request);
      if (pending.size >= concurrency) await Promise.race(pending);
    }
    await Promise.all(pending);
    if (outcome.failed > 0) {
      options.log("warn", "remote-write push failed", {
        url: options.url,
        failedRequests: outcome.failed,
        requests: outcome.requests,
        error: outcome.lastProblem,
      });
    }
  };

  const pushNow = (): Promise<void> => {
    if (!inFlight) {
      inFlight = pushRound().finally(() => {
        inFlight = null;
      });
    }
    return inFlight;
  };

  const timer = setInterval(() => {
    if (!inFlight) {
      void pushNow();
      return;
    }
    skipped++;
    if (Date.now() - lastSkipWarnMs >= SKIP_WARN_EVERY_MS) {
      lastSkipWarnMs = Date.now();
      options.log("warn", "remote-write push slower than its interval; rounds skipped", {
        url: options.url,
        skippedRounds: skipped,
        intervalMs: options.intervalMs,
      });
    }
  }, options.intervalMs);

  return {
    pushNow,
    async stop() {
      clearInterval(timer);
      // The requests already sent are answered; the rest of the round is not encoded.
      stopping = true;
      await inFlight;
    },
  } satisfies RemoteWritePusher;
}

/** POSTs one body; returns a description of the problem, or null on a 2xx answer. */
async function postBody(url: string, body: Uint8Array, timeoutMs: number): Promise<string | null> {
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: REMOTE_WRITE_HEADERS,
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    return res.ok ? null : `HTTP ${res.status}: ${text.slice(0, 200)}`;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}
