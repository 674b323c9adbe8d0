import { Outlet } from "react-router";
import { Sidebar } from "./Sidebar";

/** Every page: a skip link for keyboard users, the sidebar, and the routed page in <main>. */
export function AppLayout() {
  return (
    <div className="app-shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <Sidebar />
      <main id="main" className="main" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}
