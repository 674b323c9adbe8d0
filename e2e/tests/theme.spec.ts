import { expect, test } from "@playwright/test";
import { AppShell } from "../pages/AppShell.js";
import { saveScreenshot } from "../support/screenshot.js";

// The page backgrounds of the two themes (apps/web/src/styles/theme.css: --bg).
const LIGHT_BG = "rgb(244, 245, 247)";
const DARK_BG = "rgb(17, 18, 23)";

test.describe("theme", () => {
  test.use({ colorScheme: "light" });

  test("the toggle switches to dark and the choice survives a reload", async ({ page }, testInfo) => {
    const shell = new AppShell(page);
    await shell.goto("/overview");
    await expect.poll(() => shell.backgroundColor()).toBe(LIGHT_BG);
    await expect(shell.themeToggle).toHaveAccessibleName("Switch to dark theme");

    await shell.themeToggle.click();
    await expect.poll(() => shell.backgroundColor()).toBe(DARK_BG);
    await expect(shell.themeToggle).toHaveAccessibleName("Switch to light theme");

    await page.reload();
    await expect(page.getByTestId("page-overview")).toBeVisible();
    await expect.poll(() => shell.backgroundColor()).toBe(DARK_BG);
    await expect(page.locator("html")).toHaveAttribute("data-theme", "dark");
    await saveScreenshot(page, testInfo, "theme-dark");
  });

  test("choosing the system theme again follows the operating system", async ({ page }) => {
    const shell = new AppShell(page);
    await shell.goto("/overview");
    await shell.themeToggle.click();
    await expect.poll(() => shell.backgroundColor()).toBe(DARK_BG);

    await shell.useSystemTheme.click();
    await expect.poll(() => shell.backgroundColor()).toBe(LIGHT_BG);
    await page.emulateMedia({ colorScheme: "dark" });
    await expect.poll(() => shell.backgroundColor()).toBe(DARK_BG);
    await page.reload();
    await expect.poll(() => shell.backgroundColor()).toBe(DARK_BG);
    await expect(shell.useSystemTheme).toHaveCount(0);
  });
});
