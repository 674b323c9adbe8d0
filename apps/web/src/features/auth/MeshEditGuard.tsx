import { meshEditPermission, type Permission } from "./permissions";
import { useAuthQuery } from "./queries";
import "./auth.css";

/** Whether the signed-in person may change mesh config; see `meshEditPermission`. */
export function useMeshEditPermission(): Permission {
  const { data } = useAuthQuery();
  return meshEditPermission(data?.user);
}

/** The visible reason next to mesh-config controls a viewer sees disabled; nothing when they are enabled. */
export function ReadOnlyReason({ permission }: { permission: Permission }) {
  if (permission.allowed) return null;
  return (
    <p className="read-only-reason" data-testid="read-only-reason">
      {permission.reason}.
    </p>
  );
}
