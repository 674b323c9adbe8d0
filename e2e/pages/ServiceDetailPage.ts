import type { Locator, Page } from "@playwright/test";

/** `/services/:namespace/:service`: facts, RED charts and the per-version comparison. */
export class ServiceDetailPage {
  readonly facts: Locator;
  readonly inboundCharts: Locator;
  readonly outboundCharts: Locator;
  readonly meshConfigNone: Locator;

  constructor(readonly page: Page) {
    this.facts = page.getByTestId("service-facts");
    this.inboundCharts = page.getByTestId("inbound-charts");
    this.outboundCharts = page.getByTestId("outbound-charts");
    this.meshConfigNone = page.getByTestId("service-mesh-config-none");
  }

  async goto(namespace: string, service: string, query = ""): Promise<void> {
    await this.page.goto(`/services/${encodeURIComponent(namespace)}/${encodeURIComponent(service)}${query}`);
  }

  /** The comparison card of one version (its stats and chart). */
  versionChart(version: string): Locator {
    return this.page.getByTestId(`version-chart-${version}`);
  }

  versionCharts(): Locator {
    return this.page.locator('[data-testid^="version-chart-"]');
  }
}
