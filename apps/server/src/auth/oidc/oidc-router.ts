/**
 * OpenID Connect sign-in (issue #8, DESIGN §6): the authorization code flow with PKCE (S256), state and nonce,
 * through openid-client. A successful callback becomes a Meshscope session through the `SessionIssuer`; the role
 * comes from a configurable claim.
 *
 * - `GET /auth/oidc/login?returnTo=/graph?x=1` → 302 to the provider's authorization endpoint.
 * - `GET /auth/oidc/callback?code&state` → 302 to `returnTo` with the session cookie set.
 *
 * Failures answer the API's error envelope (JSON, never HTML built from the provider's words): 400 for a state
 * that is unknown, used, expired or from another browser, 401 when the provider refused the sign-in, 403 for an
 * account without a Meshscope role, 502 when the provider cannot be reached.
 */
import type { Role } from "@meshscope/model";
import { type Request, type Response, Router } from "express";
import * as oidc from "openid-client";
import { sendApiError } from "../../api/errors.js";
import type { Logger } from "../../ops/logger.js";
import type { SessionIssuer } from "../types.js";
import { readBinding, writeBinding } from "./binding-cookie.js";
import { cachedDiscovery, OidcConfigError } from "./oidc-discovery.js";
import { type PendingLogin, PendingLogins } from "./pending-logins.js";
import { safeReturnTo } from "./return-to.js";
import { type Claims, claimValue, displayName, roleFromClaim } from "./role-claim.js";

export { OidcConfigError } from "./oidc-discovery.js";

export interface OidcOptions {
  /** The provider's issuer URL; its metadata is read from `<issuer>/.well-known/openid-configuration`. */
  issuer: string;
  clientId: string;
  /** Null for a public client (PKCE only); else sent with HTTP Basic (`client_secret_basic`). */
  clientSecret: string | null;
  /** Meshscope's URL as the browser sees it; the redirect URI is `${publicUrl}/auth/oidc/callback`. */
  publicUrl: string;
  /** The claim (ID token, else userinfo) holding the role: a string or an array of strings. */
  roleClaim: string;
  /** The role of an account whose claim names no Meshscope role; null refuses such accounts. */
  defaultRole: Role | null;
  /** Space-separated scopes to request; `openid` is added when missing. */
  scopes: string;
}

export interface OidcDeps {
  sessions: SessionIssuer;
  logger: Logger;
  /** The clock for the pending sign-ins' lifetime (tests move it). */
  nowMs?: () => number;
}

/** How long a person may take at the provider between `/login` and `/callback`. */
export const PENDING_LOGIN_TTL_MS = 10 * 60_000;
const MAX_PENDING_LOGINS = 10_000;
/** Provider-supplied text is cut to this length before it is echoed. */
const MAX_ECHOED_TEXT = 300;

export const OIDC_LOGIN_PATH = "/auth/oidc/login";
export const OIDC_CALLBACK_PATH = "/auth/oidc/callback";

/**
 * The OIDC routes, to mount at the root of the console app. Throws `OidcConfigError` for options that can never
 * work (an issuer or public URL that is not a URL, plain http to a provider that is not on this machine); an
 * unreachable provider is not an error here, only at sign-in.
 */
