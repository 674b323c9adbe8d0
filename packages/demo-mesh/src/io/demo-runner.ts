// Runs a demo mesh in real time: the seeded simulator advanced by the wall clock, its metrics served in Envoy's
// format and/or pushed by remote-write, its spans exported over OTLP, its Istio config read from a watched folder.
import type { MeshObject } from "@meshscope/mesh-config";
import type { Simulator, SpanSink, Topology } from "../sim/contracts.js";
import { createSimulator } from "../sim/simulator.js";
import { type MeshConfigLoad, watchMeshConfigDir } from "./config-dir.js";
import { type MetricsEndpoint, startMetricsEndpoint } from "./metrics-endpoint.js";
import { IstioMetricsRegistry } from "./metrics-registry.js";
import { startRemoteWritePusher } from "./remote-write-push.js";
import { createOtlpSpanSink, type OtlpSpanSink } from "./span-export.js";

export interface DemoMeshOptions {
  /** Bookinfo by default; or a synthetic topology. */
  topology: Topology;
  seed: number;
  /** Requests per second at the entry (default 20). */
  rps: number;
  /** Share of logged-in users carrying `end-user` (default 0.3). */
  loggedInShare: number;
  /** Share of requests traced (default 1). */
  sampleRate: number;
  /** Directory of Istio YAML to obey (watched; changes apply within ~1 s). Absent = no config. */
  meshConfigDir?: string;
  /** Serve Envoy-format Prometheus text at http://host:port/stats/prometheus (port 0 = ephemeral). */
  metricsListen?: { host: string; port: number };
  /** OTLP/HTTP protobuf traces endpoint, e.g. http://127.0.0.1:4318/v1/traces. Absent = no spans. */
  otlpTracesUrl?: string;
  /** Extra HTTP headers on every OTLP export request (e.g. `Authorization: Bearer …` for a receiver with auth). */
  otlpHeaders?: Readonly<Record<string, string>>;
  /** Prometheus remote-write URL to push to every `remoteWriteIntervalMs`. Absent = no push. */
  remoteWriteUrl?: string;
  remoteWriteIntervalMs?: number;
  /** Real-time tick (default 100 ms). */
  tickMs?: number;
  /** Where to report problems (unparsable config files, export failures). */
  log?: (level: "info" | "warn" | "error", message: string, fields?: Record<string, unknown>) => void;
}

export interface RunningDemoMesh {
  /** The scrape URL when metricsListen was given. */
  readonly metricsUrl: string | null;
  readonly simulator: Simulator;
  /** Re-read the config directory now (the watcher also does this on change). */
  reloadConfig(): Promise<void>;
  /** Stop ticking, flush spans, close the listener. */
  stop(): Promise<void>;
}

type Log = NonNullable<DemoMeshOptions["log"]>;

/** Without a logger, problems still reach stderr; routine info stays quiet. */
const defaultLog: Log = (level, message, fields) => {
  if (level !== "info") console.error(`[demo-mesh] ${level}: ${message}${fields ? ` ${JSON.stringify(fields)}` : ""}`);
};

const NO_SPANS: SpanSink = { emit() {} };

// A busy slice of simulation runs at most this long before yielding, so scrapes, span exports and remote-write
// pushes keep flowing even when the simulator cannot keep up with real time (a big synthetic mesh on a small box).
const SLICE_BUDGET_MS = 50;
// Virtual time per advance() call while catching up.
const CATCH_UP_STEP_MS = 100;
// Lag behind the wall clock worth a warning, and how often to repeat it.
const LAG_WARN_MS = 5000;
const LAG_WARN_EVERY_MS = 30_000;

/**
 * Advances the simulator to the wall clock every `tickMs`. When it falls behind, it catches up in slices of at most
 * SLICE_BUDGET_MS, yielding to I/O between slices (setImmediate runs after the poll phase), and warns about the lag.
 */
