/**
 * Every setting of the meshscope process, in one table: its YAML key, flag, environment variable, default and
 * the schema that turns text (flag, env) or a YAML scalar into a typed value. `--help`, the YAML file schema and
 * the layering in load-config.ts are all derived from this table, so a setting cannot exist in one place and
 * be missing from another.
 */
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { parseByteSize, parseDurationMs } from "./units.js";

export const LOG_LEVELS = ["debug", "info", "warn", "error"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Where mesh config is written (DESIGN §4): a directory of YAML files, or a Kubernetes cluster. */
export const MESH_TARGETS = ["files", "kubernetes"] as const;

/** Auth modes (DESIGN §6) and whether ingest needs a bearer token. */
export const AUTH_MODE_NAMES = ["anonymous", "token", "oidc"] as const;
export const INGEST_AUTH_MODES = ["none", "token"] as const;
/** `none` = an OIDC user without a role claim the console knows is refused. */
export const OIDC_DEFAULT_ROLES = ["none", "viewer", "editor", "admin"] as const;

/** Settings given as a bare flag (`--demo`, `--no-demo`, `--allow-anonymous-remote`). */
export const BOOLEAN_OPTIONS: ReadonlySet<string> = new Set(["demo", "allowAnonymousRemote"]);

/** A listener port: 1–65535, 0 to disable the listener (DESIGN §2), or "ephemeral" to let the OS pick a free
 * port (tests and side-by-side runs; the bound ports are logged at start-up and returned by startMeshscope). */
export type ListenPort = number | "ephemeral";

/** Turns the text of a flag or variable, or a YAML scalar, into a value; `expected` goes into the message. */
function textValue<T>(expected: string, parse: (text: string) => T | null) {
  return z.union([z.string(), z.number(), z.boolean()]).transform((raw, ctx): T => {
    const parsed = parse(String(raw));
    if (parsed === null) {
      ctx.addIssue({ code: "custom", message: `expected ${expected}, got ${JSON.stringify(raw)}` });
      return z.NEVER;
    }
    return parsed;
  });
}

function parsePort(text: string): ListenPort | null {
  const trimmed = text.trim();
  if (trimmed === "ephemeral") return "ephemeral";
  if (!/^\d+$/.test(trimmed)) return null;
  const port = Number(trimmed);
  return port <= 65_535 ? port : null;
}

function parseBoolean(text: string): boolean | null {
  const lower = text.trim().toLowerCase();
  if (["true", "1", "yes", "on"].includes(lower)) return true;
  if (["false", "0", "no", "off"].includes(lower)) return false;
  return null;
}

function parsePositiveInt(text: string): number | null {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) return null;
  const n = Number(trimmed);
  return n >= 1 && Number.isSafeInteger(n) ? n : null;
}

function parseUrlList(text: string): string[] | null {
  const items = text
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  for (const item of items) {
    if (!URL.canParse(item)) return null;
    const protocol = new URL(item).protocol;
    if (protocol !== "http:" && protocol !== "https:") return null;
  }
  return items;
}

/** A plain non-negative decimal: `20`, `2.5` (no sign, exponent or unit). */
function parseDecimal(text: string): number | null {
  const trimmed = text.trim();
  return /^\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) : null;
}

function nonEmpty(text: string): string | null {
  const trimmed = text.trim();
  return trimmed.length > 0 ? trimmed : null;
}

function oneOf<const T extends readonly string[]>(names: T) {
  return textValue<T[number]>(names.join(" or "), (t) => names.find((n) => n === t.trim().toLowerCase()) ?? null);
}

/** An http(s) URL without a trailing slash, or "" for "not set". */
const optionalHttpUrl = textValue("an http(s) URL", (t) => {
  const trimmed = t.trim();
  if (trimmed === "") return "";
  const list = parseUrlList(trimmed);
  return list?.length === 1 && list[0] !== undefined ? list[0].replace(/\/+$/, "") : null;
});

const port = textValue('a port 0-65535 (0 disables) or "ephemeral"', parsePort);
const duration = textValue("a duration such as 250ms, 15s, 5m, 7d", (t) => {
  const ms = parseDurationMs(t);
  return ms !== null && ms > 0 ? ms : null;
});
const byteSize = textValue("a size such as 16MiB, 512KiB or a number of bytes", parseByteSize);
const positiveBytes = textValue("a size such as 16MiB, 512KiB or a number of bytes, above 0", (t) => {
  const n = parseByteSize(t);
  return n !== null && n > 0 ? n : null;
});
const positiveInt = textValue("a positive integer", parsePositiveInt);
const path = textValue("a non-empty path", nonEmpty);
const positiveNumber = textValue("a number above 0", (t) => {
  const n = parseDecimal(t);
  return n !== null && n > 0 ? n : null;
});
const share = textValue("a share between 0 and 1", (t) => {
  const n = parseDecimal(t);
  return n !== null && n <= 1 ? n : null;
});
const seed = textValue("a non-negative integer", (t) => {
  const n = parseDecimal(t);
  return n !== null && Number.isSafeInteger(n) ? n : null;
});

