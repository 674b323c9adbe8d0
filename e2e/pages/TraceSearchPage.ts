import type { Locator, Page } from "@playwright/test";

/** `/traces`: the search form, the scatter of results, and the sortable, selectable result list. */
export class TraceSearchPage {
  readonly form: Locator;
  readonly service: Locator;
  readonly operation: Locator;
  readonly tags: Locator;
  readonly lookback: Locator;
  readonly limit: Locator;
  readonly submit: Locator;
  readonly rows: Locator;
  readonly noResults: Locator;
  readonly prompt: Locator;
  readonly fieldErrors: Locator;
  readonly scatter: Locator;
  readonly scatterPoints: Locator;
  readonly scatterTooltip: Locator;
  readonly sort: Locator;
  readonly compareButton: Locator;

  constructor(readonly page: Page) {
    this.form = page.getByTestId("trace-search-form");
    this.service = page.getByLabel("Service", { exact: true });
    this.operation = page.getByLabel("Operation", { exact: true });
    this.tags = page.getByLabel("Tags", { exact: true });
    this.lookback = page.getByLabel("Lookback", { exact: true });
    this.limit = page.getByLabel("Limit", { exact: true });
    this.submit = page.getByTestId("search-submit");
    this.rows = page.getByTestId("trace-row");
    this.noResults = page.getByTestId("search-no-results");
    this.prompt = page.getByTestId("search-prompt");
    this.fieldErrors = page.getByTestId("field-error");
    this.scatter = page.getByTestId("trace-scatter");
    this.scatterPoints = page.getByTestId("scatter-point");
    this.scatterTooltip = page.getByTestId("scatter-tooltip");
    this.sort = page.getByTestId("results-sort");
    this.compareButton = page.getByTestId("compare-button");
  }

  async goto(query = ""): Promise<void> {
    await this.page.goto(`/traces${query}`);
  }

  async search(fields: { service?: string; tags?: string; lookback?: string; limit?: string }): Promise<void> {
    if (fields.service !== undefined) await this.service.fill(fields.service);
    if (fields.tags !== undefined) await this.tags.fill(fields.tags);
    if (fields.lookback !== undefined) await this.lookback.selectOption(fields.lookback);
    if (fields.limit !== undefined) await this.limit.fill(fields.limit);
    await this.submit.click();
  }

  row(traceId: string): Locator {
    return this.page.locator(`[data-testid="trace-row"][data-trace-id="${traceId}"]`);
  }

  scatterPoint(traceId: string): Locator {
    return this.page.locator(`[data-testid="scatter-point"][data-trace-id="${traceId}"]`);
  }

  async openTrace(traceId: string): Promise<void> {
    await this.row(traceId).getByTestId("trace-link").click();
  }

  /** The trace ids of the rows, top to bottom. */
  async rowTraceIds(): Promise<string[]> {
    return this.rows.evaluateAll((rows) => rows.map((r) => r.getAttribute("data-trace-id") ?? ""));
  }

  /** The durations of the rows in µs, top to bottom (the exact value behind the formatted text). */
  async rowDurations(): Promise<number[]> {
    return this.rows
      .getByTestId("trace-duration")
      .evaluateAll((cells) => cells.map((c) => Number(c.getAttribute("data-duration-us"))));
  }

  async select(traceId: string): Promise<void> {
    await this.row(traceId).getByTestId("trace-select").check();
  }
}
