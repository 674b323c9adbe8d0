#!/usr/bin/env node
// `meshscope-demo` / `npm run demo -- ...`: runs Bookinfo (or a synthetic mesh) until SIGINT/SIGTERM.
import { DEMO_USAGE, type DemoCliOptions, parseDemoArgs, UsageError } from "./io/cli-options.js";
import { type RunningDemoMesh, startDemoMesh } from "./io/demo-runner.js";
import { bookinfoTopology } from "./sim/bookinfo.js";
import type { Topology } from "./sim/contracts.js";
import { syntheticTopology } from "./sim/synthetic.js";

function log(level: "info" | "warn" | "error", message: string, fields?: Record<string, unknown>): void {
  // JSON lines on stderr, like the meshscope server's logger, so stdout stays free for the summary.
  console.error(JSON.stringify({ time: new Date().toISOString(), level, msg: message, ...fields }));
}

function topologyFor(options: DemoCliOptions): Topology {
  if (!options.synthetic) return bookinfoTopology();
  return syntheticTopology({ ...options.synthetic, seed: options.seed });
}

function describe(options: DemoCliOptions, topology: Topology, demo: RunningDemoMesh): string {
  const mesh = options.synthetic
    ? `synthetic mesh: ${topology.services.length} services, ${topology.workloads.length} workloads in ${options.synthetic.namespaces} namespaces`
    : "Bookinfo";
  const lines = [
    `demo mesh running: ${mesh}, ${options.rps} requests/s, seed ${options.seed}, ${options.sampleRate * 100}% traced`,
    `  metrics:      ${demo.metricsUrl ?? "off"}`,
    `  spans:        ${options.otlpTracesUrl ?? "off"}`,
    `  remote-write: ${options.remoteWriteUrl ? `${options.remoteWriteUrl} every ${options.remoteWriteIntervalMs / 1000} s` : "off"}`,
    `  mesh config:  ${options.meshConfigDir ?? "none"}`,
    "Ctrl-C stops it.",
  ];
  return lines.join("\n");
}

async function main(argv: readonly string[]): Promise<number> {
  let command: ReturnType<typeof parseDemoArgs>;
  try {
    command = parseDemoArgs(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    console.error(`meshscope-demo: ${err.message}\nRun with --help for the options.`);
    return 2;
  }
  if (command.kind === "help") {
    console.log(DEMO_USAGE);
    return 0;
  }
  const options = command.options;
  const topology = topologyFor(options);
  const demo = await startDemoMesh({
    topology,
    seed: options.seed,
    rps: options.rps,
    loggedInShare: options.loggedInShare,
    sampleRate: options.sampleRate,
    ...(options.meshConfigDir !== null && { meshConfigDir: options.meshConfigDir }),
    ...(options.metricsPort !== null && { metricsListen: { host: options.host, port: options.metricsPort } }),
    ...(options.otlpTracesUrl !== null && { otlpTracesUrl: options.otlpTracesUrl }),
    ...(options.remoteWriteUrl !== null && {
      remoteWriteUrl: options.remoteWriteUrl,
      remoteWriteIntervalMs: options.remoteWriteIntervalMs,
    }),
    tickMs: options.tickMs,
    log,
  });
  console.log(describe(options, topology, demo));

  await new Promise<void>((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      // A second signal while stopping (a stuck exporter) exits at once.
      process.once("SIGINT", () => process.exit(130));
      process.once("SIGTERM", () => process.exit(143));
      log("info", "stopping demo mesh", { signal });
      resolve();
    };
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
  });
  await demo.stop();
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(`meshscope-demo: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exitCode = 1;
  },
);
