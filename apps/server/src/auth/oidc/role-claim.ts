/**
 * Who an OpenID Connect sign-in is, in Meshscope's terms: a display name and a role read from a configurable
 * claim (DESIGN §6).
 */
import { ROLES, type Role } from "@meshscope/model";
import { ROLE_RANK } from "../types.js";

export type Claims = Readonly<Record<string, unknown>>;

/**
 * The claim's value: the top-level claim named `claim`, or else, for a dotted name, the nested one
 * (`realm_access.roles` as Keycloak nests it). A top-level name wins because some providers use URLs with dots as
 * claim names (`https://example.com/roles`).
 */
export function claimValue(claims: Claims, claim: string): unknown {
  if (Object.hasOwn(claims, claim)) return claims[claim];
  if (!claim.includes(".")) return undefined;
  let at: unknown = claims;
  for (const part of claim.split(".")) {
    if (typeof at !== "object" || at === null || Array.isArray(at) || !Object.hasOwn(at, part)) return undefined;
    at = Reflect.get(at, part);
  }
  return at;
}

function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

/**
 * The highest Meshscope role named by the claim's value (a string or an array of strings); other values, such as
 * the provider's own groups, are ignored. Null when the claim names no Meshscope role.
 */
export function roleFromClaim(value: unknown): Role | null {
  const candidates = Array.isArray(value) ? value : [value];
  let best: Role | null = null;
  for (const candidate of candidates) {
    if (isRole(candidate) && (best === null || ROLE_RANK[candidate] > ROLE_RANK[best])) best = candidate;
  }
  return best;
}

/** Names longer than this are cut: the name is shown in the console and recorded with every change. */
const MAX_NAME_LENGTH = 200;

/** `preferred_username`, else `email`, else `sub` (always present in an ID token). */
export function displayName(claims: Claims, sub: string): string {
  for (const key of ["preferred_username", "email"]) {
    const value = claims[key];
    if (typeof value === "string" && value.trim() !== "") return value.trim().slice(0, MAX_NAME_LENGTH);
  }
  return sub.slice(0, MAX_NAME_LENGTH);
}