/** A Kiali health tolerance as "degraded,failure" percentages, e.g. "0,10" (degraded above 0%, failure at 10%). */
const tolerance = textValue('two percentages "degraded,failure" with degraded ≤ failure, e.g. 0,10', (t) => {
  const parts = t.split(",").map((p) => parseDecimal(p.trim()));
  const [degraded, failure] = parts;
  if (parts.length !== 2 || degraded == null || failure == null) return null;
  return degraded <= failure && failure <= 100 ? { degraded, failure } : null;
});

/** The apps/web build, found relative to this module: src/config and dist/config sit at the same depth. */
const DEFAULT_WEB_DIST = fileURLToPath(new URL("../../../web/dist", import.meta.url));

export interface OptionDoc {
  flag: string;
  env: string;
  /** Text form of the default, parsed like any other input so the default is validated too. */
  default: string;
  help: string;
}

/** The schema of each setting, keyed by its YAML name (which is also its camelCase flag name). */
export const OPTION_SCHEMAS = {
  host: textValue("a host name or IP address", nonEmpty),
  port,
  otlpHttpPort: port,
  otlpGrpcPort: port,
  zipkinPort: port,
  db: path,
  meshConfigDir: path,
  meshTarget: textValue("files or kubernetes", (t) => MESH_TARGETS.find((k) => k === t.trim().toLowerCase()) ?? null),
  // Empty = the Kubernetes client's defaults ($KUBECONFIG, ~/.kube/config, in-cluster).
  kubeconfig: textValue("a path", (t) => t.trim()),
  demo: textValue("true or false", parseBoolean),
  demoRps: positiveNumber,
  demoSeed: seed,
  demoSampleRate: share,
  demoLoggedInShare: share,
  demoScrapeInterval: duration,
  scrapeTargets: z.union([z.string(), z.array(z.string())]).transform((raw, ctx): string[] => {
    const parsed = parseUrlList(Array.isArray(raw) ? raw.join(",") : raw);
    if (parsed === null) {
      ctx.addIssue({ code: "custom", message: "expected comma-separated http(s) URLs" });
      return z.NEVER;
    }
    return parsed;
  }),
  scrapeInterval: duration,
  scrapeTimeout: duration,
  retention: duration,
  maxDbSize: byteSize,
  maxBodySize: positiveBytes,
  maxDecompressedSize: positiveBytes,
  queueSpans: positiveInt,
  batchSpans: positiveInt,
  maxAttributes: positiveInt,
  maxAttributeLength: positiveInt,
  health5xx: tolerance,
  health4xx: tolerance,
  healthGrpc: tolerance,
  healthNoResponse: tolerance,
  auth: oneOf(AUTH_MODE_NAMES),
  allowAnonymousRemote: textValue("true or false", parseBoolean),
  // Empty = no tokens file.
  tokensFile: textValue("a path", (t) => t.trim()),
  ingestAuth: oneOf(INGEST_AUTH_MODES),
  publicUrl: optionalHttpUrl,
  oidcIssuer: optionalHttpUrl,
  oidcClientId: textValue("a client id", (t) => t.trim()),
  oidcRoleClaim: textValue("a claim name", nonEmpty),
  oidcDefaultRole: oneOf(OIDC_DEFAULT_ROLES),
  oidcScopes: textValue("space-separated scopes", nonEmpty),
  logLevel: textValue(LOG_LEVELS.join(", "), (t) => LOG_LEVELS.find((l) => l === t.trim().toLowerCase()) ?? null),
  webDist: path,
} as const;

export type OptionKey = keyof typeof OPTION_SCHEMAS;

