import { describe, expect, it } from "vitest";
import { readThemePreference, resolveTheme, THEME_STORAGE_KEY, writeThemePreference } from "./theme-preference";

function memoryStorage(initial: Record<string, string> = {}) {
  const data = new Map(Object.entries(initial));
  return {
    data,
    getItem: (key: string) => data.get(key) ?? null,
    setItem: (key: string, value: string) => void data.set(key, value),
    removeItem: (key: string) => void data.delete(key),
  };
}

describe("theme preference", () => {
  it("defaults to the system theme when nothing valid is stored", () => {
    expect(readThemePreference(memoryStorage())).toBe("system");
    expect(readThemePreference(memoryStorage({ [THEME_STORAGE_KEY]: "purple" }))).toBe("system");
    expect(readThemePreference(undefined)).toBe("system");
  });

  it("falls back to the system theme when storage throws", () => {
    const broken = {
      getItem: () => {
        throw new Error("SecurityError");
      },
    };
    expect(readThemePreference(broken)).toBe("system");
  });

  it("stores explicit choices and forgets them when the system theme is chosen", () => {
    const storage = memoryStorage();
    writeThemePreference(storage, "dark");
    expect(readThemePreference(storage)).toBe("dark");
    writeThemePreference(storage, "system");
    expect(storage.data.has(THEME_STORAGE_KEY)).toBe(false);
  });

  it("resolves the system theme through the OS setting", () => {
    expect(resolveTheme("system", true)).toBe("dark");
    expect(resolveTheme("system", false)).toBe("light");
    expect(resolveTheme("light", true)).toBe("light");
  });
});
