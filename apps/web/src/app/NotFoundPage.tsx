import { Link, useLocation } from "react-router";
import { PageHeader } from "../components/PageHeader";
import { Panel } from "../components/Panel";
import { EmptyState } from "../components/states";

/** Any path the router does not know. Rendered inside the shell so the navigation stays usable. */
export function NotFoundPage() {
  const { pathname } = useLocation();
  return (
    <div className="page" data-testid="page-not-found">
      <PageHeader title="Page not found" />
      <Panel title="Nothing here">
        <EmptyState title="This page does not exist" testId="not-found">
          <p>
            No page at <code className="mono">{pathname}</code>. Go to the <Link to="/overview">Overview</Link>.
          </p>
        </EmptyState>
      </Panel>
    </div>
  );
}