export async function createOidcRouter(opts: OidcOptions, deps: OidcDeps): Promise<Router> {
  const logger = deps.logger.child({ component: "oidc" });
  const nowMs = deps.nowMs ?? Date.now;
  const publicUrl = parsePublicUrl(opts.publicUrl);
  const callbackUrl = `${publicUrl.base}${OIDC_CALLBACK_PATH}`;
  const cookiePath = `${publicUrl.path}/auth/oidc`;
  const secureCookie = publicUrl.secure;
  const scope = withOpenidScope(opts.scopes);
  const discover = cachedDiscovery(opts, logger);
  const pending = new PendingLogins({ ttlMs: PENDING_LOGIN_TTL_MS, maxEntries: MAX_PENDING_LOGINS, nowMs });

  // Warm the cache so the first sign-in is quick; a failure is logged and retried by that sign-in.
  discover().catch(() => {});

  const router = Router();

  /**
   * A refused sign-in: a browser's page navigation (Fetch Metadata `Sec-Fetch-Mode: navigate`) goes back to the
   * login page, which shows the message as text; anything else gets the JSON error envelope.
   */
  const refuse = (req: Request, res: Response, status: number, code: string, message: string): void => {
    if (req.get("sec-fetch-mode") === "navigate") {
      res.redirect(302, `${publicUrl.path}/login?${new URLSearchParams({ error: message }).toString()}`);
      return;
    }
    sendApiError(res, status, code, message);
  };

  router.get(OIDC_LOGIN_PATH, async (req, res) => {
    res.set("Cache-Control", "no-store");
    let config: oidc.Configuration;
    try {
      config = await discover();
    } catch (error) {
      refuse(req, res, 502, "oidc_unavailable", unavailable(opts.issuer, error));
      return;
    }
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const binding = readBinding(req) ?? oidc.randomState();
    pending.add(state, {
      codeVerifier,
      nonce,
      binding,
      returnTo: safeReturnTo(queryOf(req).get("returnTo")),
      createdMs: nowMs(),
    });
    writeBinding(res, binding, { path: cookiePath, secure: secureCookie, maxAgeMs: PENDING_LOGIN_TTL_MS });
    const authorizationUrl = oidc.buildAuthorizationUrl(config, {
      redirect_uri: callbackUrl,
      scope,
      state,
      nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: "S256",
    });
    res.redirect(302, authorizationUrl.href);
  });

  router.get(OIDC_CALLBACK_PATH, async (req, res) => {
    res.set("Cache-Control", "no-store");
    const query = queryOf(req);
    const checked = checkCallback(req, query, pending, logger);
    if ("status" in checked) {
      refuse(req, res, checked.status, checked.code, checked.message);
      return;
    }
    const { state, login } = checked;

    let claims: Claims;
    try {
      const config = await discover();
      const currentUrl = new URL(callbackUrl);
      currentUrl.search = query.toString();
      const tokens = await oidc.authorizationCodeGrant(config, currentUrl, {
        pkceCodeVerifier: login.codeVerifier,
        expectedState: state,
        expectedNonce: login.nonce,
        idTokenExpected: true,
      });
      claims = await signInClaims(config, tokens, opts.roleClaim);
    } catch (error) {
      const unreachable = isNetworkError(error);
      logger.warn("OIDC sign-in failed", { error });
      if (unreachable) {
        refuse(req, res, 502, "oidc_unavailable", unavailable(opts.issuer, error));
      } else {
        refuse(req, res, 401, "oidc_failed", `the sign-in could not be completed: ${reason(error)}`);
      }
      return;
    }

    const role = roleFromClaim(claimValue(claims, opts.roleClaim)) ?? opts.defaultRole;
    const sub = typeof claims.sub === "string" ? claims.sub : "";
    const name = displayName(claims, sub);
    if (role === null) {
      logger.info("OIDC sign-in refused: no Meshscope role", { name, claim: opts.roleClaim });
      refuse(req, res, 403, "forbidden", `your account has no Meshscope role (claim ${opts.roleClaim})`);
      return;
    }
    // Signing in over an old session ends it, rather than leaving it alive until it times out.
    deps.sessions.discard(req);
    deps.sessions.signIn(res, { name, role });
    logger.info("signed in with OIDC", { name, role });
    res.redirect(302, login.returnTo);
  });

  return router;
}

type Refusal = { status: number; code: string; message: string };

/**
 * The authorization response checked against the pending sign-in it claims to finish. The state is consumed
 * whatever the outcome, so a callback URL works once.
 */
