/**
 * The role check itself, shared by the access guard (every request) and `requireMutationAllowed` (mesh routes, as
 * a second, fail-closed look at the guard's decision): one rule, one wording of its answers.
 */
import type { Role } from "@meshscope/model";
import type { Response } from "express";
import { sendApiError } from "../api/errors.js";
import { principalOf, roleAtLeast } from "./types.js";

/** res.locals key set by the access guard once it has classified and admitted the request. */
export const ACCESS_CHECKED = "meshscopeAccessChecked";
/** res.locals key set when the caller presented a valid ingest-only token (it may push telemetry, nothing else). */
export const INGEST_ONLY = "meshscopeIngestOnly";

export const WWW_AUTHENTICATE = 'Bearer realm="meshscope"';

export function sendUnauthenticated(res: Response, message: string): void {
  res.setHeader("WWW-Authenticate", WWW_AUTHENTICATE);
  sendApiError(res, 401, "unauthenticated", message);
}

/** Answers 401/403 and returns false unless the request's principal has at least `needed`. */
export function authorizeRole(res: Response, needed: Role): boolean {
  const principal = principalOf(res);
  if (principal === null) {
    if (res.locals[INGEST_ONLY] === true) {
      sendApiError(res, 403, "forbidden", "an ingest token can only push telemetry");
    } else {
      sendUnauthenticated(res, "sign in or send Authorization: Bearer <token>");
    }
    return false;
  }
  if (!roleAtLeast(principal.role, needed)) {
    sendApiError(
      res,
      403,
      "forbidden",
      `this needs the ${needed} role; ${principal.name} has the ${principal.role} role`,
    );
    return false;
  }
  return true;
}
