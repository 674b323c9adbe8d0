import { Navigate, Outlet, useLocation } from "react-router";
import { ErrorState, LoadingState } from "../../components/states";
import { useAuthQuery } from "./queries";
import { loginPath } from "./return-to";
import "./auth.css";

/**
 * The guard around every console page: asks `/api/auth/me` first and sends a person without a session to the
 * login page, with the page they wanted as `returnTo`. A later 401 from any API call refetches `/api/auth/me`
 * (query-client.ts), so an expired session lands here too; the redirect depends only on `/api/auth/me`, never on
 * the failing call, so a route that keeps answering 401 cannot bounce the console back and forth.
 * In anonymous mode `/api/auth/me` names the anonymous admin and the pages render as they always did.
 */
export function RequireAuth() {
  const query = useAuthQuery();
  const location = useLocation();
  if (query.data) {
    const { mode, user } = query.data;
    if (user === null && mode !== "anonymous") {
      return <Navigate to={loginPath(`${location.pathname}${location.search}${location.hash}`)} replace />;
    }
    return <Outlet />;
  }
  return (
    <div className="auth-screen">
      {query.isError ? (
        <ErrorState
          title="Could not check your session"
          error={query.error}
          onRetry={() => void query.refetch()}
          testId="auth-error"
        />
      ) : (
        <LoadingState label="Checking your session…" testId="auth-loading" />
      )}
    </div>
  );
}
