/**
 * What each request on the console port needs (DESIGN §6), decided by one function for every request, before any
 * router sees it. Reads (GET/HEAD/OPTIONS) under /api and /jaeger/api need a signed-in caller; a few paths are
 * public. Every other method is a change and needs the editor role unless it is listed here: default deny, so a
 * route added without thought is guarded rather than open.
 *
 * Paths are compared lower-cased and without trailing slashes, as express routes them (routing is
 * case-insensitive and not strict by default), so `/API/Mesh/Validate/` is classified like `/api/mesh/validate`.
 */
import type { Role } from "@meshscope/model";
import { MUTATING_ROUTES } from "../mesh/mutating-routes.js";

export type Access =
  /** Anyone, signed in or not. */
  | { kind: "public" }
  /** Telemetry push: a bearer token with the ingest or admin role when ingest auth is on. */
  | { kind: "ingest" }
  /** A signed-in caller with at least this role. */
  | { kind: "role"; role: Role };

export type RouteMethod = "post" | "put" | "delete" | "patch";
export type RouteRule = readonly [RouteMethod, string];

/** Telemetry receivers on the console port (the receiver ports serve the first three too). */
export const INGEST_ROUTES: readonly RouteRule[] = [
  ["post", "/v1/traces"],
  ["post", "/v1/metrics"],
  ["post", "/api/v2/spans"],
  ["post", "/api/v1/write"],
];

/** Changes nothing the session does not own: signing in and out. */
export const PUBLIC_POSTS: readonly RouteRule[] = [
  ["post", "/api/auth/login"],
  ["post", "/api/auth/logout"],
];

/** POSTs that only read: they check what they are sent against what exists (a viewer may validate YAML). */
export const READ_ONLY_POSTS: readonly RouteRule[] = [["post", "/api/mesh/validate"]];

/** Changes that need the editor role, listed for the route inventory (the classifier denies unlisted ones too). */
export const EDITOR_ROUTES: readonly RouteRule[] = MUTATING_ROUTES.map(([m, p]) => [m, `/api${p}`] as const);

/** The OpenID Connect login and callback (auth/oidc): public, protected by their own state and PKCE checks. */
export const OIDC_PREFIX = "/auth/oidc/";

const PUBLIC_READS = new Set(["/healthz", "/readyz", "/metrics", "/api/auth/me"]);
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export function normalizePath(path: string): string {
  const lower = path.toLowerCase().replace(/\/+$/, "");
  return lower === "" ? "/" : lower;
}

export function isSafeMethod(method: string): boolean {
  return SAFE_METHODS.has(method.toUpperCase());
}

function listed(rules: readonly RouteRule[], method: string, path: string): boolean {
  const m = method.toLowerCase();
  return rules.some(([rm, rp]) => rm === m && rp === path);
}

/** Under an API prefix: everything there needs a caller, the web UI's files and SPA paths do not. */
function isApiPath(path: string): boolean {
  return path === "/api" || path.startsWith("/api/") || path === "/jaeger/api" || path.startsWith("/jaeger/api/");
}

export function classify(method: string, rawPath: string): Access {
  const path = normalizePath(rawPath);
  if (path.startsWith(OIDC_PREFIX)) return { kind: "public" };
  if (isSafeMethod(method)) {
    if (PUBLIC_READS.has(path) || !isApiPath(path)) return { kind: "public" };
    return { kind: "role", role: "viewer" };
  }
  if (listed(INGEST_ROUTES, method, path)) return { kind: "ingest" };
  if (listed(PUBLIC_POSTS, method, path)) return { kind: "public" };
  if (listed(READ_ONLY_POSTS, method, path)) return { kind: "role", role: "viewer" };
  return { kind: "role", role: "editor" };
}
