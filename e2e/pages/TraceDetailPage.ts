import type { Locator, Page } from "@playwright/test";

/** `/traces/:traceId` and `/traces/open`: header, view switcher, find, minimap, waterfall and span details. */
export class TraceDetailPage {
  readonly header: Locator;
  readonly spanRows: Locator;
  readonly detail: Locator;
  readonly attributes: Locator;
  readonly resource: Locator;
  readonly events: Locator;
  readonly links: Locator;
  readonly detailName: Locator;
  readonly findInput: Locator;
  readonly findCount: Locator;
  readonly criticalPathToggle: Locator;
  readonly criticalRows: Locator;
  readonly matchRows: Locator;
  readonly minimap: Locator;
  readonly graph: Locator;
  readonly graphNodes: Locator;
  readonly stats: Locator;
  readonly statsRows: Locator;
  readonly downloadButton: Locator;
  readonly fileInput: Locator;
  readonly visibleRowCount: Locator;

  constructor(readonly page: Page) {
    this.header = page.getByTestId("trace-header");
    this.spanRows = page.getByTestId("span-row");
    this.detail = page.getByTestId("span-detail");
    this.attributes = page.getByTestId("span-attributes");
    this.resource = page.getByTestId("span-resource");
    this.events = page.getByTestId("span-events");
    this.links = page.getByTestId("span-links");
    this.detailName = page.getByTestId("span-detail-name");
    this.findInput = page.getByTestId("find-input");
    this.findCount = page.getByTestId("find-count");
    this.criticalPathToggle = page.getByTestId("toggle-critical-path");
    this.criticalRows = page.locator('[data-testid="span-row"][data-critical="true"]');
    this.matchRows = page.locator('[data-testid="span-row"][data-match="true"]');
    this.minimap = page.getByTestId("minimap");
    this.graph = page.getByTestId("trace-graph");
    this.graphNodes = page.getByTestId("graph-node");
    this.stats = page.getByTestId("trace-stats");
    this.statsRows = page.getByTestId("stats-row");
    this.downloadButton = page.getByTestId("download-json");
    this.fileInput = page.getByTestId("trace-file-input");
    this.visibleRowCount = page.getByTestId("visible-row-count");
  }

  async goto(traceId: string, query = ""): Promise<void> {
    await this.page.goto(`/traces/${traceId}${query}`);
  }

  spanRow(spanId: string): Locator {
    return this.page.locator(`[data-testid="span-row"][data-span-id="${spanId}"]`);
  }

  async selectSpan(spanId: string): Promise<void> {
    await this.spanRow(spanId).getByTestId("span-select").click();
  }

  /** Switches the view with the header's Timeline | Graph | Statistics tabs. */
  async showView(view: "timeline" | "graph" | "statistics"): Promise<void> {
    await this.page.getByTestId(`view-${view}`).click();
  }

  /** The value cell of one row of the selected span's attribute table (the row's copy button is a cell too). */
  attributeValue(key: string): Locator {
    return this.attributes
      .getByRole("row")
      .filter({ has: this.page.getByRole("rowheader", { name: key, exact: true }) })
      .getByRole("cell")
      .first();
  }
}
