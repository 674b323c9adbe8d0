import type { Locator, Page } from "@playwright/test";

/** `/traces/compare?a=&b=`: the two traces and their merged structure. */
export class TraceComparePage {
  readonly summary: Locator;
  readonly added: Locator;
  readonly removed: Locator;
  readonly changed: Locator;
  readonly rows: Locator;
  readonly sideA: Locator;
  readonly sideB: Locator;
  readonly expandAll: Locator;
  readonly collapseAll: Locator;

  constructor(readonly page: Page) {
    this.summary = page.getByTestId("compare-summary");
    this.added = page.getByTestId("compare-added");
    this.removed = page.getByTestId("compare-removed");
    this.changed = page.getByTestId("compare-changed");
    this.rows = page.getByTestId("compare-row");
    this.sideA = page.getByTestId("compare-side-a");
    this.sideB = page.getByTestId("compare-side-b");
    this.expandAll = page.getByTestId("compare-expand-all");
    this.collapseAll = page.getByTestId("compare-collapse-all");
  }

  async goto(a: string, b: string): Promise<void> {
    await this.page.goto(`/traces/compare?a=${a}&b=${b}`);
  }

  rowsWithStatus(status: "same" | "changed" | "added" | "removed"): Locator {
    return this.page.locator(`[data-testid="compare-row"][data-status="${status}"]`);
  }

  /** The number in a header count such as "12 added". */
  async headerCount(which: Locator): Promise<number> {
    const text = (await which.textContent()) ?? "";
    return Number(/^(\d+)/.exec(text.trim())?.[1] ?? Number.NaN);
  }
}