function startClock(simulator: Simulator, tickMs: number, log: Log): { stop(): void } {
  let stopped = false;
  let timeout: NodeJS.Timeout | undefined;
  let immediate: NodeJS.Immediate | undefined;
  let lastLagWarnMs = Number.NEGATIVE_INFINITY;
  const step = () => {
    const started = performance.now();
    const target = Date.now();
    try {
      while (simulator.nowMs < target && performance.now() - started < SLICE_BUDGET_MS) {
        simulator.advance(Math.min(target, simulator.nowMs + CATCH_UP_STEP_MS));
      }
    } catch (err) {
      log("error", "simulator failed to advance", { error: err instanceof Error ? err.message : String(err) });
    }
    const lagMs = target - simulator.nowMs;
    if (lagMs > LAG_WARN_MS && target - lastLagWarnMs > LAG_WARN_EVERY_MS) {
      lastLagWarnMs = target;
      log("warn", "demo mesh is falling behind real time: lower --rps or the mesh size", { lagMs: Math.round(lagMs) });
    }
    if (stopped) return;
    if (lagMs > 0) immediate = setImmediate(step);
    else timeout = setTimeout(step, tickMs);
  };
  timeout = setTimeout(step, tickMs);
  return {
    stop() {
      stopped = true;
      clearTimeout(timeout);
      clearImmediate(immediate);
    },
  };
}

/** Applies each config-directory result to the simulator and reports the files it could not use. */
function configApplier(simulator: Simulator, dir: string, log: Log): (result: MeshConfigLoad) => void {
  return (result) => {
    for (const issue of result.errors) {
      log("warn", "mesh config file not applied", {
        file: issue.source,
        document: issue.document,
        line: issue.line,
        path: issue.path,
        message: issue.message,
      });
    }
    const objects: readonly MeshObject[] = result.objects;
    simulator.setConfig(objects);
    log("info", "mesh config applied", { dir, objects: objects.length, errors: result.errors.length });
  };
}

export async function startDemoMesh(options: DemoMeshOptions): Promise<RunningDemoMesh> {
  const log = options.log ?? defaultLog;
  const registry = new IstioMetricsRegistry();
  const spans: OtlpSpanSink | null = options.otlpTracesUrl
    ? createOtlpSpanSink({
        url: options.otlpTracesUrl,
        log,
        ...(options.otlpHeaders ? { headers: options.otlpHeaders } : {}),
      })
    : null;
  const simulator = createSimulator(
    {
      topology: options.topology,
      seed: options.seed,
      rps: options.rps,
      loggedInShare: options.loggedInShare,
      sampleRate: options.sampleRate,
      startMs: Date.now(),
    },
    registry,
    spans ?? NO_SPANS,
  );

  const cleanups: Array<() => Promise<void> | void> = [];
  const stopAll = async () => {
    // Reverse order of start: ticking and pushing stop before the sinks they feed are closed.
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  };
  if (spans) cleanups.push(() => spans.shutdown());

  try {
    const watcher = options.meshConfigDir
      ? watchMeshConfigDir(options.meshConfigDir, configApplier(simulator, options.meshConfigDir, log))
      : null;
    if (watcher) {
      cleanups.push(() => watcher.close());
      // The initial config applies before the first request is simulated.
      await watcher.load();
    }

    let endpoint: MetricsEndpoint | null = null;
    if (options.metricsListen) {
      const started = await startMetricsEndpoint(registry, options.metricsListen);
      endpoint = started;
      cleanups.push(() => started.close());
    }

    const clock = startClock(simulator, options.tickMs ?? 100, log);
    cleanups.push(() => clock.stop());

    if (options.remoteWriteUrl) {
      const pusher = startRemoteWritePusher(registry, {
        url: options.remoteWriteUrl,
        intervalMs: options.remoteWriteIntervalMs ?? 15_000,
        log,
      });
      cleanups.push(() => pusher.stop());
    }

    let stopped = false;
    return {
      metricsUrl: endpoint?.url ?? null,
      simulator,
      async reloadConfig() {
        if (watcher) await watcher.load();
      },
      async stop() {
        if (stopped) return;
        stopped = true;
        await stopAll();
      },
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
