/**
 * The provider's metadata (OpenID Connect Discovery), fetched on first use and kept. A failed discovery is not
 * kept: the next sign-in tries again, so Meshscope starts (and serves bearer callers) while the provider is down.
 */
import * as oidc from "openid-client";
import type { Logger } from "../../ops/logger.js";

/** A login waits at most this long for the provider's metadata (openid-client's default is 30 s). */
const DISCOVERY_TIMEOUT_S = 10;

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

export class OidcConfigError extends Error {
  override name = "OidcConfigError";
}

/**
 * Plain http is allowed only for a provider on this machine (a development or test provider): anywhere else the
 * tokens and the client secret would cross the network unprotected.
 */
export function issuerUrl(issuer: string): { url: URL; insecureLoopback: boolean } {
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    throw new OidcConfigError(`OIDC issuer is not a URL: ${JSON.stringify(issuer)}`);
  }
  if (url.protocol === "https:") return { url, insecureLoopback: false };
  if (url.protocol === "http:" && LOOPBACK_HOSTS.has(url.hostname)) return { url, insecureLoopback: true };
  throw new OidcConfigError(`OIDC issuer must use https (plain http only on 127.0.0.1/localhost): ${issuer}`);
}

export interface DiscoveryInput {
  issuer: string;
  clientId: string;
  clientSecret: string | null;
}

export type DiscoverFn = () => Promise<oidc.Configuration>;

export function cachedDiscovery(input: DiscoveryInput, logger: Logger): DiscoverFn {
  const { url, insecureLoopback } = issuerUrl(input.issuer);
  // With a secret the client is confidential (client_secret_basic); without, a public client that PKCE protects.
  const clientAuth = input.clientSecret === null ? oidc.None() : oidc.ClientSecretBasic(input.clientSecret);
  let pending: Promise<oidc.Configuration> | null = null;
  return () => {
    if (pending === null) {
      const attempt = oidc.discovery(url, input.clientId, undefined, clientAuth, {
        timeout: DISCOVERY_TIMEOUT_S,
        execute: insecureLoopback ? [oidc.allowInsecureRequests] : [],
      });
      pending = attempt;
      attempt.then(
        () => logger.info("OIDC provider discovered", { issuer: input.issuer }),
        (error: unknown) => {
          // Concurrent logins share one attempt; only the failed attempt is forgotten, not a newer one.
          if (pending === attempt) pending = null;
          logger.warn("OIDC discovery failed; the next sign-in retries it", { issuer: input.issuer, error });
        },
      );
    }
    return pending;
  };
}
