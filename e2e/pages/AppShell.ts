import type { Locator, Page } from "@playwright/test";

/** The parts of the console every page shares: the sidebar navigation and the theme toggle. */
export class AppShell {
  readonly nav: Locator;
  readonly themeToggle: Locator;
  readonly useSystemTheme: Locator;
  readonly pageTitle: Locator;

  constructor(readonly page: Page) {
    this.nav = page.getByRole("navigation", { name: "Main" });
    this.themeToggle = page.getByTestId("theme-toggle");
    this.useSystemTheme = page.getByTestId("theme-system");
    this.pageTitle = page.getByTestId("page-title");
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
}
