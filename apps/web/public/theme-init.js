// Applies the stored theme before React loads (see index.html). Keep the key and values in sync with
// src/app/theme/theme-preference.ts, which owns them.
(() => {
  let pref = "system";
  try {
    const stored = window.localStorage.getItem("meshscope.theme");
    if (stored === "light" || stored === "dark") pref = stored;
  } catch {
    // Storage can be disabled (privacy modes); the system theme is the fallback.
  }
  const dark = pref === "dark" || (pref === "system" && window.matchMedia("(prefers-color-scheme: dark)").matches);
  document.documentElement.dataset.theme = dark ? "dark" : "light";
})();
