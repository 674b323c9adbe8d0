/**
 * Who is signed in, and how to sign in (DESIGN §6, issue #8). The console asks `GET /api/auth/me` first; every
 * other API route answers 401 `unauthenticated` to a caller without a session or bearer token (in the `token` and
 * `oidc` modes), and 403 `forbidden` to a role too low for the route.
 */
import { z } from "zod";

/** `viewer` reads everything; `editor` also changes mesh config (wizards, objects, rollback); `admin` is both and more. */
export const ROLES = ["viewer", "editor", "admin"] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

export const AUTH_MODES = ["anonymous", "token", "oidc"] as const;
export const AuthMode = z.enum(AUTH_MODES);
export type AuthMode = z.infer<typeof AuthMode>;

/** Header a cookie-authenticated browser sends with every POST/PUT/DELETE: the session's CSRF token. */
export const CSRF_HEADER = "X-CSRF-Token";

export const AuthUser = z.object({
  /** Who changes are recorded as: the token's name, the OIDC `preferred_username`/`email`/`sub`, or "anonymous". */
  name: z.string(),
  role: Role,
  /** How this request was authenticated. */
  via: z.enum(["anonymous", "session", "bearer"]),
});
export type AuthUser = z.infer<typeof AuthUser>;

/** `GET /api/auth/me`: always 200, also when nobody is signed in (then `user` is null). */
export const AuthMeResponse = z.object({
  mode: AuthMode,
  user: AuthUser.nullable(),
  /** The session's CSRF token for the `X-CSRF-Token` header; null without a cookie session. */
  csrfToken: z.string().nullable(),
  /**
   * How a person can sign in: `token` → POST /api/auth/login with `{ token }`; `oidc` → a full-page navigation to
   * `/auth/oidc/login?returnTo=<path>`. Empty in anonymous mode.
   */
  loginMethods: z.array(z.enum(["token", "oidc"])),
});
export type AuthMeResponse = z.infer<typeof AuthMeResponse>;

/** `POST /api/auth/login` (token mode): 200 with the new session, 401 for an unknown token, 429 when rate limited. */
export const LoginRequest = z.object({ token: z.string().min(1).max(4096) });
export type LoginRequest = z.infer<typeof LoginRequest>;
export const LoginResponse = z.object({ user: AuthUser, csrfToken: z.string() });
export type LoginResponse = z.infer<typeof LoginResponse>;
