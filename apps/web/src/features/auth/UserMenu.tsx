import { useAuthQuery, useLogoutMutation } from "./queries";
import "./auth.css";

/**
 * The signed-in person's name and role, and "Sign out", at the foot of the sidebar. Absent in anonymous mode
 * (the console then looks as it did before sign-in existed) and for a bearer-token caller, who has no session
 * to end.
 */
export function UserMenu() {
  const { data } = useAuthQuery();
  const logout = useLogoutMutation();
  const user = data?.user;
  if (!data || !user || data.mode === "anonymous" || user.via === "anonymous") return null;
  return (
    <div className="user-menu" data-testid="user-menu">
      <div className="user-identity">
        <span className="user-name" title={user.name} data-testid="user-name">
          {user.name}
        </span>
        <span className="badge badge-neutral" data-testid="user-role">
          {user.role}
        </span>
      </div>
      {user.via === "session" && (
        <button
          type="button"
          className="button user-sign-out"
          disabled={logout.isPending}
          onClick={() => logout.mutate()}
          data-testid="sign-out"
        >
          {logout.isPending ? "Signing out…" : "Sign out"}
        </button>
      )}
      {logout.isError && logout.error.status !== 401 && (
        <p className="field-error" role="alert" data-testid="sign-out-error">
          {logout.error.message}
        </p>
      )}
    </div>
  );
}
