import type { AuthUser } from "@meshscope/model";

export type Permission = { allowed: true } | { allowed: false; reason: string };

/**
 * Whether the console offers mesh-config changes (wizard apply, object save and delete, rollback) to `user`. Only
 * a `viewer` is refused; before `/api/auth/me` has answered the controls stay enabled, because the server checks
 * the role on every mutation anyway and this only spares a viewer a button that cannot work.
 */
export function meshEditPermission(user: AuthUser | null | undefined): Permission {
  if (user?.role === "viewer") {
    return { allowed: false, reason: `Your role (${user.role}) cannot change mesh config` };
  }
  return { allowed: true };
}
