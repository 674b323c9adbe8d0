/**
 * The bundled demo mesh inside the meshscope process (DESIGN §2: on unless `--no-demo`). It is the same demo
 * `npm run demo` runs, wired to this process through the public protocols only, so it exercises the real paths:
 *  - Bookinfo, obeying the Istio YAML in the mesh config dir (`files` target) — the folder the wizards write to;
 *  - its Envoy-format metrics served on 127.0.0.1 at an ephemeral port, which the scraper pulls (app.ts);
 *  - its spans exported by the OpenTelemetry SDK to this process's own OTLP/HTTP receiver.
 */
import { bookinfoTopology, type DemoMeshOptions, type RunningDemoMesh, startDemoMesh } from "@meshscope/demo-mesh";
import type { MeshscopeConfig } from "../config/load-config.js";
import type { Logger } from "../ops/logger.js";

export interface DemoPorts {
  /** The bound console port (it serves POST /v1/traces too), or null when off. */
  console: number | null;
  /** The bound OTLP/HTTP port, or null when off. */
  otlpHttp: number | null;
}

/** The address to reach our own listeners at: a wildcard bind is reached over loopback. */
export function connectHost(bindHost: string): string {
  if (bindHost === "0.0.0.0" || bindHost === "") return "127.0.0.1";
  if (bindHost === "::" || bindHost === "[::]") return "[::1]";
  // An IPv6 literal needs brackets in a URL.
  return bindHost.includes(":") && !bindHost.startsWith("[") ? `[${bindHost}]` : bindHost;
}

/**
 * Where the demo sends its spans: the OTLP/HTTP port, else the console port (which serves `POST /v1/traces` too);
 * null when both are off, and the demo then runs without traces.
 */
export function ownOtlpTracesUrl(host: string, ports: DemoPorts): string | null {
  const port = ports.otlpHttp ?? ports.console;
  return port === null ? null : `http://${connectHost(host)}:${port}/v1/traces`;
}

/** The demo's problems (unusable config files, export failures) go to the server's log, tagged. */
function demoLog(logger: Logger): NonNullable<DemoMeshOptions["log"]> {
  const log = logger.child({ component: "demo-mesh" });
  return (level, message, fields) => log[level](`demo mesh: ${message}`, fields);
}

/**
 * The options the server's configuration gives the demo. `ingestToken` is the in-memory token the demo's exporter
 * presents when ingest auth is on (never written anywhere; it dies with the process).
 */
export function demoOptions(
  config: MeshscopeConfig,
  ports: DemoPorts,
  logger: Logger,
  ingestToken: string | null = null,
): DemoMeshOptions {
  const otlpTracesUrl = ownOtlpTracesUrl(config.host, ports);
  return {
    topology: bookinfoTopology(),
    seed: config.demoSeed,
    rps: config.demoRps,
    loggedInShare: config.demoLoggedInShare,
    sampleRate: config.demoSampleRate,
    // A missing folder is an empty config (the watcher polls for it); it is not created here, so a read-only
    // checkout or a typo in the path does not leave folders behind.
    meshConfigDir: config.meshConfigDir,
    // Only this process scrapes it: loopback, and a port the OS picks so it never collides with a real Envoy
    // (:15090) or a second meshscope.
    metricsListen: { host: "127.0.0.1", port: 0 },
    ...(otlpTracesUrl !== null ? { otlpTracesUrl } : {}),
    ...(ingestToken !== null ? { otlpHeaders: { Authorization: `Bearer ${ingestToken}` } } : {}),
    log: demoLog(logger),
  };
}

export interface StartedDemo {
  /** The demo's scrape URL. */
  metricsUrl: string;
  stop(): Promise<void>;
}

/**
 * Starts the demo against the listeners already bound. A demo that cannot start is logged and null is returned:
 * the console stays useful without it.
 */
export async function startDemo(
  config: MeshscopeConfig,
  ports: DemoPorts,
  logger: Logger,
  ingestToken: string | null = null,
): Promise<StartedDemo | null> {
  const options = demoOptions(config, ports, logger, ingestToken);
  let demo: RunningDemoMesh;
  try {
    demo = await startDemoMesh(options);
  } catch (error) {
    logger.error("demo mesh failed to start; running without it", { error });
    return null;
  }
  if (demo.metricsUrl === null) {
    await demo.stop();
    throw new Error("unreachable: the demo was given a metrics listener");
  }
  if (options.otlpTracesUrl === undefined) {
    logger.warn("demo mesh runs without traces: both OTLP/HTTP and console ports are off");
  }
  logger.info("demo mesh started", {
    topology: "bookinfo",
    rps: config.demoRps,
    seed: config.demoSeed,
    sampleRate: config.demoSampleRate,
    meshConfigDir: config.meshConfigDir,
    metricsUrl: demo.metricsUrl,
    tracesUrl: options.otlpTracesUrl ?? null,
  });
  return { metricsUrl: demo.metricsUrl, stop: () => demo.stop() };
}
