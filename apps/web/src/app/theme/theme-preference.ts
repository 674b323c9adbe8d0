/**
 * The theme preference (a user setting, so it lives in localStorage: CONVENTIONS "Data in the UI").
 * `public/theme-init.js` repeats the key and the resolution rule to paint the right theme before React loads;
 * change both together.
 */
export const THEME_STORAGE_KEY = "meshscope.theme";

export type ThemePreference = "light" | "dark" | "system";
export type ResolvedTheme = "light" | "dark";

/** The stored preference; "system" when nothing (or garbage) is stored or storage is unavailable. */
export function readThemePreference(storage: Pick<Storage, "getItem"> | undefined): ThemePreference {
  try {
    const stored = storage?.getItem(THEME_STORAGE_KEY);
    return stored === "light" || stored === "dark" ? stored : "system";
  } catch {
    return "system";
  }
}

/** Stores an explicit choice; "system" removes the key so the OS setting is followed again. */
export function writeThemePreference(
  storage: Pick<Storage, "setItem" | "removeItem"> | undefined,
  pref: ThemePreference,
) {
  try {
    if (pref === "system") storage?.removeItem(THEME_STORAGE_KEY);
    else storage?.setItem(THEME_STORAGE_KEY, pref);
  } catch {
    // Storage full or disabled: the choice still applies for this page view.
  }
}

export function resolveTheme(pref: ThemePreference, systemPrefersDark: boolean): ResolvedTheme {
  if (pref === "system") return systemPrefersDark ? "dark" : "light";
  return pref;
}
