import type { Locator, Page } from "@playwright/test";

/** `/services`: the services table. */
export class ServicesPage {
  readonly table: Locator;
  readonly rows: Locator;

  constructor(readonly page: Page) {
    this.table = page.getByTestId("services-table");
    this.rows = page.getByTestId("service-row");
  }

  async goto(query = ""): Promise<void> {
    await this.page.goto(`/services${query}`);
  }

  /** The row of one service; the name is matched as text, so hostile names need no escaping. */
  row(namespace: string, service: string): Locator {
    return this.rows
      .and(this.page.locator(`[data-namespace="${namespace}"]`))
      .filter({ has: this.page.getByTestId("service-link").getByText(service, { exact: true }) });
  }

  health(row: Locator): Locator {
    return row.getByTestId("health-badge");
  }

  versions(row: Locator): Locator {
    return row.getByTestId("service-version");
  }

  async sortBy(column: "name" | "namespace" | "health" | "rps" | "errors" | "p95"): Promise<void> {
    await this.page.getByTestId(`sort-${column}`).click();
  }
}
