import { NavLink } from "react-router";
import { UserMenu } from "../features/auth/UserMenu";
import { NAV_ITEMS } from "./nav-items";
import { preloadSection } from "./pages";
import { shellSearch } from "./shell-url";
import { ThemeToggle } from "./theme/ThemeToggle";
import { useShellState } from "./useShellState";

/**
 * The main navigation. NavLink marks the current section with `aria-current="page"` (prefix match, so
 * `/traces/:id` keeps "Traces" active); the CSS styles that attribute, so the visual state and what screen
 * readers announce cannot disagree. The links carry the shell's window, namespaces and refresh, so moving from
 * the overview to the graph keeps what the user is looking at. Pointing at or focusing a link starts loading that
 * page's chunk (routes.tsx), so the click rarely waits for it.
 */
export function Sidebar() {
  const [shell] = useShellState();
  const search = shellSearch(shell);
  return (
    <aside className="sidebar" data-testid="sidebar">
      <NavLink to="/overview" className="brand" aria-label="Meshscope home">
        <img src="/favicon.svg" alt="" width={22} height={22} />
        <span>Meshscope</span>
      </NavLink>
      <nav aria-label="Main" data-testid="main-nav">
        <ul className="nav-list">
          {NAV_ITEMS.map((item) => (
            <li key={item.to}>
              <NavLink
                to={{ pathname: item.to, search }}
                className="nav-link"
                data-testid={item.testId}
                onPointerEnter={() => preloadSection(item.to)}
                onFocus={() => preloadSection(item.to)}
              >
                <span className="nav-icon" aria-hidden="true">
                  {item.icon}
                </span>
                <span>{item.label}</span>
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <div className="sidebar-footer">
        <UserMenu />
        <ThemeToggle />
      </div>
    </aside>
  );
}
