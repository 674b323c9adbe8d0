import { AppShell } from "../pages/AppShell.js";
import { OverviewPage } from "../pages/OverviewPage.js";
import { expect, test } from "../support/console-errors.js";
import { waitForBookinfo } from "../support/demo.js";
import { saveScreenshot } from "../support/screenshot.js";

test.describe("shell controls", () => {
  test.beforeAll(async ({ request }) => {
    await waitForBookinfo(request);
  });

  test("window, refresh and namespaces round-trip through the URL across a reload", async ({ page }, testInfo) => {
    const shell = new AppShell(page);
    const overview = new OverviewPage(page);
    await overview.goto();
    await expect(overview.card("bookinfo")).toBeVisible();

    await shell.setWindow("Last 15m");
    await shell.setRefresh("Every 10s");
    await shell.toggleNamespace("bookinfo");
    await expect.poll(() => shell.searchParams().toString()).toBe("window=900&namespaces=bookinfo&refresh=10s");

    await page.reload();
    await expect(shell.windowSelect).toHaveValue("900");
    await expect(shell.refreshSelect).toHaveValue("10s");
    await expect(shell.namespaceSummary).toHaveText(/bookinfo/);
    await expect(overview.cards).toHaveCount(1);
    await expect(overview.card("bookinfo")).toBeVisible();

    // Moving to another section keeps the shell state.
    await shell.navLink("Services").click();
    await expect(page).toHaveURL(/\/services\?window=900&namespaces=bookinfo&refresh=10s$/);
    await expect(shell.windowSelect).toHaveValue("900");
    await saveScreenshot(page, testInfo, "shell-state");
  });

  test("a custom window and end time replay a past window, with refresh off", async ({ page }, testInfo) => {
    const shell = new AppShell(page);
    await shell.goto("/overview");
    await shell.windowSelect.selectOption({ label: "Custom…" });
    await page.getByTestId("custom-window-duration").fill("2h");
    const past = new Date(Date.now() - 60_000);
    const pad = (n: number) => String(n).padStart(2, "0");
    const local = `${past.getFullYear()}-${pad(past.getMonth() + 1)}-${pad(past.getDate())}T${pad(past.getHours())}:${pad(past.getMinutes())}`;
    await page.getByTestId("custom-window-end").fill(local);
    await page.getByTestId("custom-window-apply").click();

    await expect.poll(() => shell.searchParams().get("window")).toBe("7200");
    expect(Number(shell.searchParams().get("end"))).toBe(new Date(local).getTime() * 1000);
    await expect(page.getByTestId("replay-banner")).toBeVisible();
    await expect(shell.refreshSelect).toBeDisabled();
    await expect(shell.windowSelect.locator("option:checked")).toHaveText("Custom (2h)");
    await saveScreenshot(page, testInfo, "shell-replay");

    await page.getByRole("button", { name: "Back to now" }).click();
    await expect.poll(() => shell.searchParams().has("end")).toBe(false);
    await expect(shell.refreshSelect).toBeEnabled();
  });

  test("live refresh listens to the server's events", async ({ page }) => {
    const shell = new AppShell(page);
    const events = page.waitForRequest((r) => r.url().endsWith("/api/events"));
    await shell.goto("/services?refresh=live");
    await events;
    await expect(shell.liveIndicator).toBeVisible();
    // The list refetches on announced data (the demo's scrapes commit every 2 s; refetches are coalesced).
    const refetch = page.waitForResponse((r) => r.url().includes("/api/services?") && r.ok(), { timeout: 20_000 });
    await refetch;
  });
});
