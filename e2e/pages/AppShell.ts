import type { Locator, Page } from "@playwright/test";

/** The parts of the console every page shares: the sidebar, the theme toggle and the shell header's controls. */
export class AppShell {
  readonly nav: Locator;
  readonly themeToggle: Locator;
  readonly useSystemTheme: Locator;
  readonly pageTitle: Locator;
  readonly header: Locator;
  readonly windowSelect: Locator;
  readonly refreshSelect: Locator;
  readonly namespaceSummary: Locator;
  readonly liveIndicator: Locator;

  constructor(readonly page: Page) {
    this.nav = page.getByRole("navigation", { name: "Main" });
    this.themeToggle = page.getByTestId("theme-toggle");
    this.useSystemTheme = page.getByTestId("theme-system");
    this.pageTitle = page.getByTestId("page-title");
    this.header = page.getByTestId("shell-header");
    this.windowSelect = page.getByLabel("Time window", { exact: true });
    this.refreshSelect = page.getByLabel("Refresh", { exact: true });
    this.namespaceSummary = page.getByTestId("namespace-summary");
    this.liveIndicator = page.getByTestId("live-indicator");
  }

  async goto(path: string): Promise<void> {
    await this.page.goto(path);
  }

  navLink(label: string): Locator {
    return this.nav.getByRole("link", { name: label, exact: true });
  }

  /** Nav items marked as the current page (there should be exactly one, or none on the 404 page). */
  activeNavItems(): Locator {
    return this.nav.locator('a[aria-current="page"]');
  }

  /** The page background as the user sees it, e.g. "rgb(17, 18, 23)". */
  backgroundColor(): Promise<string> {
    return this.page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  }

  /** Picks a window preset by its label ("Last 15m"). */
  async setWindow(label: string): Promise<void> {
    await this.windowSelect.selectOption({ label });
  }

  /** Picks a refresh mode by its label ("Paused", "Every 10s", "Every 30s", "Live"). */
  async setRefresh(label: string): Promise<void> {
    await this.refreshSelect.selectOption({ label });
  }

  /** Opens the namespace picker and ticks (or unticks) one namespace, then closes it with Escape. */
  async toggleNamespace(namespace: string): Promise<void> {
    await this.namespaceSummary.click();
    await this.page.getByRole("checkbox", { name: namespace, exact: true }).click();
    await this.page.keyboard.press("Escape");
  }

  /** The query string of the current URL, parsed. */
  searchParams(): URLSearchParams {
    return new URL(this.page.url()).searchParams;
  }
}
