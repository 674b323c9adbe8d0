/**
 * Resolves the configuration: flags > environment variables > YAML file (`--config`) > defaults (DESIGN §2).
 * Every value, whatever its source, goes through the same schema, and a bad one is reported with the name the
 * user typed (`--port`, `MESHSCOPE_PORT`, `meshscope.yaml: port`), so the CLI can exit 2 with that message.
 */

import { readFileSync } from "node:fs";
import type { MeshTargetKind } from "@meshscope/model";
import { parse as parseYaml } from "yaml";
import type { z } from "zod";
import { type AuthSettings, anonymousRemoteProblem, authSettingsProblems } from "../auth/auth-settings.js";
import { parseTokensFile, type TokenEntry, TokensFileError } from "../auth/tokens-file.js";
import type { HealthThresholds } from "../graph/health.js";
import { renderHelp } from "./help.js";
import {
  BOOLEAN_OPTIONS,
  CONFIG_FILE_FLAG,
  ConfigFileSchema,
  type ListenPort,
  type LogLevel,
  OPTION_DOCS,
  OPTION_SCHEMAS,
  type OptionKey,
} from "./options.js";

export interface MeshscopeConfig {
  host: string;
  consolePort: ListenPort;
  otlpHttpPort: ListenPort;
  otlpGrpcPort: ListenPort;
  zipkinPort: ListenPort;
  dbPath: string;
  meshConfigDir: string;
  /** Where mesh config is written; `kubeconfig` (null = the client's defaults) is read by the kubernetes one. */
  meshTarget: MeshTargetKind;
  kubeconfig: string | null;
  demo: boolean;
  /** The in-process demo mesh (demo/start-demo.ts): requests/s at its gateway, seed, traced share, share of
   * requests with an `end-user` header, and how often its own metrics endpoint is scraped. */
  demoRps: number;
  demoSeed: number;
  demoSampleRate: number;
  demoLoggedInShare: number;
  demoScrapeIntervalMs: number;
  /** The user's targets; the demo's own endpoint is not in this list (it is added when the demo starts). */
  scrapeTargets: string[];
  scrapeIntervalMs: number;
  /** Per-target deadline; the scraper caps it below the interval. */
  scrapeTimeoutMs: number;
  retentionMs: number;
  /** 0 = no size limit. */
  maxDbBytes: number;
  maxBodyBytes: number;
  maxDecompressedBytes: number;
  queueSpans: number;
  batchSpans: number;
  maxAttributes: number;
  maxAttributeLength: number;
  /** Health tolerances (graph/health.ts), percentages; Kiali's defaults unless configured. */
  healthThresholds: HealthThresholds;
  logLevel: LogLevel;
  webDistDir: string;
  /** Auth mode, tokens, ingest auth and OIDC (DESIGN §6, auth/auth-settings.ts). */
  auth: AuthSettings;
}

/** The one secret that is not an option: a flag's value would show in `ps`, and a YAML file gets copied around. */
export const OIDC_CLIENT_SECRET_ENV = "MESHSCOPE_OIDC_CLIENT_SECRET";

export class ConfigError extends Error {
  override name = "ConfigError";
}

export type LoadConfigResult = { kind: "help"; text: string } | { kind: "config"; config: MeshscopeConfig };

export interface LoadConfigInput {
  argv: readonly string[];
  env: Readonly<Record<string, string | undefined>>;
  /** Injected for tests; defaults to reading the file as UTF-8. */
  readFile?: (path: string) => string;
}

interface RawValue {
  value: unknown;
  /** How the user named it, for error messages. */
  source: string;
}

const FLAG_TO_KEY = new Map<string, OptionKey>(
  (Object.keys(OPTION_DOCS) as OptionKey[]).map((key) => [OPTION_DOCS[key].flag, key]),
);

const BOOLEAN_KEYS = BOOLEAN_OPTIONS;

interface ParsedArgs {
  help: boolean;
  configFile: string | null;
  values: Map<OptionKey, RawValue>;
}

function parseArgs(argv: readonly string[]): ParsedArgs {
  const result: ParsedArgs = { help: false, configFile: null, values: new Map() };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    if (arg === "--help" || arg === "-h") {
      result.help = true;
      continue;
    }
    if (!arg.startsWith("--")) throw new ConfigError(`unexpected argument ${JSON.stringify(arg)} (see --help)`);
    const eq = arg.indexOf("=");
    let flag = eq === -1 ? arg : arg.slice(0, eq);
    let inline: string | undefined = eq === -1 ? undefined : arg.slice(eq + 1);
    // `--no-demo` is `--demo=false`; only boolean settings have a negated form.
    const negated = flag.startsWith("--no-") ? FLAG_TO_KEY.get(`--${flag.slice(5)}`) : undefined;
    if (negated !== undefined && BOOLEAN_KEYS.has(negated) && inline === undefined) {
      flag = `--${flag.slice(5)}`;
      inline = "false";
    }
    const key = flag === CONFIG_FILE_FLAG.flag ? "config" : FLAG_TO_KEY.get(flag);
    if (key === undefined) throw new ConfigError(`unknown flag ${flag} (see --help)`);
    let value = inline;
    if (value === undefined && key !== "config" && BOOLEAN_KEYS.has(key)) value = "true";
    if (value === undefined) {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith("--")) throw new ConfigError(`${flag} needs a value`);
      value = next;
      i++;
    }
    if (key === "config") result.configFile = value;
    else result.values.set(key, { value, source: flag });
  }
  return result;
}

