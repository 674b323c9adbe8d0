import { expect, test } from "@playwright/test";
import { AppShell } from "../pages/AppShell.js";
import { saveScreenshot } from "../support/screenshot.js";

/** DESIGN §5 web routes, the page each one renders, and the nav item that must read as current. */
const ROUTES = [
  { path: "/overview", page: "page-overview", nav: "Overview", title: "Overview" },
  { path: "/graph", page: "page-graph", nav: "Graph", title: "Graph" },
  { path: "/services", page: "page-services", nav: "Services", title: "Services" },
  { path: "/services/bookinfo/reviews", page: "page-service-detail", nav: "Services", title: "reviews" },
  { path: "/traces", page: "page-traces", nav: "Traces", title: "Traces" },
  { path: `/traces/${"ab".repeat(16)}`, page: "page-trace", nav: "Traces", title: "Trace" },
  { path: "/mesh-config", page: "page-mesh-config", nav: "Mesh config", title: "Mesh config" },
] as const;

test.describe("navigation", () => {
  for (const route of ROUTES) {
    test(`${route.path} renders its page inside the shell with "${route.nav}" marked current`, async ({ page }) => {
      const shell = new AppShell(page);
      await shell.goto(route.path);
      await expect(page.getByTestId(route.page)).toBeVisible();
      await expect(shell.pageTitle).toHaveText(route.title);
      await expect(shell.nav).toBeVisible();
      await expect(shell.activeNavItems()).toHaveCount(1);
      await expect(shell.activeNavItems()).toHaveAccessibleName(route.nav);
      // Every panel settles into data, an empty state or an error: never a spinner left behind.
      await expect(page.getByTestId("state-loading")).toHaveCount(0);
    });
  }

  test("/ redirects to /overview", async ({ page }) => {
    const shell = new AppShell(page);
    await shell.goto("/");
    await expect(page).toHaveURL(/\/overview$/);
    await expect(shell.navLink("Overview")).toHaveAttribute("aria-current", "page");
  });

  test("an unknown trace id says the trace was not found", async ({ page }) => {
    await page.goto(`/traces/${"cd".repeat(16)}`);
    await expect(page.getByTestId("trace-not-found")).toBeVisible();
  });

  test("an unknown path shows the 404 page with the navigation still usable", async ({ page }) => {
    const shell = new AppShell(page);
    await shell.goto("/no/such/page");
    await expect(page.getByTestId("not-found")).toContainText("/no/such/page");
    await expect(shell.activeNavItems()).toHaveCount(0);
    await shell.navLink("Traces").click();
    await expect(page).toHaveURL(/\/traces$/);
    await expect(page.getByTestId("page-traces")).toBeVisible();
  });

  test("the navigation works from the keyboard alone", async ({ page }, testInfo) => {
    const shell = new AppShell(page);
    await shell.goto("/overview");
    await shell.navLink("Graph").focus();
    await page.keyboard.press("Tab");
    await expect(shell.navLink("Services")).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/\/services$/);
    await expect(shell.navLink("Services")).toHaveAttribute("aria-current", "page");
    await saveScreenshot(page, testInfo, "navigation");
  });
});
