/**
 * Every route that changes mesh config, in one list, all behind one middleware: issue #8 (roles) guards them by
 * changing `requireMutationAllowed` alone. mesh-routes.ts registers the middleware from this list, and a test
 * checks that no other non-GET route exists in the mesh router, so a new mutating route cannot slip past it.
 *
 * `POST /mesh/validate` changes nothing and is not here; a wizard with `?dryRun=true` only previews, but it is the
 * same route, so it is guarded as well (an editor role is needed to use wizards at all).
 */
import type { NextFunction, Request, Response } from "express";

export type MutatingMethod = "post" | "put" | "delete";

/** Paths relative to the /api router. */
export const MUTATING_ROUTES: readonly (readonly [MutatingMethod, string])[] = [
  ["put", "/mesh/objects/:kind/:namespace/:name"],
  ["delete", "/mesh/objects/:kind/:namespace/:name"],
  ["post", "/mesh/wizards/:wizard"],
  ["post", "/mesh/revisions/:id/rollback"],
];

/** A pass-through until issue #8 adds roles: then it answers 401/403 for callers who may not change config. */
export function requireMutationAllowed(_req: Request, _res: Response, next: NextFunction): void {
  next();
}
