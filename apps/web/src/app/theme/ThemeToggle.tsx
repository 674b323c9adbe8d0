import { useTheme } from "./ThemeProvider";

/**
 * Flips between light and dark (always a visible change, unlike cycling through "system"), and offers a way
 * back to the OS setting once an explicit choice was made.
 */
export function ThemeToggle() {
  const { preference, theme, setPreference } = useTheme();
  const next = theme === "dark" ? "light" : "dark";
  return (
    <div className="theme-toggle">
      <button
        type="button"
        className="icon-button"
        data-testid="theme-toggle"
        aria-label={`Switch to ${next} theme`}
        title={`Switch to ${next} theme`}
        onClick={() => setPreference(next)}
      >
        <span aria-hidden="true">{theme === "dark" ? "☾" : "☀"}</span>
        <span className="theme-toggle-label">{theme === "dark" ? "Dark" : "Light"}</span>
      </button>
      {preference !== "system" && (
        <button
          type="button"
          className="link-button"
          data-testid="theme-system"
          aria-label="Follow the system theme"
          onClick={() => setPreference("system")}
        >
          Use system
        </button>
      )}
    </div>
  );
}
