import type { Locator, Page } from "@playwright/test";

/** `/traces`: the search form and its results. */
export class TraceSearchPage {
  readonly form: Locator;
  readonly service: Locator;
  readonly operation: Locator;
  readonly tags: Locator;
  readonly lookback: Locator;
  readonly submit: Locator;
  readonly rows: Locator;
  readonly noResults: Locator;
  readonly prompt: Locator;

  constructor(readonly page: Page) {
    this.form = page.getByTestId("trace-search-form");
    this.service = page.getByLabel("Service", { exact: true });
    this.operation = page.getByLabel("Operation", { exact: true });
    this.tags = page.getByLabel("Tags", { exact: true });
    this.lookback = page.getByLabel("Lookback", { exact: true });
    this.submit = page.getByTestId("search-submit");
    this.rows = page.getByTestId("trace-row");
    this.noResults = page.getByTestId("search-no-results");
    this.prompt = page.getByTestId("search-prompt");
  }

  async goto(query = ""): Promise<void> {
    await this.page.goto(`/traces${query}`);
  }

  async search(fields: { service?: string; tags?: string }): Promise<void> {
    if (fields.service !== undefined) await this.service.selectOption(fields.service);
    if (fields.tags !== undefined) await this.tags.fill(fields.tags);
    await this.submit.click();
  }

  row(traceId: string): Locator {
    return this.page.locator(`[data-testid="trace-row"][data-trace-id="${traceId}"]`);
  }

  async openTrace(traceId: string): Promise<void> {
    await this.row(traceId).getByTestId("trace-link").click();
  }
}
