/**
 * Every route that changes mesh config, in one list. Access is decided once, for every request on the console
 * port, by the access guard (auth/console-auth.ts, rules in auth/access-rules.ts): a non-GET route needs the
 * editor role unless it is declared read-only. This list documents the editor routes of the mesh router and feeds
 * the route inventory test, which fails on any non-GET route that no list names.
 *
 * `POST /mesh/validate` changes nothing and is not here (auth/access-rules.ts READ_ONLY_POSTS); a wizard with
 * `?dryRun=true` only previews, but it is the same route, so it is guarded as well (an editor role is needed to
 * use wizards at all).
 */
import type { NextFunction, Request, Response } from "express";
import { sendApiError } from "../api/errors.js";
import { ACCESS_CHECKED, authorizeRole } from "../auth/authorize.js";

export type MutatingMethod = "post" | "put" | "delete";

/** Paths relative to the /api router. */
export const MUTATING_ROUTES: readonly (readonly [MutatingMethod, string])[] = [
  ["put", "/mesh/objects/:kind/:namespace/:name"],
  ["delete", "/mesh/objects/:kind/:namespace/:name"],
  ["post", "/mesh/wizards/:wizard"],
  ["post", "/mesh/revisions/:id/rollback"],
];

/**
 * Not a second mechanism but a fail-closed look at the guard's decision: a mutating mesh route answers only a
 * request the access guard admitted with the editor role, so mounting the mesh router where the guard does not
 * run refuses every change instead of opening them.
 */
export function requireMutationAllowed(_req: Request, res: Response, next: NextFunction): void {
  if (res.locals[ACCESS_CHECKED] !== true) {
    sendApiError(res, 403, "forbidden", "this route is served only behind the console's access guard");
    return;
  }
  if (authorizeRole(res, "editor")) next();
}
