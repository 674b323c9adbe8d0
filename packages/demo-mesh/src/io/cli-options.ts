import { parseArgs } from "node:util";

/** What `meshscope-demo` was asked to do, checked and with defaults filled in. */
export interface DemoCliOptions {
  /** Null = Bookinfo. */
  synthetic: { services: number; namespaces: number } | null;
  rps: number;
  seed: number;
  loggedInShare: number;
  sampleRate: number;
  host: string;
  /** Null = no metrics endpoint; 0 = an ephemeral port. */
  metricsPort: number | null;
  otlpTracesUrl: string | null;
  remoteWriteUrl: string | null;
  remoteWriteIntervalMs: number;
  meshConfigDir: string | null;
  tickMs: number;
}

export type DemoCliCommand = { kind: "help" } | { kind: "run"; options: DemoCliOptions };

/** A bad command line: the message says which flag and why; the caller prints it with a pointer to --help. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

export const DEMO_USAGE = `Usage: npm run demo -- [options]

Runs a demo service mesh that speaks the public protocols: Istio's standard metrics in Envoy's Prometheus format,
spans over OTLP/HTTP, and (optionally) Prometheus remote-write. Without --services it runs Bookinfo.

Topology
  --services N              synthetic mesh of N services (a seeded layered DAG with versions); default: Bookinfo
  --namespaces M            namespaces of the synthetic mesh (default 1; needs --services)
  --seed N                  seed of every random choice (default 1): same seed, same traffic
Traffic
  --rps R                   requests per second at the entry (default 20)
  --logged-in-share F       share 0..1 of requests carrying an end-user header (default 0.3)
  --sample-rate F           share 0..1 of requests traced (default 1)
  --mesh-config DIR         obey the Istio YAML in DIR (watched; edits apply within about a second)
Output
  --host H                  bind address of the metrics endpoint (default 127.0.0.1)
  --metrics-port P          serve http://H:P/stats/prometheus (default 15090, Envoy's; 0 = any free port)
  --no-metrics              do not serve metrics
  --otlp URL                export spans to an OTLP/HTTP traces endpoint, e.g. http://127.0.0.1:4318/v1/traces
  --remote-write URL        push metrics by remote-write, e.g. http://127.0.0.1:8080/api/v1/write
  --remote-write-interval S seconds between pushes (default 15)
  --tick-ms MS              simulation step in real time (default 100)
  -h, --help                show this help

Examples
  npm run demo -- --otlp http://127.0.0.1:4318/v1/traces --mesh-config ./mesh-config
  npm run demo -- --services 1000 --namespaces 20 --rps 5000 --sample-rate 0.01 \\
    --remote-write http://127.0.0.1:8080/api/v1/write --otlp http://127.0.0.1:4318/v1/traces
`;

function number(flag: string, raw: string | undefined, fallback: number, check: (n: number) => boolean, rule: string) {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (raw.trim() === "" || !Number.isFinite(n) || !check(n)) {
    throw new UsageError(`--${flag} must be ${rule}, got "${raw}"`);
  }
  return n;
}

const positiveInt = (n: number) => Number.isInteger(n) && n > 0;
const share = (n: number) => n >= 0 && n <= 1;

function httpUrl(flag: string, raw: string | undefined): string | null {
  if (raw === undefined) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`--${flag} must be an http:// or https:// URL, got "${raw}"`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new UsageError(`--${flag} must be an http:// or https:// URL, got "${raw}"`);
  }
  return url.toString();
}

export function parseDemoArgs(argv: readonly string[]): DemoCliCommand {
  let values: ReturnType<typeof parse>["values"];
  try {
    ({ values } = parse(argv));
  } catch (err) {
    // node:util's messages name the flag ("Unknown option '--rsp'"); keep them, minus its advice about "--".
    const message = err instanceof Error ? err.message.split(". To specify")[0] : String(err);
    throw new UsageError(message ?? "bad arguments");
  }
  if (values.help) return { kind: "help" };
  if (values.namespaces !== undefined && values.services === undefined) {
    throw new UsageError("--namespaces needs --services (Bookinfo has one namespace)");
  }
  if (values["no-metrics"] && values["metrics-port"] !== undefined) {
    throw new UsageError("--no-metrics and --metrics-port contradict each other");
  }
  const services = number("services", values.services, 0, positiveInt, "a positive integer");
  const namespaces = number("namespaces", values.namespaces, 1, positiveInt, "a positive integer");
  if (services > 0 && namespaces > services) {
    throw new UsageError(`--namespaces (${namespaces}) cannot exceed --services (${services})`);
  }
  const port = number(
    "metrics-port",
    values["metrics-port"],
    15090,
    (n) => Number.isInteger(n) && n >= 0 && n < 65536,
    "a port number 0..65535",
  );
  return {
    kind: "run",
    options: {
      synthetic: services > 0 ? { services, namespaces } : null,
      rps: number("rps", values.rps, 20, (n) => n > 0, "a positive number"),
      seed: number("seed", values.seed, 1, (n) => Number.isSafeInteger(n) && n >= 0, "a non-negative integer"),
      loggedInShare: number("logged-in-share", values["logged-in-share"], 0.3, share, "a share between 0 and 1"),
      sampleRate: number("sample-rate", values["sample-rate"], 1, share, "a share between 0 and 1"),
      host: values.host ?? "127.0.0.1",
      metricsPort: values["no-metrics"] ? null : port,
      otlpTracesUrl: httpUrl("otlp", values.otlp),
      remoteWriteUrl: httpUrl("remote-write", values["remote-write"]),
      remoteWriteIntervalMs:
        1000 *
        number("remote-write-interval", values["remote-write-interval"], 15, (n) => n >= 0.1, "at least 0.1 (seconds)"),
      meshConfigDir: values["mesh-config"] ?? null,
      tickMs: number("tick-ms", values["tick-ms"], 100, (n) => n >= 1 && n <= 60_000, "between 1 and 60000"),
    },
  };
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      services: { type: "string" },
      namespaces: { type: "string" },
      seed: { type: "string" },
      rps: { type: "string" },
      "logged-in-share": { type: "string" },
      "sample-rate": { type: "string" },
      "mesh-config": { type: "string" },
      host: { type: "string" },
      "metrics-port": { type: "string" },
      "no-metrics": { type: "boolean" },
      otlp: { type: "string" },
      "remote-write": { type: "string" },
      "remote-write-interval": { type: "string" },
      "tick-ms": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
}
