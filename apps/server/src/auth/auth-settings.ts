/** The auth part of the configuration (DESIGN §6), resolved by config/load-config.ts and checked at start. */
import type { AuthMode, Role } from "@meshscope/model";
import type { TokenEntry } from "./tokens-file.js";

export interface OidcSettings {
  issuer: string;
  clientId: string;
  /** From MESHSCOPE_OIDC_CLIENT_SECRET only; null = a public client (PKCE alone). */
  clientSecret: string | null;
  roleClaim: string;
  /** Role of a user whose claim names no known role; null = refuse the login. */
  defaultRole: Role | null;
  scopes: string;
}

export interface AuthSettings {
  mode: AuthMode;
  allowAnonymousRemote: boolean;
  tokensFile: string | null;
  /** The tokens file's entries, read and validated when the configuration loads. */
  tokens: readonly TokenEntry[];
  ingestAuth: "none" | "token";
  /** The URL users reach, without a trailing slash; null = http://<host>:<console port>. */
  publicUrl: string | null;
  oidc: OidcSettings | null;
}

export const DEFAULT_AUTH_SETTINGS: AuthSettings = {
  mode: "anonymous",
  allowAnonymousRemote: false,
  tokensFile: null,
  tokens: [],
  ingestAuth: "none",
  publicUrl: null,
  oidc: null,
};

/** Combinations that cannot work, as messages naming the flags; empty when the settings are usable. */
export function authSettingsProblems(auth: AuthSettings): string[] {
  const problems: string[] = [];
  if (auth.mode === "token" && auth.tokens.length === 0)
    problems.push("--auth token needs --tokens-file (MESHSCOPE_TOKENS_FILE) with at least one token");
  if (auth.mode === "oidc" && auth.oidc === null)
    problems.push(
      "--auth oidc needs --oidc-issuer (MESHSCOPE_OIDC_ISSUER) and --oidc-client-id (MESHSCOPE_OIDC_CLIENT_ID)",
    );
  if (auth.ingestAuth === "token" && auth.tokens.length === 0)
    problems.push("--ingest-auth token needs --tokens-file (MESHSCOPE_TOKENS_FILE) with an ingest or admin token");
  return problems;
}

/** Anonymous access where others can reach it needs an explicit flag (DESIGN §6); the refusal, or null. */
export function anonymousRemoteProblem(auth: AuthSettings, host: string): string | null {
  if (auth.mode !== "anonymous" || auth.allowAnonymousRemote || isLoopbackHost(host)) return null;
  return (
    `--auth anonymous on --host ${host} (not loopback) would make anyone who reaches the port an admin; ` +
    "use --auth token or oidc, bind 127.0.0.1, or pass --allow-anonymous-remote"
  );
}

export function isLoopbackHost(host: string): boolean {
  return host === "localhost" || host === "::1" || host === "[::1]" || /^127\./.test(host);
}
