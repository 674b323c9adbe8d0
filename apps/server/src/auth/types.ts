/**
 * The seams of authentication (issue #8, DESIGN §6), shared by the token mode, the OIDC mode and the routes.
 *
 * - A request's principal is resolved once, by one middleware, from a bearer token or the session cookie, and
 *   kept on `res.locals.principal` (read it with `principalOf`). Nothing else parses credentials.
 * - A person who signed in (token login form or OIDC) gets a server-side session: the cookie carries only a random
 *   id (HttpOnly, SameSite=Lax, Secure behind https); the session holds the principal and its CSRF token.
 * - Mutations through a cookie session need the `X-CSRF-Token` header equal to the session's token; bearer
 *   callers do not (a browser never attaches an Authorization header on its own).
 */
import type { AuthUser, Role } from "@meshscope/model";
import type { Request, Response } from "express";

export type Principal = AuthUser;

/** Higher roles include the lower ones. */
export const ROLE_RANK: Readonly<Record<Role, number>> = { viewer: 1, editor: 2, admin: 3 };

export function roleAtLeast(role: Role, needed: Role): boolean {
  return ROLE_RANK[role] >= ROLE_RANK[needed];
}

export interface Session {
  id: string;
  principal: Principal;
  csrfToken: string;
  createdMs: number;
  /** Last request on the session; an idle session expires. */
  lastSeenMs: number;
}

/** What a login method (the token form, the OIDC callback) needs to sign a person in and out. */
export interface SessionIssuer {
  /** Creates a session for `principal` and sets its cookie on `res`. */
  signIn(res: Response, principal: Omit<Principal, "via">): Session;
  /** Forgets the request's session (if any) without touching the response: a new sign-in replaces it. */
  discard(req: Request): void;
  /** Ends the request's session (if any) and clears the cookie. */
  signOut(req: Request, res: Response): void;
}

export function principalOf(res: Response): Principal | null {
  const p: unknown = res.locals.principal;
  return p === undefined ? null : (p as Principal);
}
