/**
 * Who is making a request, for the author of a revision. Until authentication exists (issue #8) everyone is
 * "anonymous"; this is the one place that will read the authenticated principal.
 */
import type { Request } from "express";

export const ANONYMOUS = "anonymous";

export function requestActor(_req: Request): string {
  return ANONYMOUS;
}
