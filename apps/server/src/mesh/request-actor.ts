/**
 * Who is making a request, for the author of a revision: the authenticated principal's name (the token's name,
 * the OIDC user, or "anonymous" in the anonymous mode). This is the one place that reads it for mesh changes.
 */
import type { Request } from "express";
import { principalOf } from "../auth/types.js";

export const ANONYMOUS = "anonymous";

export function requestActor(req: Request): string {
  // Express links each request to its response; the access guard has put the principal there.
  const principal = req.res === undefined ? null : principalOf(req.res);
  return principal?.name ?? ANONYMOUS;
}
