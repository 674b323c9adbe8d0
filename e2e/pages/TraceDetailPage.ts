import type { Locator, Page } from "@playwright/test";

/** `/traces/:traceId`: header, span tree and span details. */
export class TraceDetailPage {
  readonly header: Locator;
  readonly spanRows: Locator;
  readonly detail: Locator;
  readonly attributes: Locator;

  constructor(readonly page: Page) {
    this.header = page.getByTestId("trace-header");
    this.spanRows = page.getByTestId("span-row");
    this.detail = page.getByTestId("span-detail");
    this.attributes = page.getByTestId("span-attributes");
  }

  spanRow(spanId: string): Locator {
    return this.page.locator(`[data-testid="span-row"][data-span-id="${spanId}"]`);
  }

  async selectSpan(spanId: string): Promise<void> {
    await this.spanRow(spanId).getByTestId("span-select").click();
  }

  /** The text of one row of the selected span's attribute table. */
  attributeValue(key: string): Locator {
    return this.attributes
      .getByRole("row")
      .filter({ has: this.page.getByRole("rowheader", { name: key, exact: true }) })
      .getByRole("cell");
  }
}
