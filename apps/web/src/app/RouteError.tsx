import { Link, useRouteError } from "react-router";
import { ErrorState } from "../components/states";

/** Replaces React Router's developer error screen when a page throws while rendering. */
export function RouteError() {
  const error = useRouteError();
  return (
    <div className="page" data-testid="route-error">
      <ErrorState title="This page crashed" error={error} />
      <p>
        <Link to="/overview">Back to the Overview</Link>
      </p>
    </div>
  );
}