function readConfigFile(file: string, readFile: (path: string) => string): Map<OptionKey, RawValue> {
  let text: string;
  try {
    text = readFile(file);
  } catch (error) {
    throw new ConfigError(`cannot read config file ${file}: ${error instanceof Error ? error.message : error}`);
  }
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (error) {
    throw new ConfigError(`${file}: invalid YAML: ${error instanceof Error ? error.message : error}`);
  }
  const parsed = ConfigFileSchema.safeParse(doc ?? {});
  if (!parsed.success) {
    const messages = parsed.error.issues.map((issue) =>
      issue.code === "unrecognized_keys"
        ? `unknown key${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => JSON.stringify(k)).join(", ")} (known keys: ${Object.keys(OPTION_SCHEMAS).join(", ")})`
        : issue.message,
    );
    throw new ConfigError(`${file}: ${messages.join("; ")}`);
  }
  const values = new Map<OptionKey, RawValue>();
  for (const key of Object.keys(OPTION_SCHEMAS) as OptionKey[]) {
    const value = parsed.data[key];
    if (value !== undefined && value !== null) values.set(key, { value, source: `${file}: ${key}` });
  }
  return values;
}

export function loadConfig(input: LoadConfigInput): LoadConfigResult {
  const args = parseArgs(input.argv);
  if (args.help) return { kind: "help", text: renderHelp() };
  const configFile = args.configFile ?? input.env[CONFIG_FILE_FLAG.env] ?? null;
  const fromFile = configFile
    ? readConfigFile(configFile, input.readFile ?? ((p) => readFileSync(p, "utf8")))
    : new Map<OptionKey, RawValue>();

  function raw(key: OptionKey): RawValue {
    const doc = OPTION_DOCS[key];
    const envValue = input.env[doc.env];
    return (
      args.values.get(key) ??
      (envValue !== undefined ? { value: envValue, source: doc.env } : undefined) ??
      fromFile.get(key) ?? { value: doc.default, source: `default of ${doc.flag}` }
    );
  }
  // First pass: report every bad value at once, each under the name the user gave it.
  const errors: string[] = [];
  for (const key of Object.keys(OPTION_SCHEMAS) as OptionKey[]) {
    const { value, source } = raw(key);
    const parsed = OPTION_SCHEMAS[key].safeParse(value);
    if (!parsed.success) errors.push(`${source}: ${parsed.error.issues.map((i) => i.message).join("; ")}`);
  }
  if (errors.length > 0) throw new ConfigError(errors.join("\n"));
  // Second pass cannot fail: every value parsed above.
  const resolve = <T>(key: OptionKey, schema: z.ZodType<T>): T => schema.parse(raw(key).value);

  const config: MeshscopeConfig = {
    host: resolve("host", OPTION_SCHEMAS.host),
    consolePort: resolve("port", OPTION_SCHEMAS.port),
    otlpHttpPort: resolve("otlpHttpPort", OPTION_SCHEMAS.otlpHttpPort),
    otlpGrpcPort: resolve("otlpGrpcPort", OPTION_SCHEMAS.otlpGrpcPort),
    zipkinPort: resolve("zipkinPort", OPTION_SCHEMAS.zipkinPort),
    dbPath: resolve("db", OPTION_SCHEMAS.db),
    meshConfigDir: resolve("meshConfigDir", OPTION_SCHEMAS.meshConfigDir),
    meshTarget: resolve("meshTarget", OPTION_SCHEMAS.meshTarget),
    kubeconfig: resolve("kubeconfig", OPTION_SCHEMAS.kubeconfig) || null,
    demo: resolve("demo", OPTION_SCHEMAS.demo),
    demoRps: resolve("demoRps", OPTION_SCHEMAS.demoRps),
    demoSeed: resolve("demoSeed", OPTION_SCHEMAS.demoSeed),
    demoSampleRate: resolve("demoSampleRate", OPTION_SCHEMAS.demoSampleRate),
    demoLoggedInShare: resolve("demoLoggedInShare", OPTION_SCHEMAS.demoLoggedInShare),
    demoScrapeIntervalMs: resolve("demoScrapeInterval", OPTION_SCHEMAS.demoScrapeInterval),
    scrapeTargets: resolve("scrapeTargets", OPTION_SCHEMAS.scrapeTargets),
    scrapeIntervalMs: resolve("scrapeInterval", OPTION_SCHEMAS.scrapeInterval),
    scrapeTimeoutMs: resolve("scrapeTimeout", OPTION_SCHEMAS.scrapeTimeout),
    retentionMs: resolve("retention", OPTION_SCHEMAS.retention),
    maxDbBytes: resolve("maxDbSize", OPTION_SCHEMAS.maxDbSize),
    maxBodyBytes: resolve("maxBodySize", OPTION_SCHEMAS.maxBodySize),
    maxDecompressedBytes: resolve("maxDecompressedSize", OPTION_SCHEMAS.maxDecompressedSize),
    queueSpans: resolve("queueSpans", OPTION_SCHEMAS.queueSpans),
    batchSpans: resolve("batchSpans", OPTION_SCHEMAS.batchSpans),
    maxAttributes: resolve("maxAttributes", OPTION_SCHEMAS.maxAttributes),
    healthThresholds: {
      http5xx: resolve("health5xx", OPTION_SCHEMAS.health5xx),
      http4xx: resolve("health4xx", OPTION_SCHEMAS.health4xx),
      grpcError: resolve("healthGrpc", OPTION_SCHEMAS.healthGrpc),
      noResponse: resolve("healthNoResponse", OPTION_SCHEMAS.healthNoResponse),
    },
    maxAttributeLength: resolve("maxAttributeLength", OPTION_SCHEMAS.maxAttributeLength),
    logLevel: resolve("logLevel", OPTION_SCHEMAS.logLevel),
    webDistDir: resolve("webDist", OPTION_SCHEMAS.webDist),
    auth: resolveAuth(resolve, raw, input),
  };
  if (config.batchSpans > config.queueSpans) {
    throw new ConfigError(
      `${raw("batchSpans").source} (${config.batchSpans}) must not exceed ${raw("queueSpans").source} (${config.queueSpans})`,
    );
  }
  const refusal = anonymousRemoteProblem(config.auth, config.host);
  if (refusal !== null) throw new ConfigError(refusal);
  return { kind: "config", config };
}