export const OPTION_DOCS = {
  host: { flag: "--host", env: "MESHSCOPE_HOST", default: "127.0.0.1", help: "bind address of every listener" },
  port: { flag: "--port", env: "MESHSCOPE_PORT", default: "8080", help: "console port (UI, /api, receivers)" },
  otlpHttpPort: {
    flag: "--otlp-http-port",
    env: "MESHSCOPE_OTLP_HTTP_PORT",
    default: "4318",
    help: "OTLP/HTTP receiver port (0 = off)",
  },
  otlpGrpcPort: {
    flag: "--otlp-grpc-port",
    env: "MESHSCOPE_OTLP_GRPC_PORT",
    default: "4317",
    help: "OTLP/gRPC receiver port (0 = off)",
  },
  zipkinPort: {
    flag: "--zipkin-port",
    env: "MESHSCOPE_ZIPKIN_PORT",
    default: "9411",
    help: "Zipkin v2 receiver port (0 = off)",
  },
  db: { flag: "--db", env: "MESHSCOPE_DB", default: "./data/meshscope.db", help: "SQLite database file" },
  meshConfigDir: {
    flag: "--mesh-config-dir",
    env: "MESHSCOPE_MESH_CONFIG_DIR",
    default: "./mesh-config",
    help: "directory of Istio YAML (the files target)",
  },
  meshTarget: {
    flag: "--mesh-target",
    env: "MESHSCOPE_MESH_TARGET",
    default: "files",
    help: "where wizards write Istio config: files (the mesh config dir) or kubernetes (server-side apply)",
  },
  kubeconfig: {
    flag: "--kubeconfig",
    env: "MESHSCOPE_KUBECONFIG",
    default: "",
    help: "kubeconfig file of the kubernetes target (empty: $KUBECONFIG, ~/.kube/config, then in-cluster)",
  },
  demo: {
    flag: "--demo",
    env: "MESHSCOPE_DEMO",
    default: "true",
    help: "run the bundled demo mesh (Bookinfo, obeying the Istio YAML in the mesh config dir)",
  },
  demoRps: { flag: "--demo-rps", env: "MESHSCOPE_DEMO_RPS", default: "20", help: "demo requests/s at the gateway" },
  demoSeed: {
    flag: "--demo-seed",
    env: "MESHSCOPE_DEMO_SEED",
    default: "1",
    help: "seed of the demo's random choices (same seed, same traffic)",
  },
  demoSampleRate: {
    flag: "--demo-sample-rate",
    env: "MESHSCOPE_DEMO_SAMPLE_RATE",
    default: "1",
    help: "share 0-1 of demo requests traced",
  },
  demoLoggedInShare: {
    flag: "--demo-logged-in-share",
    env: "MESHSCOPE_DEMO_LOGGED_IN_SHARE",
    default: "0.3",
    help: "share 0-1 of demo requests carrying an end-user header",
  },
  demoScrapeInterval: {
    flag: "--demo-scrape-interval",
    env: "MESHSCOPE_DEMO_SCRAPE_INTERVAL",
    default: "5s",
    help: "scrape interval of the demo's own metrics endpoint",
  },
  scrapeTargets: {
    flag: "--scrape-targets",
    env: "MESHSCOPE_SCRAPE_TARGETS",
    default: "",
    help: "comma-separated Prometheus text endpoints to scrape (the demo's own endpoint is added while the demo runs)",
  },
  scrapeInterval: {
    flag: "--scrape-interval",
    env: "MESHSCOPE_SCRAPE_INTERVAL",
    default: "15s",
    help: "scrape interval",
  },
  scrapeTimeout: {
    flag: "--scrape-timeout",
    env: "MESHSCOPE_SCRAPE_TIMEOUT",
    default: "10s",
    help: "per-target scrape deadline (capped at 90% of the interval)",
  },
  health5xx: {
    flag: "--health-5xx",
    env: "MESHSCOPE_HEALTH_5XX",
    default: "0,10",
    help: 'health tolerance for HTTP 5xx, "degraded,failure" in % (Kiali default: degraded above 0, failure at 10)',
  },
  health4xx: {
    flag: "--health-4xx",
    env: "MESHSCOPE_HEALTH_4XX",
    default: "10,20",
    help: "health tolerance for HTTP 4xx, in % (Kiali default: degraded at 10, failure at 20)",
  },
  healthGrpc: {
    flag: "--health-grpc",
    env: "MESHSCOPE_HEALTH_GRPC",
    default: "0,10",
    help: "health tolerance for gRPC statuses other than OK, in %",
  },
  healthNoResponse: {
    flag: "--health-no-response",
    env: "MESHSCOPE_HEALTH_NO_RESPONSE",
    default: "0,10",
    help: "health tolerance for requests without a response (code 0), in %",
  },
  retention: { flag: "--retention", env: "MESHSCOPE_RETENTION", default: "7d", help: "how long data is kept" },
  maxDbSize: {
    flag: "--max-db-size",
    env: "MESHSCOPE_MAX_DB_SIZE",
    default: "0",
    help: "oldest data is deleted above this database size (0 = no size limit)",
  },
  maxBodySize: {
    flag: "--max-body-size",
    env: "MESHSCOPE_MAX_BODY_SIZE",
    default: "16MiB",
    help: "largest ingest request body as sent (also the gRPC message limit); larger gets 413",
  },
  maxDecompressedSize: {
    flag: "--max-decompressed-size",
    env: "MESHSCOPE_MAX_DECOMPRESSED_SIZE",
    default: "64MiB",
    help: "largest ingest body after gzip inflation; inflation stops there with 413",
  },
  queueSpans: {
    flag: "--queue-spans",
    env: "MESHSCOPE_QUEUE_SPANS",
    default: "100000",
    help: "spans waiting for commit before receivers answer 429 / RESOURCE_EXHAUSTED",
  },
  batchSpans: {
    flag: "--batch-spans",
    env: "MESHSCOPE_BATCH_SPANS",
    default: "10000",
    help: "most spans committed in one transaction",
  },
  maxAttributes: {
    flag: "--max-attributes",
    env: "MESHSCOPE_MAX_ATTRIBUTES",
    default: "128",
    help: "attributes kept per span, event, link or resource; the rest are dropped and counted",
  },
  maxAttributeLength: {
    flag: "--max-attribute-length",
    env: "MESHSCOPE_MAX_ATTRIBUTE_LENGTH",
    default: "4096",
    help: "longest attribute string value kept; longer values are truncated and counted",
  },
  auth: {
    flag: "--auth",
    env: "MESHSCOPE_AUTH",
    default: "anonymous",
    help: "who may use the console: anonymous (everyone is admin; loopback only), token (bearer tokens from --tokens-file) or oidc (OpenID Connect login)",
  },
  allowAnonymousRemote: {
    flag: "--allow-anonymous-remote",
    env: "MESHSCOPE_ALLOW_ANONYMOUS_REMOTE",
    default: "false",
    help: "allow --auth anonymous on a non-loopback --host (anyone who reaches the port is admin)",
  },
  tokensFile: {
    flag: "--tokens-file",
    env: "MESHSCOPE_TOKENS_FILE",
    default: "",
    help: "YAML file `tokens: [{name, role: viewer|editor|admin|ingest, sha256}]`; `meshscope hash-token` prints a token's sha256",
  },
  ingestAuth: {
    flag: "--ingest-auth",
    env: "MESHSCOPE_INGEST_AUTH",
    default: "none",
    help: "none, or token: OTLP, Zipkin and remote-write need `Authorization: Bearer` with an ingest or admin token",
  },
  publicUrl: {
    flag: "--public-url",
    env: "MESHSCOPE_PUBLIC_URL",
    default: "",
    help: "the console URL users reach (OIDC redirect base; https makes cookies Secure); empty: http://<host>:<port>",
  },
  oidcIssuer: {
    flag: "--oidc-issuer",
    env: "MESHSCOPE_OIDC_ISSUER",
    default: "",
    help: "OIDC issuer URL (--auth oidc); the client secret comes from MESHSCOPE_OIDC_CLIENT_SECRET only",
  },
  oidcClientId: { flag: "--oidc-client-id", env: "MESHSCOPE_OIDC_CLIENT_ID", default: "", help: "OIDC client id" },
  oidcRoleClaim: {
    flag: "--oidc-role-claim",
    env: "MESHSCOPE_OIDC_ROLE_CLAIM",
    default: "roles",
    help: "ID token claim holding the user's roles (viewer, editor, admin)",
  },
  oidcDefaultRole: {
    flag: "--oidc-default-role",
    env: "MESHSCOPE_OIDC_DEFAULT_ROLE",
    default: "none",
    help: "role of an OIDC user whose claim names none (none = refuse the login)",
  },
  oidcScopes: {
    flag: "--oidc-scopes",
    env: "MESHSCOPE_OIDC_SCOPES",
    default: "openid profile email",
    help: "scopes requested at OIDC login",
  },
  logLevel: { flag: "--log-level", env: "MESHSCOPE_LOG_LEVEL", default: "info", help: LOG_LEVELS.join(" | ") },
  webDist: {
    flag: "--web-dist",
    env: "MESHSCOPE_WEB_DIST",
    default: DEFAULT_WEB_DIST,
    help: "directory of the built web UI",
  },
} as const satisfies Record<OptionKey, OptionDoc>;

/** The YAML file: every key optional, unknown keys refused (a typo must not be silently ignored). */
export const ConfigFileSchema = z.strictObject(
  Object.fromEntries(Object.keys(OPTION_SCHEMAS).map((k) => [k, z.unknown().optional()])),
);

export const CONFIG_FILE_FLAG = { flag: "--config", env: "MESHSCOPE_CONFIG" } as const;
