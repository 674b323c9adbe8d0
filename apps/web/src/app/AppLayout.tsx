import { Outlet, useMatches, useNavigation } from "react-router";
import { type ShellControls, ShellHeader } from "./header/ShellHeader";
import { LiveEvents } from "./LiveEvents";
import { Sidebar } from "./Sidebar";

/** Reads `handle.shellControls` of the deepest route that sets it (routes.tsx); unknown shapes count as none. */
function useShellControls(): ShellControls | null {
  const matches = useMatches();
  for (let i = matches.length - 1; i >= 0; i--) {
    const handle: unknown = matches[i]?.handle;
    if (typeof handle === "object" && handle !== null && "shellControls" in handle) {
      const c: unknown = handle.shellControls;
      if (typeof c === "object" && c !== null && "window" in c && "namespaces" in c) {
        return { window: c.window === true, namespaces: c.namespaces === true };
      }
    }
  }
  return null;
}

/**
 * Every page: a skip link for keyboard users, the sidebar, the shell header where the page has one, the page.
 * `aria-busy` while a navigation waits for the next page's chunk (routes.tsx), which keeps the old page meanwhile.
 */
export function AppLayout() {
  const controls = useShellControls();
  const loading = useNavigation().state === "loading";
  return (
    <div className="app-shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <Sidebar />
      <main id="main" className="main" tabIndex={-1} aria-busy={loading}>
        {controls && <ShellHeader controls={controls} />}
        <Outlet />
      </main>
      <LiveEvents />
    </div>
  );
}