function resolveAuth(
  resolve: <T>(key: OptionKey, schema: z.ZodType<T>) => T,
  raw: (key: OptionKey) => RawValue,
  input: LoadConfigInput,
): AuthSettings {
  const tokensFile = resolve("tokensFile", OPTION_SCHEMAS.tokensFile) || null;
  let tokens: TokenEntry[] = [];
  if (tokensFile !== null) {
    let text: string;
    try {
      text = (input.readFile ?? ((p) => readFileSync(p, "utf8")))(tokensFile);
    } catch (error) {
      throw new ConfigError(
        `${raw("tokensFile").source}: cannot read ${tokensFile}: ${error instanceof Error ? error.message : error}`,
      );
    }
    try {
      tokens = parseTokensFile(text, tokensFile);
    } catch (error) {
      if (error instanceof TokensFileError) throw new ConfigError(`${raw("tokensFile").source}: ${error.message}`);
      throw error;
    }
  }
  const issuer = resolve("oidcIssuer", OPTION_SCHEMAS.oidcIssuer);
  const clientId = resolve("oidcClientId", OPTION_SCHEMAS.oidcClientId);
  const defaultRole = resolve("oidcDefaultRole", OPTION_SCHEMAS.oidcDefaultRole);
  const secret = input.env[OIDC_CLIENT_SECRET_ENV];
  const auth: AuthSettings = {
    mode: resolve("auth", OPTION_SCHEMAS.auth),
    allowAnonymousRemote: resolve("allowAnonymousRemote", OPTION_SCHEMAS.allowAnonymousRemote),
    tokensFile,
    tokens,
    ingestAuth: resolve("ingestAuth", OPTION_SCHEMAS.ingestAuth),
    publicUrl: resolve("publicUrl", OPTION_SCHEMAS.publicUrl) || null,
    oidc:
      issuer !== "" && clientId !== ""
        ? {
            issuer,
            clientId,
            clientSecret: secret !== undefined && secret !== "" ? secret : null,
            roleClaim: resolve("oidcRoleClaim", OPTION_SCHEMAS.oidcRoleClaim),
            defaultRole: defaultRole === "none" ? null : defaultRole,
            scopes: resolve("oidcScopes", OPTION_SCHEMAS.oidcScopes),
          }
        : null,
  };
  const problems = authSettingsProblems(auth);
  if (problems.length > 0) throw new ConfigError(problems.join("\n"));
  return auth;
}