function checkCallback(
  req: Request,
  query: URLSearchParams,
  pending: PendingLogins,
  logger: Logger,
): { state: string; login: PendingLogin } | Refusal {
  const state = query.get("state");
  const taken = state === null ? null : pending.take(state);
  const providerError = query.get("error");
  if (providerError !== null) {
    const description = query.get("error_description");
    const text = description === null ? providerError : `${providerError}: ${description}`;
    logger.info("the OpenID provider refused a sign-in", { error: providerError, description });
    // Echoed as JSON text only: the provider's words (or whoever forged this link) never become markup.
    const message = `the OpenID provider refused the sign-in: ${text.slice(0, MAX_ECHOED_TEXT)}`;
    return { status: 401, code: "oidc_refused", message };
  }
  if (state === null || taken === null) {
    return { status: 400, code: "invalid_state", message: "the sign-in response has no state; sign in again" };
  }
  if (taken.kind !== "ok") {
    const why = taken.kind === "expired" ? "expired (older than 10 minutes)" : "unknown or already used";
    return { status: 400, code: "invalid_state", message: `the sign-in state is ${why}; sign in again` };
  }
  if (readBinding(req) !== taken.login.binding) {
    const message = "the sign-in was started in another browser (or its cookie is missing); sign in again";
    return { status: 400, code: "invalid_state", message };
  }
  return { state, login: taken.login };
}

/**
 * The ID token's claims, completed from the userinfo endpoint when the role claim or a name is missing there:
 * many providers put only `sub` into an ID token obtained with a code and keep the rest for userinfo. The ID
 * token wins where both have a claim: it is signed, and its `sub` is what userinfo is checked against.
 */
async function signInClaims(
  config: oidc.Configuration,
  tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>,
  roleClaim: string,
): Promise<Claims> {
  const idClaims = tokens.claims();
  if (idClaims === undefined) throw new Error("the provider returned no ID token");
  const complete =
    claimValue(idClaims, roleClaim) !== undefined &&
    (typeof idClaims.preferred_username === "string" || typeof idClaims.email === "string");
  if (complete || config.serverMetadata().userinfo_endpoint === undefined) return idClaims;
  const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, idClaims.sub);
  return { ...userinfo, ...idClaims };
}

/** `base` and `path` without a trailing slash, so `${base}/auth/...` has exactly one. */
function parsePublicUrl(raw: string): { base: string; path: string; secure: boolean } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new OidcConfigError(`public URL is not a URL: ${JSON.stringify(raw)}`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new OidcConfigError(`public URL must be http(s): ${raw}`);
  }
  if (url.search !== "" || url.hash !== "") throw new OidcConfigError(`public URL must not have a query: ${raw}`);
  const path = url.pathname.replace(/\/+$/, "");
  return { base: `${url.origin}${path}`, path, secure: url.protocol === "https:" };
}

function withOpenidScope(scopes: string): string {
  const list = scopes.split(/\s+/).filter((s) => s !== "");
  return (list.includes("openid") ? list : ["openid", ...list]).join(" ");
}

/** The query string as the browser sent it (one value per name, no Express query parsing into arrays). */
function queryOf(req: Request): URLSearchParams {
  const at = req.originalUrl.indexOf("?");
  return new URLSearchParams(at < 0 ? "" : req.originalUrl.slice(at + 1));
}

/** fetch() reports a connection failure as a TypeError whose cause carries the system error code. */
function isNetworkError(error: unknown): boolean {
  if (error instanceof Error && error.name === "TimeoutError") return true;
  return error instanceof TypeError && error.cause !== undefined;
}

function unavailable(issuer: string, error: unknown): string {
  // Anything else is a provider that answered, but not with usable metadata (a wrong issuer URL, say).
  const what = isNetworkError(error) ? "cannot be reached" : "answered discovery with an error";
  return `the OpenID provider ${issuer} ${what} (${reason(error)}); try again`;
}

function reason(error: unknown): string {
  if (error instanceof oidc.ResponseBodyError) {
    const text = error.error_description === undefined ? error.error : `${error.error}: ${error.error_description}`;
    return text.slice(0, MAX_ECHOED_TEXT);
  }
  if (!(error instanceof Error)) return String(error).slice(0, MAX_ECHOED_TEXT);
  const cause = error.cause;
  const code =
    typeof cause === "object" && cause !== null && "code" in cause && typeof cause.code === "string"
      ? cause.code
      : null;
  return (code === null ? error.message : `${error.message}: ${code}`).slice(0, MAX_ECHOED_TEXT);
}
